import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AnswerValue, ItemData } from '@aitrainer/contracts';
import { jsonColumn } from './json-column';

/** One dataset item. `data` is what a student sees; `gold` never leaves the server before a submission is graded. */
@Entity('labelling_items')
export class LabellingItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'exercise_id', type: 'int' })
  exerciseId!: number;

  /** The dataset's own id for the item (kept through Label Studio export and import). */
  @Column({ name: 'external_id', type: 'varchar', length: 191 })
  externalId!: string;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'text', transformer: jsonColumn })
  data!: ItemData;

  @Column({ type: 'text', nullable: true, transformer: jsonColumn })
  gold!: AnswerValue | null;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AnswerValue, ItemData } from '@aitrainer/contracts';
import { jsonColumn } from './json-column';
import type { LabelStudioItemSource } from '../label-studio';

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

  /** The Label Studio task as it came (every annotation, the predictions, all data keys), when imported from one. */
  @Column({ name: 'label_studio', type: 'text', nullable: true, transformer: jsonColumn })
  labelStudio!: LabelStudioItemSource | null;
}

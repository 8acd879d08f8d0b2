import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ExerciseAudience, ExerciseLabels, ExerciseScoringOptions, ExerciseStatus, LabellingTaskType } from '@aitrainer/contracts';
import { jsonColumn } from './json-column';
import type { LabelStudioFileSource } from '../label-studio';

/** An exercise is one dataset of items with gold answers, owned by the instructor who created it. */
@Entity('labelling_exercises')
export class LabellingExercise {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The owner's organisation when the exercise was created: decides who sees it with the `organisation` audience. */
  @Column({ name: 'organisation_id', type: 'int', nullable: true })
  organisationId!: number | null;

  @Column({ name: 'owner_id', type: 'int' })
  ownerId!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'task_type', type: 'varchar', length: 40 })
  taskType!: LabellingTaskType;

  @Column({ type: 'varchar', length: 16 })
  status!: ExerciseStatus;

  @Column({ type: 'varchar', length: 16 })
  audience!: ExerciseAudience;

  @Column({ type: 'text', transformer: jsonColumn })
  labels!: ExerciseLabels;

  @Column({ type: 'text', transformer: jsonColumn })
  scoring!: ExerciseScoringOptions;

  /** The Label Studio file the items came from (form, labelling config), so the export writes the same form back. */
  @Column({ name: 'label_studio', type: 'text', nullable: true, transformer: jsonColumn })
  labelStudio!: LabelStudioFileSource | null;

  @Column({ name: 'item_count', type: 'int' })
  itemCount!: number;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;

  @Column({ name: 'published_at', type: 'datetime', nullable: true })
  publishedAt!: Date | null;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AnswerValue, CalibrationCriterionView } from '@aitrainer/contracts';
import { jsonColumn } from './json-column';

export interface CalibrationRow {
  itemId: string;
  answer: AnswerValue;
  /** Criterion id -> the two human markers' scores. */
  human: Record<string, [number, number]>;
  /** Criterion id -> the model's score (mean of its two runs); null when the judgement was unusable. */
  model?: Record<string, number> | null;
}

/** One calibration run of the judge on an open-ended exercise, against answers double-marked by humans. */
@Entity('labelling_calibrations')
export class LabellingCalibration {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'exercise_id', type: 'int' })
  exerciseId!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: 'running' | 'done' | 'failed';

  @Column({ name: 'created_by', type: 'int' })
  createdBy!: number;

  @Column({ name: 'answer_rows', type: 'text', transformer: jsonColumn })
  rows!: CalibrationRow[];

  @Column({ type: 'text', nullable: true, transformer: jsonColumn })
  report!: CalibrationCriterionView[] | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  model!: string | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 500, nullable: true })
  failureReason!: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'datetime', nullable: true })
  finishedAt!: Date | null;
}

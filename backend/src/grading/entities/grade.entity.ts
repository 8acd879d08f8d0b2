import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type GradeSource = 'auto' | 'llm' | 'human';
export type GradeStatus = 'final' | 'needs_review';

const json = { to: (v: unknown) => (v == null ? null : JSON.stringify(v)), from: (v: string | null) => (v == null ? null : JSON.parse(v)) };
const number = { to: (v: number | null) => v, from: (v: string | number | null) => (v == null ? null : Number(v)) };

/**
 * One grade of one version of one answer by one source. The unique key (subject, version, source) makes
 * a retried or duplicated job store the grade once; a human grade sits beside the machine one and wins.
 */
@Entity('grades')
export class Grade {
  @PrimaryGeneratedColumn()
  id!: number;

  /** What was graded, named by its owning context, e.g. `labelling_submission`, `prompt_answer`, `exam_answer`. */
  @Column({ name: 'subject_type', type: 'varchar', length: 32 })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 64 })
  subjectId!: string;

  @Column({ name: 'subject_version', type: 'int' })
  subjectVersion!: number;

  @Column({ type: 'varchar', length: 16 })
  source!: GradeSource;

  @Column({ type: 'varchar', length: 16 })
  status!: GradeStatus;

  /** Score as a fraction of the maximum, in [0, 1]; null while a human must decide. */
  @Column({ type: 'double', nullable: true, transformer: number })
  score!: number | null;

  @Column({ type: 'text', nullable: true, transformer: json })
  detail!: unknown;

  @Column({ name: 'review_reason', type: 'varchar', length: 64, nullable: true })
  reviewReason!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  model!: string | null;

  @Column({ name: 'prompt_hash', type: 'varchar', length: 64, nullable: true })
  promptHash!: string | null;

  @Column({ name: 'input_tokens', type: 'int', nullable: true })
  inputTokens!: number | null;

  @Column({ name: 'output_tokens', type: 'int', nullable: true })
  outputTokens!: number | null;

  @Column({ name: 'cost_usd', type: 'double', nullable: true, transformer: number })
  costUsd!: number | null;

  @Column({ name: 'graded_by', type: 'int', nullable: true })
  gradedBy!: number | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

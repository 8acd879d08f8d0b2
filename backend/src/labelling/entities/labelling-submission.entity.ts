import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AnswerValue, MistakeExplanationView, ReviewReason, SubmissionResultView, SubmissionState } from '@aitrainer/contracts';
import { jsonColumn, numberColumn } from './json-column';

/** One student's attempt at an exercise: draft (autosaving) -> submitted (a grading job queued) -> graded | failed. */
@Entity('labelling_submissions')
export class LabellingSubmission {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'exercise_id', type: 'int' })
  exerciseId!: number;

  @Column({ name: 'student_id', type: 'int' })
  studentId!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: SubmissionState;

  /** The student's id while this is their open draft, NULL otherwise: unique per exercise, so one draft at a time. */
  @Column({ name: 'draft_owner', type: 'int', nullable: true })
  draftOwner!: number | null;

  /** What the grade is about: the grading job id and the grade's unique key include it. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'double', nullable: true, transformer: numberColumn })
  score!: number | null;

  @Column({ type: 'text', nullable: true, transformer: jsonColumn })
  result!: SubmissionResultView | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 500, nullable: true })
  failureReason!: string | null;

  /** Open-ended work waiting for a person: why. */
  @Column({ name: 'review_reason', type: 'varchar', length: 40, nullable: true })
  reviewReason!: ReviewReason | null;

  /** The model's explanation of frequent mistakes (deterministic tasks); never part of the score. */
  @Column({ type: 'text', nullable: true, transformer: jsonColumn })
  explanation!: MistakeExplanationView | null;

  @Column({ name: 'started_at', type: 'datetime' })
  startedAt!: Date;

  @Column({ name: 'submitted_at', type: 'datetime', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'graded_at', type: 'datetime', nullable: true })
  gradedAt!: Date | null;
}

/** The latest autosaved answer of one item: the row with the highest client sequence number wins. */
@Entity('labelling_answers')
export class LabellingAnswer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'submission_id', type: 'int' })
  submissionId!: number;

  @Column({ name: 'item_id', type: 'varchar', length: 191 })
  itemId!: string;

  @Column({ type: 'bigint', transformer: numberColumn })
  seq!: number;

  @Column({ type: 'text', transformer: jsonColumn })
  value!: AnswerValue;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type {
  AttemptState,
  BlueprintSection,
  ExamEligibilityRules,
  ExamPart,
  ExamPartDefinition,
  ExamResultStatus,
  ExamStatus,
  SkillLevel,
} from '@aitrainer/contracts';
import type { Paper } from '@aitrainer/domain';
import { jsonText } from '../../question-bank/entities/question.entity';

export const msColumn = {
  to: (v: number | null) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};

export interface ExamDefinition {
  parts: ExamPartDefinition[];
  blueprint: BlueprintSection[];
  eligibility: ExamEligibilityRules;
  shuffleOptions: boolean;
}

@Entity('exams')
export class Exam {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'organisation_id', type: 'int', nullable: true }) organisationId!: number | null;
  @Column({ name: 'author_id', type: 'int' }) authorId!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 16 }) occupation!: string;
  @Column({ type: 'int' }) level!: SkillLevel;
  @Column({ type: 'varchar', length: 16 }) status!: ExamStatus;
  @Column({ type: 'text', transformer: jsonText }) definition!: ExamDefinition;
  @Column({ name: 'published_at', type: 'datetime', nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt!: Date;
}

/** 场次: a scheduled window at a venue. Times are epoch ms on the server's clock. */
@Entity('exam_sessions')
export class ExamSession {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'exam_id', type: 'int' }) examId!: number;
  @Column({ name: 'organisation_id', type: 'int', nullable: true }) organisationId!: number | null;
  @Column({ type: 'varchar', length: 200 }) venue!: string;
  @Column({ name: 'starts_at_ms', type: 'bigint', transformer: msColumn }) startsAtMs!: number;
  @Column({ name: 'ends_at_ms', type: 'bigint', transformer: msColumn }) endsAtMs!: number;
  @Column({ name: 'created_by', type: 'int' }) createdBy!: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
}

@Entity('exam_registrations')
export class ExamRegistration {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'session_id', type: 'int' }) sessionId!: number;
  @Column({ name: 'user_id', type: 'int' }) userId!: number;
  /** 准考证号 */
  @Column({ name: 'ticket_number', type: 'varchar', length: 32 }) ticketNumber!: string;
  @Column({ name: 'extra_minutes', type: 'int' }) extraMinutes!: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
}

/**
 * One candidate's attempt at one part: registered (the paper drawn ahead, not started: no start time or deadline, 0)
 * -> in_progress (one conditional statement stamps start and deadline) -> submitted, each exactly once.
 */
@Entity('exam_attempts')
export class ExamAttempt {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'registration_id', type: 'int' }) registrationId!: number;
  @Column({ name: 'user_id', type: 'int' }) userId!: number;
  @Column({ type: 'varchar', length: 16 }) part!: ExamPart;
  @Column({ type: 'varchar', length: 16 }) state!: AttemptState | 'registered';
  @Column({ type: 'varchar', length: 64 }) seed!: string;
  @Column({ type: 'text', transformer: jsonText }) paper!: Paper;
  @Column({ name: 'question_ids', type: 'text' }) questionIds!: string;
  @Column({ name: 'started_at_ms', type: 'bigint', transformer: msColumn }) startedAtMs!: number;
  @Column({ name: 'deadline_ms', type: 'bigint', transformer: msColumn }) deadlineMs!: number;
  @Column({ name: 'finished_at_ms', type: 'bigint', nullable: true, transformer: msColumn }) finishedAtMs!: number | null;
  /** 'candidate' or 'deadline' (the delayed job). */
  @Column({ name: 'submitted_by', type: 'varchar', length: 16, nullable: true }) submittedBy!: string | null;
  @Column({ type: 'double', nullable: true, transformer: msColumn }) score!: number | null;
  @Column({ name: 'max_score', type: 'double', transformer: msColumn }) maxScore!: number;
  @Column({ name: 'pending_items', type: 'int' }) pendingItems!: number;
}

/** The latest saved answer to one question: the highest client sequence number wins. */
@Entity('exam_answers')
export class ExamAnswer {
  @PrimaryColumn({ name: 'attempt_id', type: 'int' }) attemptId!: number;
  @PrimaryColumn({ name: 'question_id', type: 'int' }) questionId!: number;
  @Column({ type: 'bigint', transformer: msColumn }) seq!: number;
  @Column({ type: 'text' }) value!: string;
  @Column({ name: 'updated_at_ms', type: 'bigint', transformer: msColumn }) updatedAtMs!: number;
}

/**
 * The score of one item of one attempt: 'auto' at submission or by an exact scorer, 'llm' by the judge model through the
 * grading queue, 'human' by a grader (null = waiting for one).
 */
@Entity('exam_item_scores')
export class ExamItemScore {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'attempt_id', type: 'int' }) attemptId!: number;
  @Column({ name: 'question_id', type: 'int' }) questionId!: number;
  @Column({ name: 'version_id', type: 'int' }) versionId!: number;
  @Column({ type: 'double', transformer: msColumn }) points!: number;
  @Column({ type: 'double', nullable: true, transformer: msColumn }) score!: number | null;
  @Column({ type: 'varchar', length: 16 }) source!: 'auto' | 'llm' | 'human' | 'pending';
  @Column({ name: 'duty_area', type: 'varchar', length: 100 }) dutyArea!: string;
}

@Entity('exam_results')
export class ExamResult {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'registration_id', type: 'int' }) registrationId!: number;
  @Column({ name: 'exam_id', type: 'int' }) examId!: number;
  @Column({ name: 'user_id', type: 'int' }) userId!: number;
  @Column({ type: 'varchar', length: 16 }) status!: ExamResultStatus;
  @Column({ type: 'boolean' }) passed!: boolean;
  @Column({ type: 'text', transformer: jsonText }) detail!: { parts: unknown[]; dutyAreas: unknown[] };
  @Column({ name: 'published_at', type: 'datetime', nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'published_by', type: 'int', nullable: true }) publishedBy!: number | null;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt!: Date;
}

export const EXAM_ENTITIES = [Exam, ExamSession, ExamRegistration, ExamAttempt, ExamAnswer, ExamItemScore, ExamResult];

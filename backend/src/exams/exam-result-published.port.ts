import type { ExamPart, SkillLevel } from '@aitrainer/contracts';

/** Emitted once per result when an org admin publishes it. The certificates context implements the port. */
export interface ExamResultPublished {
  resultId: number;
  registrationId: number;
  examId: number;
  userId: number;
  occupation: string;
  level: SkillLevel;
  passed: boolean;
  parts: { part: ExamPart; scaled: number; passed: boolean }[];
  publishedAt: string;
  publishedBy: number;
}

/**
 * The small port the exams context calls after a result is published (after commit). Implementations must be
 * idempotent per `resultId`: a crash between publish and the call is recovered by calling again.
 */
export interface ExamResultPublishedPort {
  published(event: ExamResultPublished): Promise<void>;
}

export const EXAM_RESULT_PUBLISHED = Symbol('EXAM_RESULT_PUBLISHED');

/** Until the certificates context binds its own implementation, publishing only records the event (audit). */
export class NoCertificatesYet implements ExamResultPublishedPort {
  published(): Promise<void> {
    return Promise.resolve();
  }
}

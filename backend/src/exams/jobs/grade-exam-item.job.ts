import type { QuestionType } from '@aitrainer/contracts';

/**
 * Payload of `grade-exam-item`: one practical item of one submitted attempt. Answers are frozen at submission, so the
 * answer version is always 1: job id `exam-item-<attemptId>-<questionId>-v1`.
 */
export interface GradeExamItemJob {
  attemptId: number;
  questionId: number;
}

export const EXAM_ITEM_ANSWER_VERSION = 1;
export const examItemJobId = (attemptId: number, questionId: number) => `exam-item-${attemptId}-${questionId}-v${EXAM_ITEM_ANSWER_VERSION}`;

/** Item types graded through the queue (a short answer is left to an instructor when no LLM is configured). */
export const MACHINE_GRADED_TYPES: readonly QuestionType[] = ['short_answer', 'labelling', 'prompt_task'];

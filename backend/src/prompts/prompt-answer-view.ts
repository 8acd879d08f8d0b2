import type { CaseFeedback, CriterionFeedback, PromptAnswerView, PromptTaskDefinition, ReviewReason } from '@aitrainer/contracts';
import type { Grade } from '../grading/entities/grade.entity';
import type { PromptAnswer } from './entities/prompt-answer.entity';
import type { MachineGrade } from './prompt-grader';

export const PROMPT_ANSWER = 'prompt_answer';

/** What a human reviewer stored in the grade's detail. */
export interface HumanGradeDetail {
  score100: number;
  passed: boolean;
  executionFraction: number | null;
  rubricFraction: number;
  criteria: { id: string; score: number }[];
  comment: string;
}

/** The machine grade's detail as stored (see PromptGradingService). */
export type MachineGradeDetail = Omit<MachineGrade, 'model' | 'promptHash' | 'inputTokens' | 'outputTokens' | 'costUsd'>;

/**
 * The student's view of an answer: scores, per-case check notes (never hidden inputs or the outputs they
 * produced) and per-criterion feedback. A human grade, when there is one, is what counts.
 */
export function toAnswerView(answer: PromptAnswer, def: PromptTaskDefinition, machine: Grade | null, human: Grade | null): PromptAnswerView {
  const m = (machine?.detail ?? null) as MachineGradeDetail | null;
  const h = (human?.detail ?? null) as HumanGradeDetail | null;
  const cases: CaseFeedback[] = (m?.cases ?? []).map((c) => ({ case: c.case, passed: c.passed, checks: c.checks }));
  const criterionName = (id: string) => def.rubric.find((c) => c.id === id);
  let criteria: CriterionFeedback[] = [];
  if (h) {
    criteria = h.criteria.map((c) => ({ id: c.id, name: criterionName(c.id)?.name ?? c.id, score: c.score, maxScore: criterionName(c.id)?.maxScore ?? 0, rationale: '', evidence: '' }));
  } else if (m && machine?.status === 'final') {
    criteria = m.criteria.map((c) => ({ id: c.id, name: criterionName(c.id)?.name ?? c.id, score: c.score, maxScore: criterionName(c.id)?.maxScore ?? 0, rationale: c.rationale, evidence: c.evidence }));
  }
  const final = h ? { score: h.score100, passed: h.passed, by: 'human' as const } : machine?.status === 'final' && m ? { score: m.score100, passed: m.passed, by: 'llm' as const } : null;
  return {
    id: answer.id,
    taskId: answer.taskId,
    taskVersion: answer.taskVersion,
    prompt: answer.prompt,
    status: human ? 'graded' : answer.status,
    submittedAt: answer.submittedAt.toISOString(),
    score: final?.score ?? null,
    passed: final?.passed ?? null,
    gradedBy: final?.by ?? null,
    reviewReason: human ? null : ((machine?.reviewReason as ReviewReason | null) ?? null),
    executionScore: h ? (h.executionFraction === null ? null : round(h.executionFraction * 100)) : final && m?.executionFraction != null ? round(m.executionFraction * 100) : null,
    rubricScore: h ? round(h.rubricFraction * 100) : final && m?.rubricFraction != null ? round(m.rubricFraction * 100) : null,
    cases,
    criteria,
    reviewerComment: h?.comment ?? null,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

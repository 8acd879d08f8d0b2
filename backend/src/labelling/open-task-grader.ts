import { Injectable } from '@nestjs/common';
import type { AnswerValue, GuardReport, ItemData, OpenTaskGrading, OpenTaskType, ReviewReason } from '@aitrainer/contracts';
import { nearPassMark, referenceEvidence, rubricFraction, type Evidence, type ReviewDecision } from '@aitrainer/domain';
import { GRADING_GUARDS, JudgeUsage, LlmJudge, type JudgedCriterion, type JudgeRun } from '../grading/judge/llm-judge';
import { buildFramings } from '../grading/judge/judge-framings';
import { concludeGuards, judgeGuards, screenOnlyGuards, type PartialGuards } from '../grading/judge/guard-report';
import { candidateTexts, openTaskJudgeMaterial, openTaskTemplateHash } from './open-task-judge-prompts';
import { exactPart, openItemScore } from './open-tasks';

/** Everything needed to grade one open-ended item: what a practice exercise or a practical exam item supplies. */
export interface OpenTaskDefinition {
  taskType: OpenTaskType;
  title: string;
  description: string;
  /** The exercise's label set (guideline, error review). */
  labels: string[];
  grading: OpenTaskGrading;
  item: { id: string; data: ItemData; gold: AnswerValue };
}

export interface OpenItemOutcome {
  itemId: string;
  /** Exact part in [0, 1]; null for types without one. */
  exactScore: number | null;
  /** Judged (rubric) part in [0, 1]; null when the judgement is unusable. */
  judgedScore: number | null;
  /** Out of 100; null when a person must decide. */
  score100: number | null;
  criteria: JudgedCriterion[];
  judgeRuns: JudgeRun[];
  injectionFindings: string[];
  /** Signals of this item (screens, runs, plausibility); the caller adds near-pass-mark and applies the policy. */
  reviewReasons: ReviewReason[];
  /** What the guards ran and found on this item. */
  guards: PartialGuards;
}

export interface OpenGradeCost {
  model: string | null;
  promptHash: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * Grades open-ended annotation work with the shared judge guards: candidate text only in data blocks, JSON
 * schema with one repair, clamped scores, two runs and their disagreement, injection screening. The exact part
 * (choice, corrections) is computed in code; the model never decides a number by itself.
 */
@Injectable()
export class OpenTaskGrader {
  constructor(private readonly judge: LlmJudge) {}

  get configured(): boolean {
    return this.judge.configured;
  }

  /**
   * The entry point an exam can call: (task definition, answer) -> the item's outcome and its signals. The candidate's
   * text is screened, judged twice independently, and the judged part checked against the deterministic evidence (the
   * reference's content, or the exact part of the corrections). LLM errors propagate.
   */
  async gradeItem(def: OpenTaskDefinition, answer: AnswerValue | null, usage = new JudgeUsage()): Promise<OpenItemOutcome> {
    const exact = exactPart(def.taskType, def.item.gold, answer);
    const base = { itemId: def.item.id, exactScore: exact, criteria: [], judgeRuns: [], injectionFindings: [] as string[] };
    const material = answer ? openTaskJudgeMaterial({ taskType: def.taskType, title: def.title, description: def.description, labels: def.labels, grading: def.grading, data: def.item.data, gold: def.item.gold, answer }) : null;
    if (!answer || !material || candidateTexts(answer).every((t) => t.trim() === '')) {
      // Nothing written: the judged part is 0 without asking the model.
      return { ...base, judgedScore: 0, score100: openItemScore(def.grading, exact, 0), reviewReasons: [], guards: screenOnlyGuards(null) };
    }
    // What the candidate was given (not the judge's own wording) is the vocabulary an answer may use.
    const taskText = [...material.context.filter((l) => !l.startsWith('Task: ')), material.reference ?? ''].join('\n');
    const screen = await this.judge.screen(material.candidate, { taskText }, usage);
    const judged = await this.judge.judgeRubricTwice(def.grading.rubric, buildFramings(material), usage);
    const judgedScore = judged.runs.length === 2 ? rubricFraction(def.grading.rubric, judged.criteria) : null;
    const models = { judge: this.judge.client.models.judge, second: this.judge.client.models.secondJudge };
    const guards = judgeGuards(screen, judged, models, evidenceFor(def, material.candidate.map((p) => p.text).join('\n'), material.reference, exact), judgedScore);
    const intent = guards.screens.find((x) => x.name === 'intent_screen')?.findings ?? [];
    return {
      ...base,
      judgedScore,
      score100: judgedScore === null ? null : openItemScore(def.grading, exact, judgedScore),
      criteria: judged.criteria,
      judgeRuns: judged.runs,
      injectionFindings: intent.map((f) => `${f.kind} in ${f.where}: ${f.excerpt}`),
      reviewReasons: guards.signals,
      guards,
    };
  }

  cost(usage: JudgeUsage): OpenGradeCost {
    return { model: usage.model, promptHash: openTaskTemplateHash(), inputTokens: usage.input, outputTokens: usage.output, costUsd: usage.costUsd };
  }
}

/**
 * The grade of several open-ended items together (a practice submission, or the exercise of an exam item): the mean
 * item score, near-pass-mark, and the review policy of the context over every item's signals. Scores to two decimals.
 */
export function openWorkDecision(outcomes: OpenItemOutcome[], grading: OpenTaskGrading, context: 'exam' | 'practice'): { score100: number | null; report: GuardReport; decision: ReviewDecision } {
  const complete = outcomes.every((o) => o.score100 !== null);
  const score100 = complete ? Math.round((outcomes.reduce((s, o) => s + o.score100!, 0) / Math.max(1, outcomes.length)) * 100) / 100 : null;
  const nearPass = score100 !== null && nearPassMark(score100, grading.passMark, GRADING_GUARDS.passMargin);
  const { report, decision } = concludeGuards(outcomes.map((o) => ({ label: `item ${o.itemId}`, guards: o.guards })), nearPass, context);
  return { score100, report, decision };
}

/** The deterministic evidence of an item: the exact part where the type has one, else the reference's content. */
function evidenceFor(def: OpenTaskDefinition, text: string, reference: string | null, exact: number | null): Evidence | null {
  if (def.taskType === 'error_review' && exact !== null) return { estimate: Math.min(1, 0.3 + exact), basis: `corrections F1 ${Math.round(exact * 100) / 100}` };
  if (reference && reference.trim()) return referenceEvidence(text, reference);
  return null;
}

import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { GuardReport, ReviewReason, RubricCriterion } from '@aitrainer/contracts';
import { referenceEvidence, rubricFraction } from '@aitrainer/domain';
import { JudgeUsage, LlmJudge, type JudgeRun } from '../grading/judge/llm-judge';
import { buildFramings, framingTemplates } from '../grading/judge/judge-framings';
import { concludeGuards, judgeGuards } from '../grading/judge/guard-report';

/** Bump when the wording below changes: the hash recorded with each grade names the template used. */
export const SHORT_ANSWER_TEMPLATE_VERSION = 'exam-short-answer-v2';

/** A short answer's rubric is the instructor's text: the judge scores the answer against it as one criterion, 0-10. */
const CRITERION: RubricCriterion = {
  id: 'rubric',
  name: 'Meets the marking rubric',
  weight: 1,
  maxScore: 10,
  levels: [
    { score: 0, descriptor: 'wrong, empty or off the question' },
    { score: 5, descriptor: 'half of what the rubric asks for, correctly' },
    { score: 10, descriptor: 'everything the rubric asks for, correct and clear' },
  ],
};

const ROLE = `You are an examiner for the vocational certification 人工智能训练师 (AI trainer).
You grade a candidate's short written answer to an exam question against the instructor's marking rubric.`;

export interface ShortAnswerOutcome {
  /** Fraction of the item's points; null when a person must decide. */
  fraction: number | null;
  reviewReason: ReviewReason | null;
  detail: { runs: JudgeRun[]; injectionFindings: string[]; llmFraction: number | null; guards: GuardReport | null };
  cost: { model: string | null; promptHash: string; inputTokens: number; outputTokens: number; costUsd: number };
}

/**
 * Judges a short answer against its question's rubric with the shared judge guards: the answer screened after
 * normalising (intent screen and the narrow LLM screen), datamarked inside a data block, two independent runs (whole
 * answer against the rubric; the criterion against the rubric text as reference), JSON schema with one repair,
 * clamped scores, and the grade checked against the answer's coverage of the rubric. Short answers are exam items:
 * every signal sends the item to a person. An empty answer scores 0 without a model call. LLM errors propagate.
 */
@Injectable()
export class ShortAnswerJudge {
  constructor(private readonly judge: LlmJudge) {}

  get configured(): boolean {
    return this.judge.configured;
  }

  async grade(stem: string, rubric: string, answer: string): Promise<ShortAnswerOutcome> {
    const usage = new JudgeUsage();
    const cost = () => ({ model: usage.model, promptHash: shortAnswerTemplateHash(), inputTokens: usage.input, outputTokens: usage.output, costUsd: usage.costUsd });
    if (!answer.trim()) return { fraction: 0, reviewReason: null, detail: { runs: [], injectionFindings: [], llmFraction: 0, guards: null }, cost: cost() };
    const pieces = [{ label: 'CANDIDATE ANSWER', text: answer }];
    const screen = await this.judge.screen(pieces, { taskText: `${stem}\n${rubric}` }, usage);
    const framings = buildFramings({ role: ROLE, context: [`Question: ${stem}`, `Marking rubric from the instructor: ${rubric}`], reference: rubric, rubric: [CRITERION], candidate: pieces });
    const judged = await this.judge.judgeRubricTwice([CRITERION], framings, usage);
    const fraction = judged.runs.length === 2 ? rubricFraction([CRITERION], judged.criteria) : null;
    const models = { judge: this.judge.client.models.judge, second: this.judge.client.models.secondJudge };
    const partial = judgeGuards(screen, judged, models, referenceEvidence(answer, rubric), fraction);
    const { report, decision } = concludeGuards([{ guards: partial }], false, 'exam');
    const reviewReason = decision.decision === 'review' ? decision.reason : null;
    const injectionFindings = report.screens.find((s) => s.name === 'intent_screen')!.findings.map((f) => `${f.kind} in ${f.where}: ${f.excerpt}`);
    return { fraction: reviewReason || fraction === null ? null : fraction, reviewReason, detail: { runs: judged.runs, injectionFindings, llmFraction: fraction, guards: report }, cost: cost() };
  }
}

export function shortAnswerTemplateHash(): string {
  return createHash('sha256').update(SHORT_ANSWER_TEMPLATE_VERSION).update(ROLE).update(framingTemplates()).update(JSON.stringify(CRITERION)).digest('hex');
}

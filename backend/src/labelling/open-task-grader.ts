import { Injectable } from '@nestjs/common';
import type { AnswerValue, ItemData, OpenTaskGrading, OpenTaskType, ReviewReason } from '@aitrainer/contracts';
import { rubricFraction, screenInjection } from '@aitrainer/domain';
import { JudgeUsage, LlmJudge, type JudgedCriterion, type JudgeRun } from '../grading/judge/llm-judge';
import { candidateTexts, openTaskJudgeMessages, openTaskTemplateHash } from './open-task-judge-prompts';
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
  reviewReasons: ReviewReason[];
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

  /** The entry point an exam can call: (task definition, answer) -> grade outcome. LLM errors propagate. */
  async gradeItem(def: OpenTaskDefinition, answer: AnswerValue | null, usage = new JudgeUsage()): Promise<OpenItemOutcome> {
    const exact = exactPart(def.taskType, def.item.gold, answer);
    const base = { itemId: def.item.id, exactScore: exact, criteria: [], judgeRuns: [], injectionFindings: [] as string[] };
    const texts = answer ? candidateTexts(answer) : [];
    if (!answer || texts.every((t) => t.trim() === '')) {
      // Nothing written: the judged part is 0 without asking the model.
      return { ...base, judgedScore: 0, score100: openItemScore(def.grading, exact, 0), reviewReasons: [] };
    }
    const injectionFindings = [...new Set(texts.flatMap((t) => screenInjection(t)))];
    const reviewReasons: ReviewReason[] = injectionFindings.length ? ['possible_injection'] : [];
    const judged = await this.judge.judgeRubricTwice(
      def.grading.rubric,
      openTaskJudgeMessages({ taskType: def.taskType, title: def.title, description: def.description, labels: def.labels, grading: def.grading, data: def.item.data, gold: def.item.gold, answer }),
      usage,
    );
    reviewReasons.push(...judged.reasons);
    const judgedScore = judged.runs.length === 2 ? rubricFraction(def.grading.rubric, judged.criteria) : null;
    return {
      ...base,
      judgedScore,
      score100: judgedScore === null ? null : openItemScore(def.grading, exact, judgedScore),
      criteria: judged.criteria,
      judgeRuns: judged.runs,
      injectionFindings,
      reviewReasons,
    };
  }

  cost(usage: JudgeUsage): OpenGradeCost {
    return { model: usage.model, promptHash: openTaskTemplateHash(), inputTokens: usage.input, outputTokens: usage.output, costUsd: usage.costUsd };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { scoreSubmission, ScoringInputError, type TaskType } from '@aitrainer/scoring';
import { isOpenTaskType, type AnswerValue, type OpenTaskType, type ReviewReason } from '@aitrainer/contracts';
import { JudgeUsage } from '../grading/judge/llm-judge';
import { LabellingExercise } from './entities/labelling-exercise.entity';
import { LabellingItem } from './entities/labelling-item.entity';
import { canonicalValue, scorerOptions } from './task-definitions';
import { OpenTaskGrader, openWorkDecision, type OpenGradeCost, type OpenItemOutcome } from './open-task-grader';

/** Why a labelling exam item cannot be graded by a machine at all (a person grades it). */
export type LabellingExamProblem = 'exercise_missing' | 'gold_missing' | 'rubric_missing' | 'answer_invalid';

/** The grade of one practical exam item that points at a labelling exercise. */
export interface LabellingExamItemGrade {
  /** `auto` for the exact scorers, `llm` for open-ended work. */
  source: 'auto' | 'llm';
  /** Fraction of the item's points in [0, 1]; null when a person must decide (see `reviewReason`). */
  fraction: number | null;
  reviewReason: ReviewReason | LabellingExamProblem | null;
  /** Metrics and per-item feedback (exact), or the judged outcomes (open-ended): for reviewers, never the candidate. */
  detail: unknown;
  cost: OpenGradeCost | null;
}

/**
 * The labelling context's port for exams: grades a candidate's answers to a whole exercise (the exam item's answer
 * is `{ items: { <item id>: <answer> } }`) with the same scorers as practice — the exact scorers of
 * @aitrainer/scoring against the exercise's gold, or OpenTaskGrader for the open-ended types. Nothing is stored
 * here: the exam stores the grade under its own subject. LLM errors propagate (the caller's job retries them).
 */
@Injectable()
export class LabellingExamItemGrader {
  constructor(
    @InjectRepository(LabellingExercise) private readonly exercises: Repository<LabellingExercise>,
    @InjectRepository(LabellingItem) private readonly items: Repository<LabellingItem>,
    private readonly openGrader: OpenTaskGrader,
  ) {}

  async grade(exerciseId: number, answer: unknown): Promise<LabellingExamItemGrade> {
    const exercise = await this.exercises.findOneBy({ id: exerciseId });
    if (!exercise) return problem('auto', 'exercise_missing');
    const items = await this.items.find({ where: { exerciseId }, order: { position: 'ASC' } });
    const open = isOpenTaskType(exercise.taskType);
    const source = open ? 'llm' : 'auto';
    if (!items.length || items.some((i) => !i.gold)) return problem(source, 'gold_missing');
    const given = answersOf(answer);
    if (open) return this.gradeOpen(exercise, items, given);

    const gold = items.map((i) => ({ ...(i.gold as object), itemId: i.externalId }));
    const answers = items.filter((i) => given.has(i.externalId)).map((i) => ({ ...canonicalValue(exercise.taskType, given.get(i.externalId)), itemId: i.externalId }));
    try {
      const scored = scoreSubmission(exercise.taskType as TaskType, gold, answers, scorerOptions(exercise.taskType, exercise.labels, exercise.scoring, items) as never);
      return { source, fraction: clamp01(scored.score), reviewReason: null, detail: { score: scored.score, kappa: scored.kappa, metrics: scored.metrics, items: scored.items }, cost: null };
    } catch (e) {
      if (e instanceof ScoringInputError) return { ...problem(source, 'answer_invalid'), detail: { error: e.message, problems: e.problems.slice(0, 10) } };
      throw e;
    }
  }

  private async gradeOpen(exercise: LabellingExercise, items: LabellingItem[], given: Map<string, unknown>): Promise<LabellingExamItemGrade> {
    const grading = exercise.scoring.openGrading;
    if (!grading) return problem('llm', 'rubric_missing');
    if (!this.openGrader.configured) return problem('llm', 'no_llm_configured');
    const usage = new JudgeUsage();
    const outcomes: OpenItemOutcome[] = [];
    for (const item of items) {
      const raw = given.get(item.externalId);
      const value = raw ? canonicalValue(exercise.taskType, raw) : null;
      outcomes.push(
        await this.openGrader.gradeItem(
          { taskType: exercise.taskType as OpenTaskType, title: exercise.title, description: exercise.description, labels: exercise.labels.labels ?? [], grading, item: { id: item.externalId, data: item.data, gold: item.gold as AnswerValue } },
          value,
          usage,
        ),
      );
    }
    // A certification exam: every signal of any item sends the exam item to a person.
    const { score100, report, decision } = openWorkDecision(outcomes, grading, 'exam');
    const reviewReason: ReviewReason | null = decision.decision === 'review' ? decision.reason : null;
    return {
      source: 'llm',
      fraction: reviewReason || score100 === null ? null : clamp01(score100 / 100),
      reviewReason,
      detail: { score100, llmFraction: score100 === null ? null : clamp01(score100 / 100), items: outcomes.map(({ guards: _g, ...rest }) => rest), guards: report },
      cost: this.openGrader.cost(usage),
    };
  }
}

function problem(source: 'auto' | 'llm', reason: LabellingExamItemGrade['reviewReason']): LabellingExamItemGrade {
  return { source, fraction: null, reviewReason: reason, detail: null, cost: null };
}

function answersOf(answer: unknown): Map<string, unknown> {
  const items = answer && typeof answer === 'object' ? (answer as { items?: unknown }).items : null;
  if (!items || typeof items !== 'object' || Array.isArray(items)) return new Map();
  return new Map(Object.entries(items as Record<string, unknown>));
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { scoreSubmission, ScoringInputError, type TaskType } from '@aitrainer/scoring';
import { isOpenTaskType, type AnswerValue, type GuardReport, type ItemFeedbackView, type OpenTaskType, type ReviewReason, type SubmissionResultView } from '@aitrainer/contracts';
import { isPass } from '@aitrainer/domain';
import { GradingService } from '../grading/grading.service';
import { JudgeUsage } from '../grading/judge/llm-judge';
import { JOB_QUEUE, PermanentJobError, type JobContext, type JobQueue } from '../infra/queue/job-queue';
import { JOBS } from '../infra/queue/queue.constants';
import { LlmPermanentError, LlmTransientError } from '../infra/llm/llm.errors';
import { LabellingExercise } from './entities/labelling-exercise.entity';
import { LabellingItem } from './entities/labelling-item.entity';
import { LabellingAnswer, LabellingSubmission } from './entities/labelling-submission.entity';
import { canonicalValue, scorerOptions } from './task-definitions';
import { OpenTaskGrader, openWorkDecision, type OpenItemOutcome } from './open-task-grader';
import type { ExplainLabellingMistakesJob } from './jobs/explain-labelling-mistakes.job';

export const SUBJECT_TYPE = 'labelling_submission';
export const explanationJobId = (submissionId: number, version: number) => `labelling-explanation-${submissionId}-v${version}`;

/** What the machine grade of open-ended work keeps beside the student's result (for reviewers only). */
export interface OpenMachineDetail {
  result: SubmissionResultView;
  items: Omit<OpenItemOutcome, 'criteria' | 'guards'>[];
  reviewReason: ReviewReason | null;
  /** Screens run, findings, the normalised text and the review decision over all items. */
  guards?: GuardReport;
}

/**
 * Scores a submitted submission and stores the grade once (GradingService's unique key makes a retried or
 * duplicated job harmless), then reports it on the submission. Deterministic task types are scored exactly with
 * @aitrainer/scoring (`auto`); open-ended ones by OpenTaskGrader (`llm`), sent to a person when the guards say so.
 */
@Injectable()
export class LabellingGrader {
  private readonly logger = new Logger('LabellingGrader');

  constructor(
    @InjectRepository(LabellingSubmission) private readonly submissions: Repository<LabellingSubmission>,
    @InjectRepository(LabellingExercise) private readonly exercises: Repository<LabellingExercise>,
    @InjectRepository(LabellingItem) private readonly items: Repository<LabellingItem>,
    @InjectRepository(LabellingAnswer) private readonly answers: Repository<LabellingAnswer>,
    private readonly grading: GradingService,
    private readonly openGrader: OpenTaskGrader,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  async grade(submissionId: number, version: number, job: JobContext = { jobId: '', attempt: 1, maxAttempts: 1 }): Promise<void> {
    const submission = await this.submissions.findOneBy({ id: submissionId });
    if (!submission) throw new PermanentJobError(`submission ${submissionId} does not exist`);
    if (submission.version !== version || submission.state === 'draft') throw new PermanentJobError(`submission ${submissionId} v${version} is not waiting for a grade`);
    const exercise = await this.exercises.findOneByOrFail({ id: submission.exerciseId });
    const items = await this.items.find({ where: { exerciseId: exercise.id }, order: { position: 'ASC' } });
    if (isOpenTaskType(exercise.taskType)) return this.gradeOpen(submission, exercise, items, job);

    let grade = await this.grading.effective(SUBJECT_TYPE, String(submissionId), version);
    if (!grade) {
      const missing = items.filter((i) => !i.gold).length;
      if (missing) return this.fail(submission, `${missing} item(s) have no gold answer`);
      const itemIds = new Set(items.map((i) => i.externalId));
      const gold = items.map((i) => ({ ...(i.gold as object), itemId: i.externalId }));
      const answers = (await this.answers.findBy({ submissionId }))
        .filter((a) => itemIds.has(a.itemId))
        .map((a) => ({ ...canonicalValue(exercise.taskType, a.value), itemId: a.itemId }));
      let scored;
      try {
        scored = scoreSubmission(exercise.taskType as TaskType, gold, answers, scorerOptions(exercise.taskType, exercise.labels, exercise.scoring, items) as never);
      } catch (e) {
        if (e instanceof ScoringInputError) return this.fail(submission, `${e.message}${e.problems.length ? ': ' + e.problems.slice(0, 3).map((p) => `${p.path} ${p.problem}`).join('; ') : ''}`);
        throw e;
      }
      const detail: SubmissionResultView = { score: scored.score, kappa: scored.kappa, metrics: scored.metrics as unknown as Record<string, unknown>, items: scored.items as never };
      ({ grade } = await this.grading.record({
        subjectType: SUBJECT_TYPE,
        subjectId: String(submissionId),
        subjectVersion: version,
        source: 'auto',
        status: 'final',
        score: scored.score,
        detail,
        reviewReason: null,
        model: null,
        promptHash: null,
        inputTokens: null,
        outputTokens: null,
        costUsd: null,
        gradedBy: null,
      }));
    }
    // Report the grade that counts (a human one would win) on the submission.
    const result = grade.detail as SubmissionResultView;
    const explain = this.openGrader.configured && submission.explanation === null && result.items.some((i) => !i.correct);
    await this.submissions.update(
      { id: submissionId, version },
      { state: 'graded', score: grade.score, result: result as never, gradedAt: new Date(), failureReason: null, ...(explain && { explanation: { status: 'pending', groups: [], summary: '', model: null } as never }) },
    );
    // The explanation is a separate job after the exact grade is stored: it can never change or hold up the score.
    if (explain) {
      const payload: ExplainLabellingMistakesJob = { submissionId, version };
      await this.queue.add(JOBS.explainLabellingMistakes, payload, { jobId: explanationJobId(submissionId, version) });
    }
  }

  private async gradeOpen(submission: LabellingSubmission, exercise: LabellingExercise, items: LabellingItem[], job: JobContext): Promise<void> {
    const id = String(submission.id);
    const [machine] = await this.grading.bySources(SUBJECT_TYPE, id, submission.version);
    if (!machine) {
      const grading = exercise.scoring.openGrading;
      if (!grading) return this.fail(submission, 'the exercise has no rubric');
      const missing = items.filter((i) => !i.gold).length;
      if (missing) return this.fail(submission, `${missing} item(s) have no reference answer`);
      if (!this.openGrader.configured) return this.openToReview(submission, 'no_llm_configured');
      const answers = new Map((await this.answers.findBy({ submissionId: submission.id })).map((a) => [a.itemId, a.value]));
      const usage = new JudgeUsage();
      const outcomes: OpenItemOutcome[] = [];
      try {
        for (const item of items) {
          const raw = answers.get(item.externalId);
          const answer = raw ? canonicalValue(exercise.taskType, raw) : null;
          outcomes.push(
            await this.openGrader.gradeItem(
              {
                taskType: exercise.taskType as OpenTaskType,
                title: exercise.title,
                description: exercise.description,
                labels: exercise.labels.labels ?? [],
                grading,
                item: { id: item.externalId, data: item.data, gold: item.gold as AnswerValue },
              },
              answer,
              usage,
            ),
          );
        }
      } catch (e) {
        if (e instanceof LlmTransientError && job.attempt < job.maxAttempts) throw e; // the queue retries with backoff
        if (e instanceof LlmTransientError) {
          this.logger.warn(`Submission ${submission.id}: the LLM stayed unavailable after ${job.attempt} tries; sent to human review`);
          return this.openToReview(submission, 'llm_unavailable');
        }
        if (e instanceof LlmPermanentError) throw new PermanentJobError(`the LLM refused the request (${e.code}): ${e.message}`);
        throw e;
      }
      const { score100, report, decision } = openWorkDecision(outcomes, grading, 'practice');
      const reviewReason = decision.decision === 'review' ? decision.reason : null;
      const result = openResult(exercise, outcomes, score100 ?? 0, 'llm');
      const cost = this.openGrader.cost(usage);
      const detail: OpenMachineDetail = { result, items: outcomes.map(({ criteria: _c, guards: _g, ...rest }) => rest), reviewReason, guards: report };
      await this.grading.record({
        subjectType: SUBJECT_TYPE,
        subjectId: id,
        subjectVersion: submission.version,
        source: 'llm',
        status: reviewReason ? 'needs_review' : 'final',
        score: reviewReason || score100 === null ? null : score100 / 100,
        detail,
        reviewReason,
        ...cost,
        gradedBy: null,
      });
    }
    await this.reportOpen(submission);
  }

  /** Copies the grade that counts onto the submission: a human grade, a final machine grade, or "awaiting review". */
  async reportOpen(submission: LabellingSubmission): Promise<void> {
    const [machine, human] = await this.grading.bySources(SUBJECT_TYPE, String(submission.id), submission.version);
    const counting = human ?? (machine?.status === 'final' ? machine : null);
    if (counting) {
      const result = (counting.source === 'human' ? counting.detail : (counting.detail as OpenMachineDetail).result) as SubmissionResultView;
      await this.submissions.update({ id: submission.id, version: submission.version }, { state: 'graded', score: counting.score, result: result as never, gradedAt: new Date(), failureReason: null, reviewReason: null });
    } else {
      await this.submissions.update(
        { id: submission.id, version: submission.version },
        { state: 'needs_review', score: null, result: null, reviewReason: (machine?.reviewReason as ReviewReason | null) ?? null, failureReason: null },
      );
    }
  }

  private async openToReview(submission: LabellingSubmission, reason: ReviewReason): Promise<void> {
    await this.grading.record({
      subjectType: SUBJECT_TYPE,
      subjectId: String(submission.id),
      subjectVersion: submission.version,
      source: 'llm',
      status: 'needs_review',
      score: null,
      detail: null,
      reviewReason: reason,
      model: null,
      promptHash: null,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      gradedBy: null,
    });
    await this.reportOpen(submission);
  }

  private async fail(submission: LabellingSubmission, reason: string): Promise<never> {
    this.logger.warn(`submission ${submission.id} cannot be scored: ${reason}`);
    await this.submissions.update({ id: submission.id, state: 'submitted' }, { state: 'failed', failureReason: reason.slice(0, 500) });
    throw new PermanentJobError(reason);
  }
}

/** The student's result of open-ended work: per item the exact part, the judged part and the criteria. */
export function openResult(exercise: LabellingExercise, outcomes: Pick<OpenItemOutcome, 'itemId' | 'exactScore' | 'judgedScore' | 'score100' | 'criteria'>[], score100: number, gradedBy: 'llm' | 'human', comment: string | null = null): SubmissionResultView {
  const grading = exercise.scoring.openGrading!;
  const items: ItemFeedbackView[] = outcomes.map((o) => ({
    itemId: o.itemId,
    correct: (o.score100 ?? 0) >= grading.passMark,
    score: (o.score100 ?? 0) / 100,
    missed: [],
    wrong: [],
    extra: [],
    exactScore: o.exactScore,
    judgedScore: o.judgedScore,
    criteria: grading.rubric.map((c) => {
      const given = o.criteria.find((x) => x.id === c.id);
      return { id: c.id, name: c.name, score: given?.score ?? 0, maxScore: c.maxScore, rationale: given?.rationale ?? '', evidence: given?.evidence ?? '' };
    }),
  }));
  return { score: score100 / 100, kappa: null, metrics: { passMark: grading.passMark }, items, passed: isPass(score100, grading.passMark), gradedBy, reviewerComment: comment };
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { scoreSubmission, ScoringInputError, type TaskType } from '@aitrainer/scoring';
import type { SubmissionResultView } from '@aitrainer/contracts';
import { GradingService } from '../grading/grading.service';
import { PermanentJobError } from '../infra/queue/job-queue';
import { LabellingExercise } from './entities/labelling-exercise.entity';
import { LabellingItem } from './entities/labelling-item.entity';
import { LabellingAnswer, LabellingSubmission } from './entities/labelling-submission.entity';
import { canonicalValue, scorerOptions } from './task-definitions';

export const SUBJECT_TYPE = 'labelling_submission';

/**
 * Scores a submitted submission with @aitrainer/scoring against the exercise's gold, stores the grade once
 * (GradingService's unique key makes a retried or duplicated job harmless) and reports it on the submission.
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
  ) {}

  async grade(submissionId: number, version: number): Promise<void> {
    const submission = await this.submissions.findOneBy({ id: submissionId });
    if (!submission) throw new PermanentJobError(`submission ${submissionId} does not exist`);
    if (submission.version !== version || submission.state === 'draft') throw new PermanentJobError(`submission ${submissionId} v${version} is not waiting for a grade`);
    const exercise = await this.exercises.findOneByOrFail({ id: submission.exerciseId });
    const items = await this.items.find({ where: { exerciseId: exercise.id }, order: { position: 'ASC' } });

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
        scored = scoreSubmission(exercise.taskType as TaskType, gold, answers, scorerOptions(exercise.taskType, exercise.labels, exercise.scoring) as never);
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
    await this.submissions.update(
      { id: submissionId, version },
      { state: 'graded', score: grade.score, result: grade.detail as never, gradedAt: new Date(), failureReason: null },
    );
  }

  private async fail(submission: LabellingSubmission, reason: string): Promise<never> {
    this.logger.warn(`submission ${submission.id} cannot be scored: ${reason}`);
    await this.submissions.update({ id: submission.id, state: 'submitted' }, { state: 'failed', failureReason: reason.slice(0, 500) });
    throw new PermanentJobError(reason);
  }
}

import { isUniqueViolation } from '../infra/database/unique-violation';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import type { AnswerValue, SaveAnswerResponse, SubmissionView } from '@aitrainer/contracts';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { JOB_QUEUE, type JobQueue } from '../infra/queue/job-queue';
import { JOBS } from '../infra/queue/queue.constants';
import { LabellingExercise } from './entities/labelling-exercise.entity';
import { LabellingItem } from './entities/labelling-item.entity';
import { LabellingAnswer, LabellingSubmission } from './entities/labelling-submission.entity';
import { canPractise, ownsExercise } from './labelling-access';
import { answerProblems, canonicalValue, toFieldProblem } from './task-definitions';
import type { GradeLabellingSubmissionJob } from './jobs/grade-labelling-submission.job';

export const gradingJobId = (submissionId: number, version: number) => `labelling-submission-${submissionId}-v${version}`;

/** A student's practice: start, autosave answers item by item, submit for grading, read the result. */
@Injectable()
export class PracticeService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(LabellingExercise) private readonly exercises: Repository<LabellingExercise>,
    @InjectRepository(LabellingItem) private readonly items: Repository<LabellingItem>,
    @InjectRepository(LabellingSubmission) private readonly submissions: Repository<LabellingSubmission>,
    @InjectRepository(LabellingAnswer) private readonly answers: Repository<LabellingAnswer>,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  private async practisable(ctx: RequestContext, exerciseId: number): Promise<LabellingExercise> {
    const exercise = await this.exercises.findOneBy({ id: exerciseId });
    if (!exercise || !canPractise(ctx.principal, exercise)) throw DomainError.notFound('Exercise');
    return exercise;
  }

  /** The student's open draft, or a new one (a new attempt after a graded one). */
  async start(ctx: RequestContext, exerciseId: number): Promise<SubmissionView> {
    await this.practisable(ctx, exerciseId);
    const findDraft = () => this.submissions.findOneBy({ exerciseId, studentId: ctx.principal.userId, state: 'draft' });
    const draft = await findDraft();
    if (draft) return this.view(draft);
    let created: LabellingSubmission;
    try {
      created = await this.createDraft(exerciseId, ctx.principal.userId);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const raced = await findDraft(); // a concurrent start made it first
      if (!raced) throw e;
      return this.view(raced);
    }
    return this.view(created);
  }

  private createDraft(exerciseId: number, studentId: number): Promise<LabellingSubmission> {
    return this.submissions.save(
      this.submissions.create({
        exerciseId,
        studentId,
        state: 'draft',
        draftOwner: studentId,
        version: 1,
        score: null,
        result: null,
        failureReason: null,
        reviewReason: null,
        explanation: null,
        startedAt: new Date(),
        submittedAt: null,
        gradedAt: null,
      }),
    );
  }

  /** The student's latest submission of the exercise. */
  async latest(ctx: RequestContext, exerciseId: number): Promise<SubmissionView> {
    await this.practisable(ctx, exerciseId);
    const row = await this.submissions.findOne({ where: { exerciseId, studentId: ctx.principal.userId }, order: { id: 'DESC' } });
    if (!row) throw DomainError.notFound('Submission');
    return this.view(row);
  }

  /** A student reads their own submissions; the owner of the exercise reads any of its submissions. */
  async get(ctx: RequestContext, id: number): Promise<SubmissionView> {
    const submission = await this.submissions.findOneBy({ id });
    if (!submission) throw DomainError.notFound('Submission');
    if (submission.studentId !== ctx.principal.userId) {
      const exercise = await this.exercises.findOneBy({ id: submission.exerciseId });
      if (!exercise || !ownsExercise(ctx.principal, exercise)) throw DomainError.notFound('Submission');
    }
    return this.view(submission);
  }

  private async ownDraft(ctx: RequestContext, id: number): Promise<{ submission: LabellingSubmission; exercise: LabellingExercise }> {
    const submission = await this.submissions.findOneBy({ id });
    if (!submission || submission.studentId !== ctx.principal.userId) throw DomainError.notFound('Submission');
    const exercise = await this.practisable(ctx, submission.exerciseId);
    return { submission, exercise };
  }

  /**
   * Autosave: one statement that inserts the answer or replaces it only when `seq` is higher than the stored one,
   * and only while the submission is a draft. A late, older save can never overwrite a newer one.
   */
  async saveAnswer(ctx: RequestContext, id: number, itemId: string, seq: number, value: unknown): Promise<SaveAnswerResponse> {
    const { submission, exercise } = await this.ownDraft(ctx, id);
    if (submission.state !== 'draft') throw DomainError.conflict('state', 'SUBMISSION_LOCKED');
    const item = await this.items.findOneBy({ exerciseId: exercise.id, externalId: itemId });
    if (!item) throw DomainError.validation('itemId', 'ITEM_NOT_IN_EXERCISE', { item: itemId });
    const problems = answerProblems(exercise.taskType, exercise.labels, item.externalId, item.data, value, 'value');
    if (problems.length) {
      const fields = problems.map((p) => toFieldProblem(p));
      throw new DomainError('VALIDATION_FAILED', fields.map((f) => `${f.field} ${f.problem}`).join('; '), fields);
    }
    const json = JSON.stringify(canonicalValue(exercise.taskType, value));
    const now = new Date();
        if (this.db.options.type === 'mysql') {
      // MySQL applies assignments left to right: `value` must be decided before `seq` changes.
      await this.db.query(
        `INSERT INTO labelling_answers (submission_id, item_id, seq, value, updated_at)
         SELECT ?, ?, ?, ?, ? FROM labelling_submissions WHERE id = ? AND state = 'draft'
         ON DUPLICATE KEY UPDATE value = IF(VALUES(seq) > seq, VALUES(value), value),
           updated_at = IF(VALUES(seq) > seq, VALUES(updated_at), updated_at), seq = GREATEST(seq, VALUES(seq))`,
        [id, itemId, seq, json, now, id],
      );
    } else {
      await this.db.query(
        `INSERT INTO labelling_answers (submission_id, item_id, seq, value, updated_at)
         SELECT ?, ?, ?, ?, ? FROM labelling_submissions WHERE id = ? AND state = 'draft'
         ON CONFLICT (submission_id, item_id) DO UPDATE SET value = excluded.value, seq = excluded.seq, updated_at = excluded.updated_at
         WHERE excluded.seq > labelling_answers.seq`,
        [id, itemId, seq, json, now.toISOString().replace('T', ' ').replace('Z', ''), id],
      );
    }
    const stored = await this.answers.findOneBy({ submissionId: id, itemId });
    if (!stored) throw DomainError.conflict('state', 'SUBMISSION_LOCKED');
    return { itemId, seq: stored.seq, saved: stored.seq === seq };
  }

  /** Moves a draft to submitted exactly once and queues its grading job (job id = submission id + version). */
  async submit(ctx: RequestContext, id: number): Promise<SubmissionView> {
    const { submission } = await this.ownDraft(ctx, id);
    if (submission.state === 'draft') {
      const moved = await this.submissions.update({ id, state: 'draft' }, { state: 'submitted', draftOwner: null, submittedAt: new Date() });
      if (moved.affected) {
        const payload: GradeLabellingSubmissionJob = { submissionId: id, version: submission.version };
        try {
          await this.queue.add(JOBS.gradeLabellingSubmission, payload, { jobId: gradingJobId(id, submission.version) });
        } catch (e) {
          // Not queued: give the draft back so the student can submit again.
          await this.submissions.update({ id, state: 'submitted' }, { state: 'draft', draftOwner: submission.studentId, submittedAt: null });
          throw e;
        }
      }
    }
    return this.view(await this.submissions.findOneByOrFail({ id }));
  }

  /** The submission as its student (or the exercise's reviewers) see it. */
  async view(s: LabellingSubmission): Promise<SubmissionView> {
    const rows = await this.answers.find({ where: { submissionId: s.id }, order: { id: 'ASC' } });
    return {
      id: s.id,
      exerciseId: s.exerciseId,
      studentId: s.studentId,
      state: s.state,
      version: s.version,
      answers: rows.map((a) => ({ itemId: a.itemId, seq: a.seq, value: a.value as AnswerValue })),
      answeredCount: rows.length,
      startedAt: s.startedAt.toISOString(),
      submittedAt: s.submittedAt?.toISOString() ?? null,
      gradedAt: s.gradedAt?.toISOString() ?? null,
      result: s.state === 'graded' ? s.result : null,
      failureReason: s.state === 'failed' ? s.failureReason : null,
      reviewReason: s.state === 'needs_review' ? s.reviewReason : null,
      explanation: s.state === 'graded' ? s.explanation : null,
    };
  }
}

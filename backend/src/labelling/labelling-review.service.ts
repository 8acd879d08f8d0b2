import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { LabellingReviewDetail, LabellingReviewSummary, ReviewReason, SubmitLabellingReviewRequest } from '@aitrainer/contracts';
import { clampScore, rubricFraction } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import type { Principal, RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { GradingService } from '../grading/grading.service';
import { User } from '../identity/entities/user.entity';
import { LabellingExercise } from './entities/labelling-exercise.entity';
import { LabellingItem } from './entities/labelling-item.entity';
import { LabellingSubmission } from './entities/labelling-submission.entity';
import { LabellingGrader, openResult, SUBJECT_TYPE, type OpenMachineDetail } from './labelling-grader.service';
import { exactPart, openItemScore } from './open-tasks';
import { PracticeService } from './practice.service';
import { canonicalValue } from './task-definitions';
import { isOpenTaskType, type AnswerValue, type OpenTaskType } from '@aitrainer/contracts';

/** Reviewers of an exercise's open-ended work: its owner, org admins of its organisation, platform admins. */
function mayReview(p: Principal, e: LabellingExercise): boolean {
  if (p.role === 'platform_admin') return true;
  if (p.role === 'instructor') return e.ownerId === p.userId;
  return p.role === 'org_admin' && p.organisationId !== null && p.organisationId === e.organisationId;
}

/**
 * Human review of open-ended labelling work, the same shape as the prompt review queue: a queue with reasons,
 * a detail with the machine's judge runs, and a per-criterion human grade that wins and is audited before/after.
 */
@Injectable()
export class LabellingReviewService {
  constructor(
    @InjectRepository(LabellingSubmission) private readonly submissions: Repository<LabellingSubmission>,
    @InjectRepository(LabellingExercise) private readonly exercises: Repository<LabellingExercise>,
    @InjectRepository(LabellingItem) private readonly items: Repository<LabellingItem>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly grades: GradingService,
    private readonly grader: LabellingGrader,
    private readonly practice: PracticeService,
    private readonly audit: AuditService,
  ) {}

  async queue(ctx: RequestContext): Promise<LabellingReviewSummary[]> {
    const exercises = (await this.exercises.find()).filter((e) => isOpenTaskType(e.taskType) && mayReview(ctx.principal, e));
    if (!exercises.length) return [];
    const rows = await this.submissions.find({ where: { state: 'needs_review', exerciseId: In(exercises.map((e) => e.id)) }, order: { id: 'ASC' }, take: 200 });
    const students = rows.length ? await this.users.findBy({ id: In([...new Set(rows.map((r) => r.studentId))]) }) : [];
    return rows.map((s) => {
      const e = exercises.find((x) => x.id === s.exerciseId)!;
      return {
        submissionId: s.id,
        exerciseId: e.id,
        exerciseTitle: e.title,
        taskType: e.taskType,
        studentName: students.find((u) => u.id === s.studentId)?.realName ?? '?',
        reason: s.reviewReason,
        submittedAt: s.submittedAt?.toISOString() ?? null,
      };
    });
  }

  private async reviewable(ctx: RequestContext, id: number): Promise<{ submission: LabellingSubmission; exercise: LabellingExercise }> {
    const submission = await this.submissions.findOneBy({ id });
    const exercise = submission ? await this.exercises.findOneBy({ id: submission.exerciseId }) : null;
    if (!submission || !exercise || !isOpenTaskType(exercise.taskType) || !mayReview(ctx.principal, exercise) || submission.state === 'draft') throw DomainError.notFound('Submission');
    return { submission, exercise };
  }

  async detail(ctx: RequestContext, id: number): Promise<LabellingReviewDetail> {
    const { submission, exercise } = await this.reviewable(ctx, id);
    const [machine] = await this.grades.bySources(SUBJECT_TYPE, String(id), submission.version);
    const student = await this.users.findOneByOrFail({ id: submission.studentId });
    const items = await this.items.find({ where: { exerciseId: exercise.id }, order: { position: 'ASC' } });
    const m = machine?.detail as OpenMachineDetail | null;
    return {
      submission: await this.practice.view(submission),
      exercise: { id: exercise.id, title: exercise.title, description: exercise.description, taskType: exercise.taskType, labels: exercise.labels.labels ?? [], openGrading: exercise.scoring.openGrading ?? null },
      student: { id: student.id, realName: student.realName },
      items: items.map((i) => ({ id: i.externalId, position: i.position, data: i.data, gold: i.gold })),
      machine: machine
        ? {
            reviewReason: (machine.reviewReason as ReviewReason | null) ?? null,
            items: (m?.items ?? []).map((o) => ({ itemId: o.itemId, exactScore: o.exactScore, judgeRuns: o.judgeRuns, injectionFindings: o.injectionFindings })),
            model: machine.model,
            guards: m?.guards ?? null,
          }
        : null,
    };
  }

  /** A human grade: per item, a score per criterion; the exact part is recomputed in code. Wins over the model's. */
  async review(ctx: RequestContext, id: number, dto: SubmitLabellingReviewRequest): Promise<LabellingReviewDetail> {
    const { submission, exercise } = await this.reviewable(ctx, id);
    if (submission.state === 'failed' || submission.state === 'submitted') throw DomainError.conflict('state', 'SUBMISSION_NOT_GRADABLE', { state: submission.state });
    const grading = exercise.scoring.openGrading!;
    const items = await this.items.find({ where: { exerciseId: exercise.id }, order: { position: 'ASC' } });
    const view = await this.practice.view(submission);
    const answers = new Map(view.answers.map((a) => [a.itemId, a.value]));
    const outcomes = items.map((item, i) => {
      const given = dto.items.find((x) => x.itemId === item.externalId);
      if (!given) throw DomainError.validation('items', 'ITEM_NOT_GRADED', { item: item.externalId });
      const criteria = grading.rubric.map((c) => {
        const s = given.criteria.find((x) => x.id === c.id);
        if (!s) throw DomainError.validation(`items[${i}].criteria`, 'CRITERION_NOT_SCORED', { criterion: c.id });
        if (s.score > c.maxScore) throw DomainError.validation(`items[${i}].criteria`, 'CRITERION_SCORE_RANGE', { criterion: c.id, max: c.maxScore });
        return { id: c.id, score: clampScore(s.score, c.maxScore), evidence: '', rationale: '' };
      });
      const raw = answers.get(item.externalId);
      const exact = exactPart(exercise.taskType as OpenTaskType, item.gold as AnswerValue, raw ? canonicalValue(exercise.taskType, raw) : null);
      const judged = rubricFraction(grading.rubric, criteria);
      return { itemId: item.externalId, exactScore: exact, judgedScore: judged, score100: openItemScore(grading, exact, judged), criteria };
    });
    const score100 = Math.round((outcomes.reduce((s, o) => s + o.score100, 0) / Math.max(1, outcomes.length)) * 100) / 100;
    const comment = dto.comment.trim();
    const detail = openResult(exercise, outcomes, score100, 'human', comment);
    const [machine, human] = await this.grades.bySources(SUBJECT_TYPE, String(id), submission.version);
    const before = human ? { score100: (human.score ?? 0) * 100, source: 'human' } : machine ? { score100: machine.score === null ? null : machine.score * 100, source: 'llm' } : null;
    if (human) await this.grades.update(human.id, { score: score100 / 100, detail, gradedBy: ctx.principal.userId, status: 'final' });
    else
      await this.grades.record({
        subjectType: SUBJECT_TYPE, subjectId: String(id), subjectVersion: submission.version, source: 'human', status: 'final',
        score: score100 / 100, detail, reviewReason: null, model: null, promptHash: null, inputTokens: null, outputTokens: null, costUsd: null,
        gradedBy: ctx.principal.userId,
      });
    await this.grader.reportOpen(submission);
    await this.audit.record({
      actorId: ctx.principal.userId, action: 'grade.human', subjectType: SUBJECT_TYPE, subjectId: id, ip: ctx.ip,
      detail: { before, after: { score100, passed: detail.passed, items: outcomes.map((o) => ({ itemId: o.itemId, criteria: o.criteria.map((c) => ({ id: c.id, score: c.score })) })) }, comment },
    });
    return this.detail(ctx, id);
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { PromptAnswerStatus, ReviewDetail, ReviewItemSummary, ReviewReason } from '@aitrainer/contracts';
import { clampScore, combinedScore, isPass, rubricFraction } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { PermanentJobError, type JobContext } from '../infra/queue/job-queue';
import { LlmPermanentError, LlmTransientError } from '../infra/llm/llm.errors';
import { GradingService } from '../grading/grading.service';
import { User } from '../identity/entities/user.entity';
import { PromptAnswer } from './entities/prompt-answer.entity';
import { PromptTask } from './entities/prompt-task.entity';
import { PromptGrader, type MachineGrade } from './prompt-grader';
import { PromptTasksService, toSummary } from './prompt-tasks.service';
import { PROMPT_ANSWER, toAnswerView, type HumanGradeDetail, type MachineGradeDetail } from './prompt-answer-view';
import type { SubmitReviewDto } from './dto/prompt-task.dto';

/** Grades prompt answers (the job's work) and takes human reviews, which always win over the model. */
@Injectable()
export class PromptGradingService {
  private readonly logger = new Logger(PromptGradingService.name);

  constructor(
    @InjectRepository(PromptAnswer) private readonly answers: Repository<PromptAnswer>,
    @InjectRepository(PromptTask) private readonly taskRows: Repository<PromptTask>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly tasks: PromptTasksService,
    private readonly grader: PromptGrader,
    private readonly grades: GradingService,
    private readonly audit: AuditService,
  ) {}

  /** The job: idempotent (one machine grade per answer, whatever the retries), never losing the answer. */
  async gradeAnswer(answerId: number, job: JobContext): Promise<void> {
    const answer = await this.answers.findOneBy({ id: answerId });
    if (!answer) throw new PermanentJobError(`prompt answer ${answerId} does not exist`);
    const [existing] = await this.grades.bySources(PROMPT_ANSWER, String(answerId), 1);
    if (existing) {
      // A duplicate or retried job after the grade was stored: finish a run that died before the status was set.
      if (answer.status === 'grading') await this.answers.update({ id: answerId, status: 'grading' }, { status: existing.status === 'final' ? 'graded' : 'needs_review' });
      return;
    }
    const { definition } = await this.tasks.versionOf(answer.taskId, answer.taskVersion).catch(() => {
      throw new PermanentJobError(`prompt task ${answer.taskId} version ${answer.taskVersion} is missing`);
    });

    if (!this.grader.configured) return this.toReview(answer, 'no_llm_configured', null);
    let machine: MachineGrade;
    try {
      machine = await this.grader.grade(definition, answer.prompt);
    } catch (e) {
      if (e instanceof LlmTransientError && job.attempt < job.maxAttempts) throw e; // the queue retries with backoff
      if (e instanceof LlmTransientError) {
        this.logger.warn(`Answer ${answerId}: the LLM stayed unavailable after ${job.attempt} tries; sent to human review`);
        return this.toReview(answer, 'llm_unavailable', null);
      }
      if (e instanceof LlmPermanentError) throw new PermanentJobError(`the LLM refused the request (${e.code}): ${e.message}`);
      throw e;
    }
    const { model, promptHash, inputTokens, outputTokens, costUsd, ...detail } = machine;
    const status = machine.reviewReason ? 'needs_review' : 'final';
    await this.grades.record({
      subjectType: PROMPT_ANSWER,
      subjectId: String(answerId),
      subjectVersion: 1,
      source: 'llm',
      status,
      score: machine.score100 === null ? null : machine.score100 / 100,
      detail: detail satisfies MachineGradeDetail,
      reviewReason: machine.reviewReason,
      model,
      promptHash,
      inputTokens,
      outputTokens,
      costUsd,
      gradedBy: null,
    });
    await this.setStatus(answerId, status === 'final' ? 'graded' : 'needs_review');
  }

  private async toReview(answer: PromptAnswer, reason: ReviewReason, machine: MachineGrade | null): Promise<void> {
    await this.grades.record({
      subjectType: PROMPT_ANSWER,
      subjectId: String(answer.id),
      subjectVersion: 1,
      source: 'llm',
      status: 'needs_review',
      score: null,
      detail: machine,
      reviewReason: reason,
      model: null,
      promptHash: null,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      gradedBy: null,
    });
    await this.setStatus(answer.id, 'needs_review');
  }

  private async setStatus(answerId: number, status: PromptAnswerStatus): Promise<void> {
    await this.answers.update({ id: answerId }, { status });
  }

  // ---- human review ----

  private async reviewable(ctx: RequestContext, answerId: number): Promise<{ answer: PromptAnswer; task: PromptTask }> {
    const answer = await this.answers.findOneBy({ id: answerId });
    if (!answer) throw DomainError.notFound('Answer');
    const task = await this.taskRows.findOneBy({ id: answer.taskId });
    if (!task || (ctx.principal.role !== 'platform_admin' && task.organisationId !== ctx.principal.organisationId)) throw DomainError.notFound('Answer');
    return { answer, task };
  }

  async queue(ctx: RequestContext): Promise<ReviewItemSummary[]> {
    const tasks = await this.taskRows.find(ctx.principal.role === 'platform_admin' ? {} : { where: { organisationId: ctx.principal.organisationId ?? -1 } });
    if (!tasks.length) return [];
    const rows = await this.answers.find({ where: { status: 'needs_review', taskId: In(tasks.map((t) => t.id)) }, order: { id: 'ASC' }, take: 200 });
    const students = await this.users.findBy({ id: In([...new Set(rows.map((r) => r.studentId))]) });
    const out: ReviewItemSummary[] = [];
    for (const a of rows) {
      const [machine] = await this.grades.bySources(PROMPT_ANSWER, String(a.id), 1);
      out.push({
        answerId: a.id,
        taskId: a.taskId,
        taskTitle: tasks.find((t) => t.id === a.taskId)!.title,
        studentName: students.find((s) => s.id === a.studentId)?.realName ?? '?',
        reason: (machine?.reviewReason as ReviewReason | null) ?? null,
        submittedAt: a.submittedAt.toISOString(),
      });
    }
    return out;
  }

  async detail(ctx: RequestContext, answerId: number): Promise<ReviewDetail> {
    const { answer, task } = await this.reviewable(ctx, answerId);
    const { definition } = await this.tasks.versionOf(answer.taskId, answer.taskVersion);
    const [machine, human] = await this.grades.bySources(PROMPT_ANSWER, String(answer.id), 1);
    const student = await this.users.findOneByOrFail({ id: answer.studentId });
    const m = machine?.detail as MachineGradeDetail | null;
    return {
      answer: toAnswerView(answer, definition, machine, human),
      student: { id: student.id, realName: student.realName },
      task: { ...toSummary(task), version: answer.taskVersion, definition },
      machine: m
        ? { outputs: m.cases.map((c) => ({ case: c.case, output: c.output, checks: c.checks })), judgeRuns: m.judgeRuns, model: machine?.model ?? null, guards: m.guards ?? null }
        : null,
    };
  }

  /** A human grade: per-criterion scores and a comment. It wins over the model's and is audited with before/after. */
  async review(ctx: RequestContext, answerId: number, dto: SubmitReviewDto): Promise<ReviewDetail> {
    const { answer } = await this.reviewable(ctx, answerId);
    const { definition } = await this.tasks.versionOf(answer.taskId, answer.taskVersion);
    const ids = new Set(dto.criteria.map((c) => c.id));
    definition.rubric.forEach((c) => {
      if (!ids.has(c.id)) throw DomainError.validation('criteria', 'CRITERION_NOT_SCORED', { criterion: c.id });
    });
    dto.criteria.forEach((c, i) => {
      const criterion = definition.rubric.find((r) => r.id === c.id);
      if (!criterion) throw DomainError.validation(`criteria[${i}].id`, 'NOT_A_CRITERION');
      if (c.score > criterion.maxScore) throw DomainError.validation(`criteria[${i}].score`, 'BETWEEN', { min: 0, max: criterion.maxScore });
    });
    const [machine, human] = await this.grades.bySources(PROMPT_ANSWER, String(answer.id), 1);
    const m = machine?.detail as MachineGradeDetail | null;
    const criteria = definition.rubric.map((c) => ({ id: c.id, score: clampScore(dto.criteria.find((x) => x.id === c.id)!.score, c.maxScore) }));
    const rubric = rubricFraction(definition.rubric, criteria);
    const execution = m?.executionFraction ?? null;
    const score100 = combinedScore(definition, execution, rubric);
    const detail: HumanGradeDetail = { score100, passed: isPass(score100, definition.passMark), executionFraction: execution, rubricFraction: rubric, criteria, comment: dto.comment.trim() };
    const before = human ? (human.detail as HumanGradeDetail) : machine ? { score100: machine.score === null ? null : machine.score * 100, source: 'llm' } : null;
    if (human) {
      await this.grades.update(human.id, { score: score100 / 100, detail, gradedBy: ctx.principal.userId, status: 'final' });
    } else {
      await this.grades.record({
        subjectType: PROMPT_ANSWER, subjectId: String(answer.id), subjectVersion: 1, source: 'human', status: 'final',
        score: score100 / 100, detail, reviewReason: null, model: null, promptHash: null, inputTokens: null, outputTokens: null, costUsd: null,
        gradedBy: ctx.principal.userId,
      });
    }
    await this.setStatus(answer.id, 'graded');
    await this.audit.record({
      actorId: ctx.principal.userId, action: 'grade.human', subjectType: PROMPT_ANSWER, subjectId: answer.id, ip: ctx.ip,
      detail: { before, after: { score100, passed: detail.passed, criteria }, comment: detail.comment },
    });
    return this.detail(ctx, answerId);
  }
}

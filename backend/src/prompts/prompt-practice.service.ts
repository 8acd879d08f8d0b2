import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ErrorCode, type PlaygroundResponse, type PromptAnswerView, type PromptTaskStudentView, type PromptTaskSummary } from '@aitrainer/contracts';
import { fillPrompt, missingVariables } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { JOB_QUEUE, type JobQueue } from '../infra/queue/job-queue';
import { JOBS } from '../infra/queue/queue.constants';
import { LLM_CLIENT, type LlmClient } from '../infra/llm/llm-client';
import { LlmError } from '../infra/llm/llm.errors';
import { GradingService } from '../grading/grading.service';
import { PlaygroundUsage, PromptAnswer } from './entities/prompt-answer.entity';
import { PromptTasksService } from './prompt-tasks.service';
import { PROMPT_ANSWER, toAnswerView } from './prompt-answer-view';

export interface GradePromptAnswerJob {
  answerId: number;
}

/** The job id names the answer (answers are immutable, so its version is always 1): a duplicate enqueue is a no-op. */
export const promptAnswerJobId = (answerId: number) => `prompt-answer-${answerId}-v1`;

/** A student practising prompt tasks: task view, playground on visible examples, submission, feedback. */
@Injectable()
export class PromptPracticeService {
  constructor(
    private readonly tasks: PromptTasksService,
    @InjectRepository(PromptAnswer) private readonly answers: Repository<PromptAnswer>,
    @InjectRepository(PlaygroundUsage) private readonly usage: Repository<PlaygroundUsage>,
    private readonly grades: GradingService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Optional() @Inject(LLM_CLIENT) private readonly llm: LlmClient | null,
  ) {}

  list({ principal }: RequestContext): Promise<PromptTaskSummary[]> {
    return this.tasks.listPublished(principal);
  }

  async view({ principal }: RequestContext, id: number): Promise<PromptTaskStudentView> {
    const used = await this.usage.findOneBy({ studentId: principal.userId, day: today() });
    return this.tasks.studentView(principal, id, Math.max(0, this.tasks.playgroundRunsPerDay - (used?.runs ?? 0)));
  }

  async playground({ principal }: RequestContext, id: number, prompt: string, exampleIndex: number): Promise<PlaygroundResponse> {
    const { definition } = await this.tasks.practisableVersion(principal, id);
    const example = definition.visibleExamples[exampleIndex];
    if (!example) throw DomainError.validation('exampleIndex', 'BETWEEN', { min: 0, max: definition.visibleExamples.length - 1 });
    if (!this.llm) throw new DomainError(ErrorCode.ServiceUnavailable, 'No language model is configured, so the playground cannot run');
    const runsLeft = await this.takePlaygroundRun(principal.userId);
    try {
      const result = await this.llm.chat({ model: this.llm.models.candidate, messages: [{ role: 'user', content: fillPrompt(prompt, example.input) }], maxTokens: 800 });
      return { output: result.text, model: result.model, runsLeftToday: runsLeft };
    } catch (e) {
      if (e instanceof LlmError) throw new DomainError(ErrorCode.ServiceUnavailable, 'The language model did not answer; please try again shortly');
      throw e;
    }
  }

  /** One run off today's allowance, counted in the database so every API process shares it. */
  private async takePlaygroundRun(studentId: number): Promise<number> {
    const limit = this.tasks.playgroundRunsPerDay;
    const day = today();
    if (limit <= 0) throw new DomainError(ErrorCode.LimitReached, 'The playground is switched off');
    try {
      await this.usage.insert({ studentId, day, runs: 1 });
      return limit - 1;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    const updated = await this.usage
      .createQueryBuilder()
      .update(PlaygroundUsage)
      .set({ runs: () => 'runs + 1' })
      .where('student_id = :studentId AND day = :day AND runs < :limit', { studentId, day, limit })
      .execute();
    if (!updated.affected) throw new DomainError(ErrorCode.LimitReached, `You have used today's ${limit} playground runs; try again tomorrow`);
    const row = await this.usage.findOneByOrFail({ studentId, day });
    return Math.max(0, limit - row.runs);
  }

  async submit({ principal }: RequestContext, id: number, prompt: string): Promise<PromptAnswerView> {
    const { version, definition } = await this.tasks.practisableVersion(principal, id);
    const missing = missingVariables(prompt, definition.variables);
    if (missing.length) {
      throw DomainError.validation('prompt', 'PROMPT_MISSING_VARIABLES', { variables: missing.map((v) => `{{${v}}}`).join(', ') });
    }
    const answer = await this.answers.save(
      this.answers.create({ taskId: id, taskVersion: version, studentId: principal.userId, prompt, status: 'grading', submittedAt: new Date() }),
    );
    // The answer is committed first: if enqueueing fails the answer is kept and the job can be queued again.
    await this.queue.add<GradePromptAnswerJob>(JOBS.gradePromptAnswer, { answerId: answer.id }, { jobId: promptAnswerJobId(answer.id) });
    return toAnswerView(answer, definition, null, null);
  }

  async myAnswers({ principal }: RequestContext, taskId: number): Promise<PromptAnswerView[]> {
    const { definition } = await this.tasks.practisableVersion(principal, taskId);
    const rows = await this.answers.find({ where: { studentId: principal.userId, taskId }, order: { id: 'DESC' }, take: 50 });
    return Promise.all(rows.map((a) => this.view_(a, definition)));
  }

  async answer({ principal }: RequestContext, answerId: number): Promise<PromptAnswerView> {
    const a = await this.answers.findOneBy({ id: answerId });
    if (!a || a.studentId !== principal.userId) throw DomainError.notFound('Answer');
    const { definition } = await this.tasks.versionOf(a.taskId, a.taskVersion);
    return this.view_(a, definition);
  }

  private async view_(a: PromptAnswer, definition: Parameters<typeof toAnswerView>[1]): Promise<PromptAnswerView> {
    const [machine, human] = await this.grades.bySources(PROMPT_ANSWER, String(a.id), 1);
    return toAnswerView(a, definition, machine, human);
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import { ErrorCode, type PracticalPromptTaskView, type PromptTaskAudience, type PromptTaskDefinition, type PromptTaskStudentView, type PromptTaskSummary, type PromptTaskView } from '@aitrainer/contracts';
import { promptTaskProblems } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import { ConcurrentChange, withWriteRetry } from '../infra/database/write-retry';
import type { Principal, RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { JsonSchemaValidator } from '../infra/json-schema';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { PromptTask, PromptTaskVersion } from './entities/prompt-task.entity';
import { PROMPT_TASK_DEFINITION_SCHEMA } from './definition-schema';

export function toSummary(t: PromptTask): PromptTaskSummary {
  return {
    id: t.id,
    title: t.title,
    status: t.publishedVersion === null ? 'draft' : 'published',
    audience: t.audience,
    version: t.currentVersion,
    publishedVersion: t.publishedVersion,
    updatedAt: t.updatedAt.toISOString(),
  };
}

/** A student practises a published task meant for the whole platform, or for their own organisation; never an exam-only one. */
export function canPractisePromptTask(viewer: Principal, task: PromptTask): boolean {
  if (viewer.role !== 'student' || task.publishedVersion === null || task.audience === 'exam') return false;
  if (task.audience === 'platform') return true;
  return viewer.organisationId !== null && viewer.organisationId === task.organisationId;
}

/** Authoring of prompt tasks by instructors and org admins of the owning organisation. */
@Injectable()
export class PromptTasksService {
  constructor(
    @InjectRepository(PromptTask) private readonly tasks: Repository<PromptTask>,
    @InjectRepository(PromptTaskVersion) private readonly versions: Repository<PromptTaskVersion>,
    private readonly db: DataSource,
    private readonly schemas: JsonSchemaValidator,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 400 naming every problem of a definition, by its path under `definition`. */
  validateDefinition(def: unknown): PromptTaskDefinition {
    const structural = this.schemas.validate(PROMPT_TASK_DEFINITION_SCHEMA, def);
    if (structural.length) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'The task definition is not valid',
        structural.map((p) => {
          const [path, ...rest] = p.split(' ');
          const detail = rest.join(' ');
          return { field: `definition${path === '(root)' ? '' : path.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}`, problem: detail, code: 'DEFINITION_SHAPE', params: { detail } };
        }),
      );
    }
    const d = def as PromptTaskDefinition;
    const problems = promptTaskProblems(d);
    d.hiddenCases.forEach((c, i) =>
      c.checks.forEach((check, j) => {
        if (check.kind === 'json_schema') {
          const problem = this.schemas.compileProblem(check.schema);
          if (problem) problems.push({ path: `hiddenCases[${i}].checks[${j}].schema`, ...problem });
        }
      }),
    );
    if (problems.length) {
      throw new DomainError(ErrorCode.ValidationFailed, 'The task definition is not valid', problems.map(({ path, ...p }) => ({ field: `definition.${path}`, ...p })));
    }
    return d;
  }

  async ownTask(principal: Principal, id: number): Promise<PromptTask> {
    const task = await this.tasks.findOneBy({ id });
    if (!task || (principal.role !== 'platform_admin' && task.organisationId !== principal.organisationId)) throw DomainError.notFound('Prompt task');
    return task;
  }

  async list({ principal }: RequestContext): Promise<PromptTaskSummary[]> {
    const where = principal.role === 'platform_admin' ? {} : { organisationId: principal.organisationId ?? -1 };
    return (await this.tasks.find({ where, order: { id: 'DESC' } })).map(toSummary);
  }

  async get({ principal }: RequestContext, id: number): Promise<PromptTaskView> {
    const task = await this.ownTask(principal, id);
    const version = await this.versions.findOneByOrFail({ taskId: id, version: task.currentVersion });
    return { ...toSummary(task), definition: version.definition };
  }

  async create(ctx: RequestContext, definition: unknown, audience: PromptTaskAudience = 'organisation'): Promise<PromptTaskView> {
    const def = this.validateDefinition(definition);
    if (ctx.principal.organisationId === null) throw DomainError.forbidden('You belong to no organisation');
    const now = new Date();
    const task = await this.db.transaction(async (tx) => {
      const saved = await tx.getRepository(PromptTask).save({
        organisationId: ctx.principal.organisationId!,
        authorId: ctx.principal.userId,
        title: def.title.trim(),
        audience,
        status: 'draft',
        currentVersion: 1,
        publishedVersion: null,
        createdAt: now,
        updatedAt: now,
      });
      await tx.getRepository(PromptTaskVersion).save(tx.getRepository(PromptTaskVersion).create({ taskId: saved.id, version: 1, definition: def, publishedAt: null }));
      return saved;
    });
    await this.audit.record({ actorId: ctx.principal.userId, action: 'prompt_task.created', subjectType: 'prompt_task', subjectId: task.id, ip: ctx.ip });
    return { ...toSummary(task), definition: def };
  }

  /** Editing a published version starts a new draft version; answers keep the version they were written for. */
  async update(ctx: RequestContext, id: number, definition: unknown, audience?: PromptTaskAudience): Promise<PromptTaskView> {
    const def = this.validateDefinition(definition);
    // Two saves at once may both start version n+1 (a unique clash) or deadlock: the loser reads the task again.
    const task = await withWriteRetry(
      async () => {
        const task = await this.ownTask(ctx.principal, id);
        await this.db.transaction(async (tx) => {
          if (task.publishedVersion === task.currentVersion) {
            task.currentVersion += 1;
            await tx.getRepository(PromptTaskVersion).save(tx.getRepository(PromptTaskVersion).create({ taskId: id, version: task.currentVersion, definition: def, publishedAt: null }));
          } else {
            const draft = await tx.getRepository(PromptTaskVersion).findOneBy({ taskId: id, version: task.currentVersion, publishedAt: IsNull() });
            if (!draft) throw new ConcurrentChange('the draft was published meanwhile');
            draft.definition = def;
            await tx.getRepository(PromptTaskVersion).save(draft);
          }
          task.title = def.title.trim();
          if (audience) task.audience = audience;
          task.updatedAt = new Date();
          await tx.getRepository(PromptTask).save(task);
        });
        return task;
      },
      { onUniqueViolation: true },
    );
    await this.audit.record({ actorId: ctx.principal.userId, action: 'prompt_task.edited', subjectType: 'prompt_task', subjectId: id, ip: ctx.ip, detail: { version: task.currentVersion, audience: task.audience } });
    return { ...toSummary(task), definition: def };
  }

  async publish(ctx: RequestContext, id: number): Promise<PromptTaskSummary> {
    const task = await this.ownTask(ctx.principal, id);
    if (task.publishedVersion === task.currentVersion) return toSummary(task);
    const version = await this.versions.findOneByOrFail({ taskId: id, version: task.currentVersion });
    this.validateDefinition(version.definition);
    await withWriteRetry(() => this.db.transaction(async (tx) => {
      await tx.getRepository(PromptTaskVersion).update({ taskId: id, version: task.currentVersion }, { publishedAt: new Date() });
      task.publishedVersion = task.currentVersion;
      task.status = 'published';
      task.updatedAt = new Date();
      await tx.getRepository(PromptTask).save(task);
    }));
    await this.audit.record({ actorId: ctx.principal.userId, action: 'prompt_task.published', subjectType: 'prompt_task', subjectId: id, ip: ctx.ip, detail: { version: task.currentVersion } });
    return toSummary(task);
  }

  // ---- the student side: published versions only, never hidden cases or anchors ----

  /** The published tasks this student may practise (their audience: the whole platform, or the student's organisation). */
  async listPublished(student: Principal): Promise<PromptTaskSummary[]> {
    const where = [{ publishedVersion: Not(IsNull()), audience: 'platform' as const }] as FindOptionsWhere<PromptTask>[];
    if (student.organisationId !== null) where.push({ publishedVersion: Not(IsNull()), audience: 'organisation', organisationId: student.organisationId });
    return (await this.tasks.find({ where, order: { id: 'DESC' } })).map(toSummary);
  }

  /** The published version of a task the student may practise; 404 alike for a task outside their audience. */
  async practisableVersion(student: Principal, id: number): Promise<{ task: PromptTask; version: number; definition: PromptTaskDefinition }> {
    const found = await this.publishedVersion(id);
    if (!canPractisePromptTask(student, found.task)) throw DomainError.notFound('Prompt task');
    return found;
  }

  /** Of these tasks, the ones open for practice (id and title), for the exam publication check. */
  async openForPractice(ids: readonly number[]): Promise<{ id: number; title: string }[]> {
    if (!ids.length) return [];
    return (await this.tasks.find({ where: { id: In([...ids]), audience: Not('exam' as const) }, order: { id: 'ASC' } })).map((t) => ({ id: t.id, title: t.title }));
  }

  async publishedVersion(id: number): Promise<{ task: PromptTask; version: number; definition: PromptTaskDefinition }> {
    const task = await this.tasks.findOneBy({ id });
    if (!task || task.publishedVersion === null) throw DomainError.notFound('Prompt task');
    const v = await this.versions.findOneByOrFail({ taskId: id, version: task.publishedVersion });
    return { task, version: v.version, definition: v.definition };
  }

  async versionOf(taskId: number, version: number): Promise<{ definition: PromptTaskDefinition }> {
    const v = await this.versions.findOneBy({ taskId, version });
    if (!v) throw DomainError.notFound('Prompt task version');
    return { definition: v.definition };
  }

  async studentView(student: Principal, id: number, runsLeftToday: number): Promise<PromptTaskStudentView> {
    await this.practisableVersion(student, id);
    const { kind: _kind, ...brief } = await this.candidateView(id);
    return { ...brief, playgroundRunsLeftToday: runsLeftToday };
  }

  /** The brief of a published task as a candidate sitting an exam sees it: the practice view without the playground. */
  async candidateView(id: number): Promise<PracticalPromptTaskView> {
    const { version, definition: d } = await this.publishedVersion(id);
    return {
      kind: 'prompt_task',
      id,
      version,
      title: d.title,
      scenario: d.scenario,
      variables: d.variables,
      visibleExamples: d.visibleExamples.map(({ input }) => ({ input })),
      rubric: d.rubric.map(({ id: cid, name, weight, maxScore, levels }) => ({ id: cid, name, weight, maxScore, levels })),
      weights: d.weights,
      passMark: d.passMark,
    };
  }

  get playgroundRunsPerDay(): number {
    return this.config.playgroundRunsPerDay;
  }
}

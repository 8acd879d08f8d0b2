import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { OCCUPATION_CODE, type BlueprintCheckView, type BlueprintPreviewRequest, type BlueprintPreviewView, type CreateExamRequest, type ExamView } from '@aitrainer/contracts';
import { checkBlueprint, eligibleFor } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import type { Principal, RequestContext } from '../common/auth/principal';
import { QuestionBankService } from '../question-bank/question-bank.service';
import { Exam, type ExamDefinition } from './entities/exam.entity';
import { BoundedMap } from '../common/cache/bounded-map';

/** Exam definitions: parts with durations and pass marks, the blueprint, eligibility rules as data. */
@Injectable()
export class ExamsService {
  private readonly publishedCache = new BoundedMap<number, Exam>(1_000);

  constructor(
    @InjectRepository(Exam) private readonly exams: Repository<Exam>,
    private readonly bank: QuestionBankService,
    private readonly db: DataSource,
  ) {}

  private definition(req: CreateExamRequest): ExamDefinition {
    const parts = req.parts.map((p) => ({ part: p.part, durationMinutes: p.durationMinutes, passMark: p.passMark ?? 60 }));
    if (new Set(parts.map((p) => p.part)).size !== parts.length) throw DomainError.validation('parts', 'PARTS_DUPLICATE');
    req.blueprint.forEach((s, i) => {
      if (!parts.some((p) => p.part === s.part)) throw DomainError.validation(`blueprint[${i}].part`, 'NOT_A_PART', { part: s.part });
      const mix = s.difficultyMix ?? {};
      for (const [k, v] of Object.entries(mix)) {
        if (!['easy', 'medium', 'hard'].includes(k) || !Number.isInteger(v) || (v as number) < 0) throw DomainError.validation(`blueprint[${i}].difficultyMix.${k}`, 'DIFFICULTY_MIX_FORMAT');
      }
    });
    return { parts, blueprint: req.blueprint, eligibility: { requiredCourseIds: req.eligibility.requiredCourseIds, minTrainingHours: req.eligibility.minTrainingHours }, shuffleOptions: req.shuffleOptions ?? true };
  }

  async create(ctx: RequestContext, req: CreateExamRequest): Promise<ExamView> {
    const now = new Date();
    const exam = await this.exams.save(
      this.exams.create({ organisationId: ctx.principal.organisationId, authorId: ctx.principal.userId, title: req.title, occupation: OCCUPATION_CODE, level: req.level, status: 'draft', definition: this.definition(req), publishedAt: null, createdAt: now, updatedAt: now }),
    );
    return this.view(exam);
  }

  async update(ctx: RequestContext, id: number, req: CreateExamRequest): Promise<ExamView> {
    const exam = await this.authored(ctx.principal, id);
    if (exam.status !== 'draft') throw DomainError.conflict('status', 'EXAM_PUBLISHED_LOCKED');
    const moved = await this.exams.update({ id, status: 'draft' }, { title: req.title, level: req.level, definition: this.definition(req), updatedAt: new Date() });
    if (!moved.affected) throw DomainError.conflict('status', 'EXAM_PUBLISHED_MEANWHILE');
    return this.get(ctx, id);
  }

  async list(ctx: RequestContext): Promise<ExamView[]> {
    const p = ctx.principal;
    const rows =
      p.role === 'org_admin'
        ? await this.exams.find({ where: { status: 'published' }, order: { id: 'DESC' } })
        : await this.exams.find({ where: p.organisationId === null ? { authorId: p.userId } : [{ authorId: p.userId }, { organisationId: p.organisationId }], order: { id: 'DESC' } });
    return rows.map((e) => this.view(e));
  }

  async get(ctx: RequestContext, id: number): Promise<ExamView> {
    return this.view(await this.readable(ctx.principal, id));
  }

  /** How many questions of the author's bank match each row of a blueprint being edited (nothing is saved). */
  async previewBlueprint(ctx: RequestContext, req: BlueprintPreviewRequest): Promise<BlueprintPreviewView> {
    const types = [...new Set(req.blueprint.map((s) => s.type))];
    const bank = await this.bank.drawable(ctx.principal.organisationId, ctx.principal.userId, types, req.level);
    return { rows: req.blueprint.map((s) => ({ matching: bank.filter((q) => eligibleFor(s, req.level, q)).length })) };
  }

  /** A draft no session uses may be deleted; a published exam stays (its papers and results point at it). */
  async remove(ctx: RequestContext, id: number): Promise<void> {
    const exam = await this.authored(ctx.principal, id);
    if (exam.status !== 'draft') throw DomainError.conflict('status', 'EXAM_PUBLISHED_UNDELETABLE');
    const [used] = (await this.db.query('SELECT COUNT(*) AS n FROM exam_sessions WHERE exam_id = ?', [id])) as { n: number | string }[];
    if (Number(used?.n ?? 0) > 0) throw DomainError.conflict('status', 'EXAM_IN_USE');
    await this.exams.delete({ id, status: 'draft' });
  }

  /** Is there enough in the bank for every section? (Also run when publishing.) */
  async checkBlueprint(ctx: RequestContext, id: number): Promise<BlueprintCheckView> {
    const exam = await this.authored(ctx.principal, id);
    const problems = await this.blueprintProblems(exam);
    return { ok: problems.length === 0, problems };
  }

  private async blueprintProblems(exam: Exam) {
    const types = [...new Set(exam.definition.blueprint.map((s) => s.type))];
    const bank = await this.bank.drawable(exam.organisationId, exam.authorId, types, exam.level);
    return checkBlueprint(exam.definition.blueprint, exam.level, bank);
  }

  private async practisedExercises(exam: Exam): Promise<{ id: number; title: string }[]> {
    if (!exam.definition.blueprint.some((s) => s.type === 'labelling')) return [];
    const pool = await this.bank.drawable(exam.organisationId, exam.authorId, ['labelling'], exam.level);
    const versions = await this.bank.versionsById(pool.map((q) => q.versionId));
    const ids = [...new Set([...versions.values()].map((v) => v.content.labellingExerciseId).filter((id): id is number => Number.isInteger(id)))];
    if (!ids.length) return [];
    const rows = (await this.db.query(`SELECT id, title FROM labelling_exercises WHERE id IN (${ids.map(() => '?').join(', ')}) AND audience <> ? ORDER BY id`, [...ids, 'exam'])) as { id: number; title: string }[];
    return rows.map((r) => ({ id: Number(r.id), title: r.title }));
  }

  /** The prompt tasks a practical row could draw that are still open for practice (audience `practice`). */
  private async practisedPromptTasks(exam: Exam): Promise<{ id: number; title: string }[]> {
    if (!exam.definition.blueprint.some((s) => s.type === 'prompt_task')) return [];
    const pool = await this.bank.drawable(exam.organisationId, exam.authorId, ['prompt_task'], exam.level);
    const versions = await this.bank.versionsById(pool.map((q) => q.versionId));
    const ids = [...new Set([...versions.values()].map((v) => v.content.promptTaskId).filter((id): id is number => Number.isInteger(id)))];
    if (!ids.length) return [];
    const rows = (await this.db.query(`SELECT id, title FROM prompt_tasks WHERE id IN (${ids.map(() => '?').join(', ')}) AND audience <> ? ORDER BY id`, [...ids, 'exam'])) as { id: number; title: string }[];
    return rows.map((r) => ({ id: Number(r.id), title: r.title }));
  }

  async publish(ctx: RequestContext, id: number): Promise<ExamView> {
    const exam = await this.authored(ctx.principal, id);
    if (exam.status === 'published') return this.view(exam);
    const problems = await this.blueprintProblems(exam);
    if (problems.length) {
      const fields = problems.map((p) => ({ field: `blueprint[${p.section}]`, problem: p.problem, code: 'BLUEPRINT_SHORT', params: { row: p.section + 1, required: p.required, available: p.available } }));
      throw new DomainError('CONFLICT', `the bank cannot fill the blueprint: ${fields.map((f) => `${f.field} ${f.problem}`).join('; ')}`, fields);
    }
    // A candidate must never meet on the exam an item they have practised: every labelling exercise a practical row
    // could draw must be kept for exams (audience `exam`).
    const practised = await this.practisedExercises(exam);
    if (practised.length) {
      const fields = practised.map((e) => ({ field: 'blueprint', problem: `labelling exercise "${e.title}" is open for practice; mark it for exams only`, code: 'EXERCISE_PRACTISED', params: { title: e.title } }));
      throw new DomainError('CONFLICT', fields.map((f) => f.problem).join('; '), fields);
    }
    // The same for prompt tasks: a task a practical row could draw must be kept for exams, out of prompt practice.
    const practisedTasks = await this.practisedPromptTasks(exam);
    if (practisedTasks.length) {
      const fields = practisedTasks.map((t) => ({ field: 'blueprint', problem: `prompt task "${t.title}" is open for practice; mark it for exams only`, code: 'PROMPT_TASK_PRACTISED', params: { title: t.title } }));
      throw new DomainError('CONFLICT', fields.map((f) => f.problem).join('; '), fields);
    }
    const now = new Date();
    await this.exams.update({ id, status: 'draft' }, { status: 'published', publishedAt: now, updatedAt: now });
    return this.get(ctx, id);
  }

  /** The exam by id for other services of this context (no access check). */
  async byId(id: number): Promise<Exam> {
    const exam = await this.exams.findOneBy({ id });
    if (!exam) throw DomainError.notFound('Exam');
    return exam;
  }

  /**
   * A published exam, for candidates starting a part. A published exam never changes, so each process keeps the ones
   * it has read (bounded); a draft is read every time and refused.
   */
  async published(id: number): Promise<Exam> {
    const hit = this.publishedCache.get(id);
    if (hit) return hit;
    const exam = await this.byId(id);
    if (exam.status !== 'published') throw DomainError.conflict('exam', 'EXAM_NOT_PUBLISHED');
    this.publishedCache.set(id, exam);
    return exam;
  }

  private async authored(p: Principal, id: number): Promise<Exam> {
    const exam = await this.exams.findOneBy({ id });
    if (!exam || !(exam.authorId === p.userId || (p.organisationId !== null && exam.organisationId === p.organisationId))) throw DomainError.notFound('Exam');
    return exam;
  }

  /** Authors and their colleagues read an exam; org admins read published exams (they schedule sessions for them). */
  async readable(p: Principal, id: number): Promise<Exam> {
    const exam = await this.exams.findOneBy({ id });
    if (exam && p.role === 'org_admin' && exam.status === 'published') return exam;
    if (!exam || !(exam.authorId === p.userId || (p.organisationId !== null && exam.organisationId === p.organisationId))) throw DomainError.notFound('Exam');
    return exam;
  }

  view(e: Exam): ExamView {
    return {
      id: e.id,
      title: e.title,
      occupation: e.occupation,
      level: e.level,
      status: e.status,
      parts: e.definition.parts,
      blueprint: e.definition.blueprint,
      eligibility: e.definition.eligibility,
      shuffleOptions: e.definition.shuffleOptions,
      publishedAt: e.publishedAt ? e.publishedAt.toISOString() : null,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type Repository } from 'typeorm';
import type { CreateQuestionRequest, ImportQuestionsResponse, QuestionImportFormat, QuestionTags, QuestionType, QuestionView, SkillLevel } from '@aitrainer/contracts';
import { bankCsv, questionContentProblems, type BankQuestion, type ImportReport } from '@aitrainer/domain';
import type { MoodleFile } from './moodle/moodle-question';
import { toGift, toMoodleXml, type ExportedQuestion } from './moodle/moodle-writer';
import { buffer } from 'node:stream/consumers';
import { UploadParser } from '../common/uploads/upload-parser';
import { toBuffer } from '../common/uploads/parse-tasks';
import { FileStorage } from '../infra/storage/file-storage';
import { DomainError } from '../common/errors/domain-error';
import type { Principal, RequestContext } from '../common/auth/principal';
import { Question, QuestionVersion } from './entities/question.entity';
import type { QuestionQueryDto } from './dto/question.dto';
import { bankXlsx } from './bank-xlsx';
import { BoundedMap } from '../common/cache/bounded-map';
import { withWriteRetry } from '../infra/database/write-retry';

const MIME: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', m4a: 'audio/mp4', mp4: 'video/mp4', webm: 'video/webm', pdf: 'application/pdf' };
const mimeOf = (name: string) => MIME[/\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? ''] ?? 'application/octet-stream';

const levelsText = (levels: readonly number[]) => `|${[...new Set(levels)].sort().join('|')}|`;
const levelsOf = (text: string) => text.split('|').filter(Boolean).map(Number) as SkillLevel[];

/** The question bank: questions with immutable versions and standard tags. Shared by the instructors of one organisation. */
const VERSION_CACHE_SIZE = 20_000;
const DRAWABLE_CACHE_SIZE = 200;

@Injectable()
export class QuestionBankService {
  private readonly versionCache = new BoundedMap<number, QuestionVersion>(VERSION_CACHE_SIZE);
  private readonly drawableCache = new BoundedMap<string, { fingerprint: string; pool: BankQuestion[] }>(DRAWABLE_CACHE_SIZE);

  constructor(
    private readonly db: DataSource,
    @InjectRepository(Question) private readonly questions: Repository<Question>,
    @InjectRepository(QuestionVersion) private readonly versions: Repository<QuestionVersion>,
    private readonly storage: FileStorage,
    private readonly uploads: UploadParser,
  ) {}

  private check(req: CreateQuestionRequest): void {
    const problems = questionContentProblems(req.type, req.content);
    if (problems.length) throw new DomainError('VALIDATION_FAILED', problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
  }

  async create(ctx: RequestContext, req: CreateQuestionRequest): Promise<QuestionView> {
    this.check(req);
    const id = await withWriteRetry(() =>
      this.db.transaction(async (tx) => {
        const now = new Date();
        const q = await tx.getRepository(Question).save({ organisationId: ctx.principal.organisationId, authorId: ctx.principal.userId, currentVersionId: null, type: req.type, archived: false, createdAt: now, updatedAt: now });
        const v = await tx.getRepository(QuestionVersion).save(this.versionRow(q.id, 1, req, now));
        await tx.getRepository(Question).update({ id: q.id }, { currentVersionId: v.id });
        return q.id;
      }),
    );
    return this.get(ctx, id);
  }

  /**
   * Imports a GIFT, Moodle XML or bank CSV file from its bytes (decoded and parsed by a parse worker: UTF-8 with or
   * without BOM, UTF-16 with BOM, GB18030/GBK). Every question the bank can hold is created (all in one transaction)
   * with every way it differs from the file; every other one is reported with why.
   */
  async importFile(ctx: RequestContext, format: QuestionImportFormat, file: { buffer: Buffer }, tags: QuestionTags): Promise<ImportQuestionsResponse> {
    const parsed = await this.uploads.parse('bank-file', { bytes: file.buffer, format });
    if (!parsed.questions.length && !parsed.skipped.length) throw DomainError.validation('file', 'NO_QUESTIONS');
    const files = parsed.files && new Map(parsed.files.map(([i, list]) => [i, list.map((f) => ({ name: f.name, content: toBuffer(f.content) }))]));
    return this.store(ctx, { questions: parsed.questions, skipped: parsed.skipped }, tags, files);
  }

  /** Imports the bank's template as an Excel workbook, inspected and read by a parse worker; rows are reported by Excel row number. */
  async importXlsx(ctx: RequestContext, file: { buffer: Buffer }, tags: QuestionTags): Promise<ImportQuestionsResponse> {
    const report = await this.uploads.parse('bank-xlsx', { bytes: file.buffer });
    return this.store(ctx, report, tags);
  }

  /**
   * The questions matching the filter as Moodle XML (with the files their text refers to) or GIFT (which cannot carry
   * files); labelling and prompt-task items have no Moodle counterpart and are left out.
   */
  async exportMoodle(ctx: RequestContext, query: QuestionQueryDto, format: 'gift' | 'moodle_xml'): Promise<string> {
    const rows = await this.list(ctx, query);
    if (format === 'gift') return toGift(rows);
    const withFiles: ExportedQuestion[] = [];
    for (const q of rows) {
      const files = new Map<string, Buffer>();
      for (const m of q.content.media ?? []) files.set(m.name, await buffer(await this.storage.open(m.key)));
      withFiles.push({ ...q, files });
    }
    return toMoodleXml(withFiles);
  }

  /** The questions matching the filter, in the bank's template as an Excel workbook. */
  async exportXlsx(ctx: RequestContext, query: QuestionQueryDto): Promise<Buffer> {
    return bankXlsx(await this.list(ctx, query));
  }

  private async store(ctx: RequestContext, report: ImportReport, tags: QuestionTags, files?: Map<number, MoodleFile[]>): Promise<ImportQuestionsResponse> {
    const req = { tags };
    const skipped = [...report.skipped];
    const accepted = report.questions.filter((q) => {
      const problems = questionContentProblems(q.type, q.content);
      const reason = problems.map((p) => `${p.field} ${p.problem}`).join('; ');
      if (problems.length) skipped.push({ position: q.position, line: q.line, title: q.title, reason, code: 'invalid_content', params: { problems: reason } });
      return problems.length === 0;
    });
    // Files a Moodle XML text carries (@@PLUGINFILE@@/name): stored before the transaction, kept on the question.
    for (const q of accepted) {
      const own = files?.get(q.position) ?? [];
      if (own.length) q.content = { ...q.content, media: await this.storeMedia(own) };
    }
    skipped.sort((a, b) => a.position - b.position);
    const imported = await this.db.transaction(async (tx) => {
      const out: ImportQuestionsResponse['imported'] = [];
      const now = new Date();
      for (const q of accepted) {
        const knowledgePoint = q.tags?.knowledgePoint || req.tags.knowledgePoint || (q.category ?? '');
        const changes = [...(q.changes ?? [])];
        if (knowledgePoint.length > 200) changes.push({ code: 'category_shortened', params: { category: knowledgePoint } });
        const row = await tx.getRepository(Question).save({ organisationId: ctx.principal.organisationId, authorId: ctx.principal.userId, currentVersionId: null, type: q.type, archived: false, createdAt: now, updatedAt: now });
        const v = await tx.getRepository(QuestionVersion).save(this.versionRow(row.id, 1, { type: q.type, content: q.content, tags: { ...req.tags, ...q.tags, knowledgePoint: knowledgePoint.slice(0, 200) } }, now));
        await tx.getRepository(Question).update({ id: row.id }, { currentVersionId: v.id });
        out.push({ position: q.position, title: q.title, questionId: row.id, type: q.type, changes });
      }
      return out;
    });
    return { imported, skipped };
  }

  private async storeMedia(files: readonly MoodleFile[]): Promise<NonNullable<CreateQuestionRequest['content']['media']>> {
    const out: NonNullable<CreateQuestionRequest['content']['media']> = [];
    for (const f of files) {
      const extension = /\.([a-z0-9]{1,8})$/i.exec(f.name)?.[1]?.toLowerCase();
      const key = await this.storage.put(f.content, { ...(extension && { extension }) });
      out.push({ name: f.name, key, mime: mimeOf(f.name), size: f.content.length });
    }
    return out;
  }

  /** The questions matching the filter, in the bank's CSV template (UTF-8 with BOM, so Excel opens it right). */
  async exportCsv(ctx: RequestContext, query: QuestionQueryDto): Promise<string> {
    return bankCsv(await this.list(ctx, query));
  }

  /** Editing writes a new version; papers already drawn keep pointing at theirs. */
  async update(ctx: RequestContext, id: number, req: CreateQuestionRequest): Promise<QuestionView> {
    const q = await this.visible(ctx.principal, id);
    if (req.type !== q.type) throw DomainError.validation('type', 'QUESTION_TYPE_FIXED');
    this.check(req);
    // Two editors at once: the first statement writes the question's row, so a second editor waits for the first to
    // commit before it reads the last version number (no clash). Should the database still refuse one (a deadlock, a
    // lock wait), it runs again.
    await withWriteRetry(
      () =>
        this.db.transaction(async (tx) => {
          const now = new Date();
          await tx.getRepository(Question).update({ id }, { updatedAt: now });
          const last = await tx.getRepository(QuestionVersion).findOne({ where: { questionId: id }, order: { number: 'DESC' } });
          const v = await tx.getRepository(QuestionVersion).save(this.versionRow(id, (last?.number ?? 0) + 1, req, now));
          await tx.getRepository(Question).update({ id }, { currentVersionId: v.id, updatedAt: now });
        }),
      { onUniqueViolation: true },
    );
    return this.get(ctx, id);
  }

  private versionRow(questionId: number, number: number, req: CreateQuestionRequest, now: Date): Partial<QuestionVersion> {
    return {
      questionId,
      number,
      type: req.type,
      content: req.content,
      occupation: req.tags.occupation,
      levels: levelsText(req.tags.levels),
      dutyArea: req.tags.dutyArea,
      knowledgePoint: req.tags.knowledgePoint,
      difficulty: req.tags.difficulty,
      createdAt: now,
    };
  }

  async get(ctx: RequestContext, id: number): Promise<QuestionView> {
    const q = await this.visible(ctx.principal, id);
    const v = await this.versions.findOneByOrFail({ id: q.currentVersionId! });
    return this.view(q, v);
  }

  async history(ctx: RequestContext, id: number): Promise<QuestionView[]> {
    const q = await this.visible(ctx.principal, id);
    const rows = await this.versions.find({ where: { questionId: id }, order: { number: 'ASC' } });
    return rows.map((v) => this.view(q, v));
  }

  /** Search by tag: type, level, duty area, knowledge point, difficulty, and text in the stem. */
  async list(ctx: RequestContext, query: QuestionQueryDto): Promise<QuestionView[]> {
    const qb = this.questions
      .createQueryBuilder('q')
      .innerJoinAndMapOne('q.current', QuestionVersion, 'v', 'v.id = q.current_version_id')
      .where('q.archived = :archived', { archived: false })
      .andWhere(this.scopeSql(ctx.principal), this.scopeParams(ctx.principal));
    if (query.type) qb.andWhere('q.type = :type', { type: query.type });
    if (query.level) qb.andWhere('v.levels LIKE :level', { level: `%|${query.level}|%` });
    if (query.dutyArea) qb.andWhere('v.duty_area = :dutyArea', { dutyArea: query.dutyArea });
    if (query.knowledgePoint) qb.andWhere('v.knowledge_point = :kp', { kp: query.knowledgePoint });
    if (query.difficulty) qb.andWhere('v.difficulty = :difficulty', { difficulty: query.difficulty });
    if (query.q) qb.andWhere('v.content LIKE :text', { text: `%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` });
    const rows = (await qb.orderBy('q.id', 'ASC').take(500).getMany()) as (Question & { current: QuestionVersion })[];
    return rows.map((q) => this.view(q, q.current));
  }

  /** The current versions of the questions an author's organisation may draw from, in paper-drawing form. */
  async drawable(organisationId: number | null, authorId: number, types: readonly QuestionType[], level: SkillLevel): Promise<BankQuestion[]> {
    if (!types.length) return [];
    // Every candidate's start draws from the same pool: keep it while the bank's part of it is unchanged. Questions are
    // only ever added and versions only appended (a new version has the highest id), so the number of questions and
    // the highest current version id change whenever the pool could.
    const scope = organisationId === null ? 'q.author_id = ?' : '(q.organisation_id = ? OR q.author_id = ?)';
    const params = [...(organisationId === null ? [authorId] : [organisationId, authorId]), ...types];
    const [mark] = (await this.questions.query(
      `SELECT COUNT(*) AS n, MAX(q.current_version_id) AS v FROM questions q WHERE q.archived = 0 AND ${scope} AND q.type IN (${types.map(() => '?').join(', ')})`,
      params,
    )) as { n: number | string; v: number | string | null }[];
    const key = `${organisationId}|${authorId}|${[...types].sort().join(',')}|${level}`;
    const fingerprint = `${mark?.n}|${mark?.v}`;
    const hit = this.drawableCache.get(key);
    if (hit?.fingerprint === fingerprint) return hit.pool;
    const pool = await this.loadDrawable(organisationId, authorId, types, level);
    this.drawableCache.set(key, { fingerprint, pool });
    return pool;
  }

  private async loadDrawable(organisationId: number | null, authorId: number, types: readonly QuestionType[], level: SkillLevel): Promise<BankQuestion[]> {
    const principal = { userId: authorId, organisationId } as Principal;
    const rows = (await this.questions
      .createQueryBuilder('q')
      .innerJoinAndMapOne('q.current', QuestionVersion, 'v', 'v.id = q.current_version_id')
      .where('q.archived = :archived', { archived: false })
      .andWhere(this.scopeSql(principal), this.scopeParams(principal))
      .andWhere('q.type IN (:...types)', { types })
      .andWhere('v.levels LIKE :level', { level: `%|${level}|%` })
      .getMany()) as (Question & { current: QuestionVersion })[];
    return rows.map((q) => ({
      questionId: q.id,
      versionId: q.current.id,
      type: q.type,
      levels: levelsOf(q.current.levels),
      dutyArea: q.current.dutyArea,
      difficulty: q.current.difficulty,
      optionKeys: (q.current.content.options ?? []).map((o) => o.key),
    }));
  }

  /** The current version of a question (for regrading), no access check: callers check the exam. */
  async currentVersion(questionId: number): Promise<QuestionVersion | null> {
    const q = await this.questions.findOneBy({ id: questionId });
    return q?.currentVersionId ? this.versions.findOneBy({ id: q.currentVersionId }) : null;
  }

  /**
   * Versions by id, for rendering and scoring papers. Versions are written once and never changed, so every process
   * may keep the ones it has read (bounded, oldest out): a submit or an attempt view then reads none from the database.
   */
  async versionsById(ids: readonly number[]): Promise<Map<number, QuestionVersion>> {
    const out = new Map<number, QuestionVersion>();
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const hit = this.versionCache.get(id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (!missing.length) return out;
    for (const v of await this.versions.findBy({ id: In(missing) })) {
      out.set(v.id, v);
      this.versionCache.set(v.id, v);
    }
    return out;
  }

  private scopeSql(p: Pick<Principal, 'organisationId'>): string {
    return p.organisationId === null ? 'q.author_id = :author' : '(q.organisation_id = :org OR q.author_id = :author)';
  }

  private scopeParams(p: Pick<Principal, 'organisationId' | 'userId'>): Record<string, unknown> {
    return { org: p.organisationId, author: p.userId };
  }

  private async visible(p: Principal, id: number): Promise<Question> {
    const q = await this.questions.findOneBy({ id });
    if (!q || !(q.authorId === p.userId || (p.organisationId !== null && q.organisationId === p.organisationId))) throw DomainError.notFound('Question');
    return q;
  }

  private view(q: Question, v: QuestionVersion): QuestionView {
    return {
      id: q.id,
      version: v.number,
      versionId: v.id,
      type: q.type,
      content: v.content,
      tags: { occupation: v.occupation, levels: levelsOf(v.levels), dutyArea: v.dutyArea, knowledgePoint: v.knowledgePoint, difficulty: v.difficulty },
      updatedAt: q.updatedAt.toISOString(),
    };
  }
}

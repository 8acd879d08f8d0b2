import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type Repository } from 'typeorm';
import {
  GOLD_RULES,
  type DatasetImportResult,
  type ExerciseAgreementView,
  type ExerciseItemView,
  type ExerciseLabels,
  type ExerciseView,
  type GoldRule,
  type ImportTaskReport,
  type SubmissionSummaryView,
} from '@aitrainer/contracts';
import { itemAgreement, meanAgreement, problemAt, type TaskType } from '@aitrainer/scoring';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { User } from '../identity/entities/user.entity';
import { LabellingExercise } from './entities/labelling-exercise.entity';
import { LabellingItem } from './entities/labelling-item.entity';
import { LabellingMedia } from './entities/labelling-media.entity';
import { LabellingSubmission } from './entities/labelling-submission.entity';
import type { CreateExerciseDto, UpdateExerciseDto } from './dto/exercise.dto';
import { canPractise, canView, ownsExercise } from './labelling-access';
import { DatasetError, readItems, type ParsedItem, type SourceRecord } from './dataset-parser';
import { toLabelStudioFile, type LabelStudioFileSource } from './label-studio';
import { parseLabelConfig } from './label-studio-config';
import { UploadParser } from '../common/uploads/upload-parser';
import { LabellingMediaStore } from './labelling-media.store';
import { studentItemView, studentScoring } from './exam-candidate-view';
import { answerProblems, canonicalValue, labelProblems, scorerOptions, toFieldProblem, type Problem } from './task-definitions';
import { openGradingProblems } from './open-tasks';
import { isOpenTaskType } from '@aitrainer/contracts';

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

const MEDIA_TYPES = /^(image\/(png|jpeg|gif|webp|svg\+xml)|audio\/(mpeg|mp3|wav|x-wav|wave|ogg|webm|mp4|x-m4a|aac|flac))$/;

function invalid(problems: Problem[]): DomainError {
  const fields = problems.map((p) => toFieldProblem(p));
  return new DomainError('VALIDATION_FAILED', fields.map((f) => `${f.field} ${f.problem}`).join('; '), fields);
}

/** Exercises and their datasets: the instructor's side, and what a student may see of an exercise. */
@Injectable()
export class ExercisesService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(LabellingExercise) private readonly exercises: Repository<LabellingExercise>,
    @InjectRepository(LabellingItem) private readonly items: Repository<LabellingItem>,
    @InjectRepository(LabellingMedia) private readonly media: Repository<LabellingMedia>,
    @InjectRepository(LabellingSubmission) private readonly submissions: Repository<LabellingSubmission>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly store: LabellingMediaStore,
    private readonly audit: AuditService,
    private readonly uploads: UploadParser,
  ) {}

  /** The exercise if the caller may see it; 404 otherwise (not found and not allowed look alike). */
  async visible(ctx: RequestContext, id: number): Promise<LabellingExercise> {
    const exercise = await this.exercises.findOneBy({ id });
    if (!exercise || !canView(ctx.principal, exercise)) throw DomainError.notFound('Exercise');
    return exercise;
  }

  async owned(ctx: RequestContext, id: number): Promise<LabellingExercise> {
    const exercise = await this.exercises.findOneBy({ id });
    if (!exercise || !canView(ctx.principal, exercise)) throw DomainError.notFound('Exercise');
    if (!ownsExercise(ctx.principal, exercise)) throw DomainError.forbidden('Only the instructor who owns this exercise may change it');
    return exercise;
  }

  async create(ctx: RequestContext, dto: CreateExerciseDto): Promise<ExerciseView> {
    const labels = pickLabels(dto);
    const problems = labelProblems(dto.taskType, labels);
    if (isOpenTaskType(dto.taskType)) problems.push(...openGradingProblems(dto.scoring?.openGrading));
    else if (dto.scoring?.openGrading !== undefined) problems.push(problemAt('scoring.openGrading', 'OPEN_GRADING_OPEN_ONLY'));
    if (problems.length) throw invalid(problems);
    const now = new Date();
    const saved = await this.exercises.save(
      this.exercises.create({
        organisationId: ctx.principal.organisationId,
        ownerId: ctx.principal.userId,
        title: dto.title.trim(),
        description: dto.description?.trim() ?? '',
        taskType: dto.taskType,
        status: 'draft',
        audience: dto.audience ?? 'organisation',
        labels,
        scoring: { ...(dto.scoring ?? {}) },
        itemCount: 0,
        createdAt: now,
        updatedAt: now,
        publishedAt: null,
      }),
    );
    await this.audit.record({ actorId: ctx.principal.userId, action: 'labelling.exercise.created', subjectType: 'labelling_exercise', subjectId: saved.id, ip: ctx.ip });
    return this.view(ctx, saved);
  }

  async update(ctx: RequestContext, id: number, dto: UpdateExerciseDto): Promise<ExerciseView> {
    const exercise = await this.owned(ctx, id);
    const labelChange = ['labels', 'entityTypes', 'intents', 'slotNames'].some((k) => dto[k as keyof ExerciseLabels] !== undefined);
    if (labelChange) {
      if (exercise.status !== 'draft') throw DomainError.conflict('labels', 'EXERCISE_PUBLISHED_LOCKED');
      const labels = { ...exercise.labels, ...pickLabels(dto) };
      const problems = labelProblems(exercise.taskType, labels);
      // Gold already marked must still fit the new label sets.
      for (const item of await this.items.findBy({ exerciseId: id })) {
        if (item.gold) problems.push(...answerProblems(exercise.taskType, labels, item.externalId, item.data, item.gold, `items[${item.externalId}].gold`));
        if (problems.length > 50) break;
      }
      if (problems.length) throw invalid(problems.slice(0, 50));
      exercise.labels = labels;
    }
    if (dto.title !== undefined) exercise.title = dto.title.trim();
    if (dto.description !== undefined) exercise.description = dto.description.trim();
    if (dto.audience !== undefined) exercise.audience = dto.audience;
    if (dto.scoring !== undefined) {
      if (exercise.status !== 'draft' && JSON.stringify(dto.scoring.openGrading ?? null) !== JSON.stringify(exercise.scoring.openGrading ?? null)) {
        throw DomainError.conflict('scoring.openGrading', 'EXERCISE_PUBLISHED_LOCKED');
      }
      const problems = isOpenTaskType(exercise.taskType)
        ? openGradingProblems(dto.scoring.openGrading)
        : dto.scoring.openGrading !== undefined
          ? [problemAt('scoring.openGrading', 'OPEN_GRADING_OPEN_ONLY')]
          : [];
      if (problems.length) throw invalid(problems);
      exercise.scoring = { ...dto.scoring };
    }
    exercise.updatedAt = new Date();
    return this.view(ctx, await this.exercises.save(exercise));
  }

  async publish(ctx: RequestContext, id: number): Promise<ExerciseView> {
    const exercise = await this.owned(ctx, id);
    if (exercise.status === 'published') return this.view(ctx, exercise);
    if (exercise.itemCount === 0) throw DomainError.validation('items', 'EXERCISE_NO_ITEMS');
    const missing = await this.items.createQueryBuilder('i').where('i.exercise_id = :id AND i.gold IS NULL', { id }).getCount();
    if (missing) throw DomainError.validation('items', 'ITEMS_WITHOUT_GOLD', { count: missing });
    const now = new Date();
    const result = await this.exercises.update({ id, status: 'draft' }, { status: 'published', publishedAt: now, updatedAt: now });
    if (result.affected) await this.audit.record({ actorId: ctx.principal.userId, action: 'labelling.exercise.published', subjectType: 'labelling_exercise', subjectId: id, ip: ctx.ip });
    return this.view(ctx, await this.exercises.findOneByOrFail({ id }));
  }

  async list(ctx: RequestContext): Promise<ExerciseView[]> {
    const { principal } = ctx;
    let rows: LabellingExercise[];
    if (principal.role === 'instructor') rows = await this.exercises.find({ where: { ownerId: principal.userId }, order: { id: 'DESC' } });
    else {
      const where = [{ status: 'published' as const, audience: 'platform' as const }];
      if (principal.organisationId !== null) where.push({ status: 'published', audience: 'organisation', organisationId: principal.organisationId } as never);
      rows = (await this.exercises.find({ where, order: { id: 'DESC' } })).filter((e) => canPractise(principal, e));
    }
    const owners = await this.ownerNames(rows.map((r) => r.ownerId));
    return Promise.all(rows.map((r) => this.view(ctx, r, owners)));
  }

  async get(ctx: RequestContext, id: number): Promise<ExerciseView> {
    return this.view(ctx, await this.visible(ctx, id));
  }

  /** Items in order; gold only for the owner. A student's view never carries gold, whatever their submission. */
  async listItems(ctx: RequestContext, id: number): Promise<ExerciseItemView[]> {
    const exercise = await this.visible(ctx, id);
    const owner = ownsExercise(ctx.principal, exercise);
    const rows = await this.items.find({ where: { exerciseId: id }, order: { position: 'ASC' } });
    return rows.map((r) => {
      const ls = r.labelStudio;
      // A model's pre-annotation, for the student to correct, when the exercise shows them (never another annotator's work).
      const prediction = exercise.scoring.showPredictions ? ls?.predictions.find((p) => p.value !== null)?.value : undefined;
      return {
        ...studentItemView(r),
        ...(prediction && { prediction }),
        ...(owner && { gold: r.gold }),
        ...(owner &&
          ls && {
            annotations: ls.annotations.map((a, i) => ({ ref: a.ref, by: a.by, gold: i === ls.goldIndex, cancelled: a.cancelled, value: i === ls.goldIndex ? r.gold : a.value })),
            predictions: ls.predictions.map((p) => ({ ref: p.ref, by: p.by, gold: false, cancelled: false, value: p.value })),
          }),
      };
    });
  }

  async setGold(ctx: RequestContext, id: number, itemId: string, gold: unknown): Promise<ExerciseItemView> {
    const exercise = await this.owned(ctx, id);
    if (exercise.status !== 'draft') throw DomainError.conflict('gold', 'EXERCISE_PUBLISHED_LOCKED');
    const item = await this.items.findOneBy({ exerciseId: id, externalId: itemId });
    if (!item) throw DomainError.notFound('Item');
    const problems = answerProblems(exercise.taskType, exercise.labels, item.externalId, item.data, gold, 'gold');
    if (problems.length) throw invalid(problems);
    item.gold = canonicalValue(exercise.taskType, gold);
    await this.items.save(item);
    return { id: item.externalId, position: item.position, data: item.data, gold: item.gold };
  }

  async importDataset(ctx: RequestContext, id: number, file: UploadedFile | undefined, mediaFiles: UploadedFile[]): Promise<DatasetImportResult> {
    const exercise = await this.owned(ctx, id);
    if (!file) throw DomainError.validation('file', 'FILE_REQUIRED_OF', { accepted: 'JSONL / CSV' });
    return this.replaceItems(ctx, exercise, mediaFiles, () => this.uploads.parse('labelling-dataset', { bytes: file.buffer, fileName: file.originalname }), 'dataset');
  }

  /**
   * A Label Studio export (JSON, JSON-MIN or CSV) with, optionally, the project's labelling config. By default one
   * refused task refuses the file; with `partial` the valid tasks are imported and the report lists the others.
   */
  async importLabelStudio(
    ctx: RequestContext,
    id: number,
    file: UploadedFile | undefined,
    mediaFiles: UploadedFile[],
    configFile?: UploadedFile,
    options: { partial?: unknown; goldRule?: unknown } = {},
  ): Promise<DatasetImportResult> {
    const exercise = await this.owned(ctx, id);
    if (!file) throw DomainError.validation('file', 'FILE_REQUIRED_OF', { accepted: 'Label Studio (JSON / JSON-MIN / CSV)' });
    const partial = options.partial === undefined || options.partial === '' ? false : options.partial === 'true' || options.partial === true ? true : options.partial === 'false' || options.partial === false ? false : null;
    if (partial === null) throw DomainError.validation('partial', 'NOT_A_BOOLEAN');
    const goldRule = (options.goldRule === undefined || options.goldRule === '' ? 'first' : options.goldRule) as GoldRule;
    if (!GOLD_RULES.includes(goldRule)) throw DomainError.validation('goldRule', 'MUST_BE_ONE_OF', { allowed: GOLD_RULES.join(', ') });
    let fileSource: LabelStudioFileSource | undefined;
    const read = async (media: ReadonlySet<string>) => {
      const r = await this.uploads.parse('label-studio', {
        taskType: exercise.taskType,
        labels: exercise.labels,
        fileName: file.originalname,
        bytes: file.buffer,
        ...(configFile && { config: configFile.buffer }),
        media: [...media],
        goldRule,
      });
      fileSource = r.file;
      return r.records;
    };
    return this.replaceItems(ctx, exercise, mediaFiles, read, 'label_studio', { partial, fileSource: () => fileSource ?? null });
  }

  async exportLabelStudio(ctx: RequestContext, id: number): Promise<{ body: string; contentType: string; fileName: string }> {
    const exercise = await this.owned(ctx, id);
    const rows = await this.items.find({ where: { exerciseId: id }, order: { position: 'ASC' } });
    const config = exercise.labelStudio?.config ? parseLabelConfig(exercise.labelStudio.config).config : undefined;
    return toLabelStudioFile(exercise.taskType, exercise.labelStudio, config, (name) => `/api/v1/labelling/exercises/${id}/media/${encodeURIComponent(name)}`, rows);
  }

  /** Inter-annotator agreement per item of a Label Studio import: every non-cancelled annotation read, scored pairwise. */
  async agreement(ctx: RequestContext, id: number): Promise<ExerciseAgreementView> {
    const exercise = await this.owned(ctx, id);
    if (isOpenTaskType(exercise.taskType)) throw DomainError.validation('taskType', 'AGREEMENT_SCORED_ONLY');
    const rows = await this.items.find({ where: { exerciseId: id }, order: { position: 'ASC' } });
    const options = scorerOptions(exercise.taskType, exercise.labels, exercise.scoring, rows);
    const items = rows.map((r) => {
      const ls = r.labelStudio;
      const goldIndex = ls?.goldIndex ?? null;
      const answers = (ls?.annotations ?? [])
        .map((a, i) => ({ annotator: a.by ?? a.ref, value: i === goldIndex ? r.gold : a.value, cancelled: a.cancelled }))
        .filter((a): a is { annotator: string; value: NonNullable<typeof r.gold>; cancelled: boolean } => !a.cancelled && a.value !== null);
      const { itemId: _i, ...rest } = itemAgreement(exercise.taskType as TaskType, r.externalId, answers, options as never);
      return { id: r.externalId, ...rest };
    });
    return { items, mean: meanAgreement(items.map((i) => ({ ...i, itemId: i.id }))) };
  }

  async mediaFile(ctx: RequestContext, id: number, name: string): Promise<{ path: string; mime: string }> {
    await this.visible(ctx, id);
    const row = await this.media.findOneBy({ exerciseId: id, name });
    if (!row || !this.store.exists(id, name)) throw DomainError.notFound('Media file');
    return { path: this.store.path(id, name), mime: row.mime };
  }

  async submissionsOf(ctx: RequestContext, id: number): Promise<SubmissionSummaryView[]> {
    await this.owned(ctx, id);
    const rows = await this.submissions.find({ where: { exerciseId: id }, order: { id: 'DESC' } });
    const names = await this.ownerNames(rows.map((r) => r.studentId));
    return rows.map((s) => ({
      id: s.id,
      studentId: s.studentId,
      studentName: names.get(s.studentId) ?? '',
      state: s.state,
      score: s.score,
      submittedAt: s.submittedAt?.toISOString() ?? null,
    }));
  }

  /**
   * Replaces the exercise's items in one transaction after validating the whole dataset, so an invalid file
   * changes nothing. Media files are written first and removed again if the import fails.
   */
  private async replaceItems(
    ctx: RequestContext,
    exercise: LabellingExercise,
    mediaFiles: UploadedFile[],
    read: (media: ReadonlySet<string>) => Promise<SourceRecord[]>,
    source: string,
    options: { partial?: boolean; fileSource?: () => LabelStudioFileSource | null } = {},
  ): Promise<DatasetImportResult> {
    if (exercise.status !== 'draft') throw DomainError.conflict('file', 'EXERCISE_PUBLISHED_LOCKED');
    const problems: Problem[] = [];
    const seen = new Set<string>();
    mediaFiles.forEach((f, i) => {
      const name = f.originalname;
      if (!LabellingMediaStore.isSafeName(name)) problems.push(problemAt(`media[${i}]`, 'MEDIA_NAME_INVALID', { name }));
      else if (seen.has(name)) problems.push(problemAt(`media[${i}]`, 'MEDIA_TWICE', { name }));
      else if (!MEDIA_TYPES.test(f.mimetype)) problems.push(problemAt(`media[${i}]`, 'MEDIA_TYPE', { name, type: f.mimetype }));
      seen.add(name);
    });
    if (problems.length) throw invalid(problems);
    const existing = await this.media.findBy({ exerciseId: exercise.id });
    const available = new Set([...existing.map((m) => m.name), ...seen]);
    let parsed: ParsedItem[];
    let report: ImportTaskReport[];
    try {
      ({ items: parsed, report } = readItems(exercise.taskType, exercise.labels, await read(available), available));
    } catch (e) {
      if (e instanceof DatasetError) throw invalid(e.problems);
      throw e;
    }
    const refused = report.filter((r) => r.status === 'refused');
    if (refused.length && (!options.partial || parsed.length === 0)) {
      const problems = refused.flatMap((r) => r.problems.map(({ field, ...p }) => ({ ...p, path: `${r.task}: ${field}` })));
      throw invalid(problems.slice(0, 50));
    }
    const written: string[] = [];
    try {
      for (const f of mediaFiles) {
        await this.store.put(exercise.id, f.originalname, f.buffer);
        written.push(f.originalname);
      }
      await this.db.transaction(async (tx) => {
        const now = new Date();
        await tx.getRepository(LabellingItem).delete({ exerciseId: exercise.id });
        const replaced = existing.filter((m) => seen.has(m.name)).map((m) => m.id);
        if (replaced.length) await tx.getRepository(LabellingMedia).delete({ id: In(replaced) });
        if (mediaFiles.length) {
          await tx.getRepository(LabellingMedia).insert(
            mediaFiles.map((f) => ({ exerciseId: exercise.id, name: f.originalname, mime: f.mimetype, size: f.size, createdAt: now })),
          );
        }
        const rows = parsed.map((p, position) => ({ exerciseId: exercise.id, externalId: p.externalId, position, data: p.data, gold: p.gold, labelStudio: p.labelStudio ?? null }));
        // (the stored Label Studio source is plain JSON: TypeORM's deep-partial type cannot see through `unknown`)
        for (let i = 0; i < rows.length; i += 200) await tx.getRepository(LabellingItem).insert(rows.slice(i, i + 200) as never);
        await tx.getRepository(LabellingExercise).update({ id: exercise.id }, { itemCount: rows.length, updatedAt: now, labelStudio: options.fileSource?.() ?? null });
      });
    } catch (e) {
      // Only files new to the exercise are removed; a re-uploaded name may have replaced an older file (rare).
      for (const name of written) if (!existing.some((m) => m.name === name)) await this.store.remove(exercise.id, name).catch(() => undefined);
      throw e;
    }
    const withGold = parsed.filter((p) => p.gold !== null).length;
    await this.audit.record({
      actorId: ctx.principal.userId,
      action: 'labelling.dataset.imported',
      subjectType: 'labelling_exercise',
      subjectId: exercise.id,
      ip: ctx.ip,
      detail: { source, items: parsed.length, withGold, mediaFiles: mediaFiles.length, refused: refused.length },
    });
    return {
      imported: parsed.length,
      withGold,
      mediaFiles: mediaFiles.length,
      ...(source === 'label_studio' && { refused: refused.length, report }),
    };
  }

  private async ownerNames(ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const users = await this.users.find({ select: { id: true, realName: true }, where: { id: In(unique) } });
    return new Map(users.map((u) => [u.id, u.realName]));
  }

  private async view(ctx: RequestContext, e: LabellingExercise, owners?: Map<number, string>): Promise<ExerciseView> {
    const names = owners ?? (await this.ownerNames([e.ownerId]));
    const owner = ownsExercise(ctx.principal, e);
    const goldCount = owner ? await this.items.createQueryBuilder('i').where('i.exercise_id = :id AND i.gold IS NOT NULL', { id: e.id }).getCount() : undefined;
    return {
      id: e.id,
      title: e.title,
      description: e.description,
      taskType: e.taskType,
      status: e.status,
      audience: e.audience,
      // Students see the rubric (criteria, levels) but not the anchors: graded examples stay the instructor's.
      scoring: owner ? e.scoring : studentScoring(e.scoring),
      labels: e.labels.labels ?? [],
      entityTypes: e.labels.entityTypes ?? [],
      intents: e.labels.intents ?? [],
      slotNames: e.labels.slotNames ?? [],
      itemCount: e.itemCount,
      ...(owner && { goldCount }),
      ownerName: names.get(e.ownerId) ?? '',
      createdAt: e.createdAt.toISOString(),
      publishedAt: e.publishedAt?.toISOString() ?? null,
    };
  }
}

function pickLabels(dto: ExerciseLabels): ExerciseLabels {
  const out: ExerciseLabels = {};
  for (const key of ['labels', 'entityTypes', 'intents', 'slotNames'] as const) {
    if (dto[key] !== undefined) out[key] = dto[key]!.map((v) => v.trim());
  }
  return out;
}

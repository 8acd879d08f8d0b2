import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager, type Repository } from 'typeorm';
import {
  OCCUPATION_CODE,
  type AttachmentView,
  type CourseDetailView,
  type CourseDraftRequest,
  type CourseRosterEntry,
  type CourseSummaryView,
  type CreateCourseRequest,
  type EnrolRequest,
  type EnrolResult,
} from '@aitrainer/contracts';
import { courseProgress, requiredTrainingMinutes } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import type { Principal, RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { FileStorage } from '../infra/storage/file-storage';
import { User } from '../identity/entities/user.entity';
import { Cohort, CohortStudent } from './entities/cohort.entity';
import {
  CohortInstructor,
  Course,
  CourseAttachment,
  CourseCohort,
  CourseLesson,
  CourseModule,
  CourseVersion,
  Enrolment,
  LessonProgress,
} from './entities/course.entity';
import { CourseContentRepository } from './course-content.repository';
import { DEFAULT_MIN_TIME_PERCENT, toAttachmentView } from './course-views';
import { enrolStudents } from './enrolment-writer';
import { renderLessonMarkdown } from './markdown';
import { uploadedFileName } from './upload-names';

export type CourseRelation = 'author' | 'teacher' | 'viewer';
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** Authoring (drafts, publishing, attachments), enrolment and rosters. */
@Injectable()
export class CoursesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Course) private readonly courses: Repository<Course>,
    @InjectRepository(CourseVersion) private readonly versions: Repository<CourseVersion>,
    @InjectRepository(CourseAttachment) private readonly attachments: Repository<CourseAttachment>,
    @InjectRepository(CohortInstructor) private readonly cohortInstructors: Repository<CohortInstructor>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly content: CourseContentRepository,
    private readonly storage: FileStorage,
    private readonly audit: AuditService,
  ) {}

  // ---- who may do what --------------------------------------------------------------------

  /** author: wrote it; teacher: teaches a cohort enrolled in it; viewer: a school admin (catalogue) or platform admin. */
  async relation(principal: Principal, course: Course): Promise<CourseRelation | null> {
    if (principal.role === 'instructor') {
      if (course.authorId === principal.userId) return 'author';
      return (await this.teaches(principal.userId, course.id)) ? 'teacher' : null;
    }
    if (principal.role === 'platform_admin') return 'viewer';
    if (principal.role === 'school_admin') return course.publishedVersionId !== null ? 'viewer' : null;
    return null;
  }

  private async teaches(userId: number, courseId: number): Promise<boolean> {
    const row = await this.cohortInstructors
      .createQueryBuilder('ci')
      .innerJoin(CourseCohort, 'cc', 'cc.cohort_id = ci.cohort_id')
      .where('ci.user_id = :userId AND cc.course_id = :courseId', { userId, courseId })
      .getCount();
    return row > 0;
  }

  /** The course if the caller has one of `allowed` relations; 404 otherwise, so course ids cannot be probed. */
  private async courseFor(principal: Principal, id: number, allowed: CourseRelation[]): Promise<{ course: Course; relation: CourseRelation }> {
    const course = await this.courses.findOneBy({ id });
    const relation = course ? await this.relation(principal, course) : null;
    if (!course || !relation) throw DomainError.notFound('Course');
    if (!allowed.includes(relation)) throw DomainError.forbidden(relation === 'author' ? 'Not allowed' : 'Only the course’s author may do this');
    return { course, relation };
  }

  // ---- reading ------------------------------------------------------------------------------

  async list({ principal }: RequestContext): Promise<CourseSummaryView[]> {
    const qb = this.courses.createQueryBuilder('c').orderBy('c.id', 'DESC');
    if (principal.role === 'instructor') {
      qb.where('c.author_id = :me', { me: principal.userId }).orWhere(
        'c.id IN ' +
          qb.subQuery().select('cc.course_id').from(CourseCohort, 'cc').innerJoin(CohortInstructor, 'ci', 'ci.cohort_id = cc.cohort_id').where('ci.user_id = :me').getQuery(),
      );
    } else if (principal.role === 'school_admin') qb.where('c.published_version_id IS NOT NULL');
    else if (principal.role !== 'platform_admin') return [];
    const rows = await qb.getMany();
    const out: CourseSummaryView[] = [];
    for (const course of rows) {
      const relation = await this.relation(principal, course);
      if (relation) out.push(await this.summary(course, relation));
    }
    return out;
  }

  private async summary(course: Course, relation: CourseRelation): Promise<CourseSummaryView> {
    const shownId = relation === 'author' ? (course.draftVersionId ?? course.publishedVersionId) : course.publishedVersionId;
    const shown = shownId ? await this.versions.findOneBy({ id: shownId }) : null;
    const published = course.publishedVersionId ? await this.versions.findOneBy({ id: course.publishedVersionId }) : null;
    const author = await this.users.findOneBy({ id: course.authorId });
    return {
      id: course.id,
      occupationCode: course.occupationCode,
      title: shown?.title ?? '',
      targetLevel: shown?.targetLevel ?? 5,
      authorId: course.authorId,
      authorName: author?.realName ?? '',
      publishedVersion: published?.number ?? null,
      hasDraft: relation === 'author' && course.draftVersionId !== null,
      lessonCount: await this.content.lessonCount(shownId),
      relation,
    };
  }

  async detail({ principal }: RequestContext, id: number): Promise<CourseDetailView> {
    const { course, relation } = await this.courseFor(principal, id, ['author', 'teacher', 'viewer']);
    const enrolled = await this.db
      .getRepository(CourseCohort)
      .createQueryBuilder('cc')
      .innerJoin(Cohort, 'co', 'co.id = cc.cohort_id')
      .leftJoin(CohortStudent, 'm', 'm.cohort_id = co.id')
      .where('cc.course_id = :id', { id })
      .andWhere(principal.role === 'school_admin' ? 'co.organisation_id = :org' : '1 = 1', { org: principal.organisationId })
      .select(['co.id AS id', 'co.name AS name'])
      .addSelect('COUNT(m.user_id)', 'studentCount')
      .groupBy('co.id')
      .addGroupBy('co.name')
      .orderBy('co.id', 'ASC')
      .getRawMany<{ id: number; name: string; studentCount: number | string }>();
    return {
      ...(await this.summary(course, relation)),
      draft: relation === 'author' && course.draftVersionId ? await this.content.version(course.draftVersionId) : null,
      published: course.publishedVersionId ? await this.content.version(course.publishedVersionId) : null,
      enrolledCohorts: enrolled.map((c) => ({ id: Number(c.id), name: c.name, studentCount: Number(c.studentCount) })),
    };
  }

  // ---- authoring ----------------------------------------------------------------------------

  async create(ctx: RequestContext, request: CreateCourseRequest): Promise<CourseDetailView> {
    const now = new Date();
    const courseId = await this.db.transaction(async (tx) => {
      const course = await tx.getRepository(Course).save(
        tx.getRepository(Course).create({
          organisationId: ctx.principal.organisationId,
          authorId: ctx.principal.userId,
          occupationCode: OCCUPATION_CODE,
          publishedVersionId: null,
          draftVersionId: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await this.writeDraft(tx, course, { ...request, modules: request.modules ?? [] }, now);
      return course.id;
    });
    await this.audit.record({ actorId: ctx.principal.userId, action: 'course.created', subjectType: 'course', subjectId: courseId, ip: ctx.ip });
    return this.detail(ctx, courseId);
  }

  /** Saves the whole draft (order included). Editing a published course starts a new draft; students keep the published one. */
  async saveDraft(ctx: RequestContext, id: number, request: CourseDraftRequest): Promise<CourseDetailView> {
    await this.courseFor(ctx.principal, id, ['author']);
    try {
      await this.db.transaction(async (tx) => {
        const course = await tx.getRepository(Course).findOneByOrFail({ id });
        await this.writeDraft(tx, course, request, new Date());
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw DomainError.conflict('course', 'SAVED_MEANWHILE');
      throw e;
    }
    return this.detail(ctx, id);
  }

  private async writeDraft(tx: EntityManager, course: Course, request: CourseDraftRequest, now: Date): Promise<void> {
    this.checkKeys(request);
    const versionRepo = tx.getRepository(CourseVersion);
    const fields = {
      title: request.title.trim(),
      description: request.description.trim(),
      targetLevel: request.targetLevel,
      dutyAreas: [...new Set(request.dutyAreas)].join(','),
      requiredMinutes: request.requiredHours === undefined || request.requiredHours === null ? null : requiredTrainingMinutes(request.targetLevel, request.requiredHours),
      minTimePercent: request.minTimePercent ?? DEFAULT_MIN_TIME_PERCENT,
      updatedAt: now,
    };
    let draft = course.draftVersionId ? await versionRepo.findOneBy({ id: course.draftVersionId }) : null;
    if (draft) {
      await versionRepo.update({ id: draft.id }, fields);
      await tx.getRepository(CourseLesson).delete({ versionId: draft.id });
      await tx.getRepository(CourseModule).delete({ versionId: draft.id });
    } else {
      const last = await versionRepo.findOne({ where: { courseId: course.id }, order: { number: 'DESC' } });
      draft = await versionRepo.save(versionRepo.create({ courseId: course.id, number: (last?.number ?? 0) + 1, status: 'draft', publishedAt: null, createdAt: now, ...fields }));
      await tx.getRepository(Course).update({ id: course.id }, { draftVersionId: draft.id, updatedAt: now });
    }
    const modules: Partial<CourseModule>[] = [];
    const lessons: Partial<CourseLesson>[] = [];
    request.modules.forEach((m, mi) => {
      const moduleKey = m.key ?? randomUUID();
      modules.push({ versionId: draft.id, moduleKey, position: mi, title: m.title.trim() });
      m.lessons.forEach((l, li) =>
        lessons.push({
          versionId: draft.id,
          moduleKey,
          lessonKey: l.key ?? randomUUID(),
          position: li,
          title: l.title.trim(),
          contentMarkdown: l.contentMarkdown,
          videoUrl: l.videoUrl ? l.videoUrl.trim() : null,
          durationMinutes: l.durationMinutes,
        }),
      );
    });
    if (modules.length) await tx.getRepository(CourseModule).insert(modules);
    for (let i = 0; i < lessons.length; i += 50) await tx.getRepository(CourseLesson).insert(lessons.slice(i, i + 50));
  }

  private checkKeys(request: CourseDraftRequest): void {
    const seen = new Set<string>();
    request.modules.forEach((m, mi) => {
      if (m.key) {
        if (seen.has(m.key)) throw DomainError.validation(`modules.${mi}.key`, 'USED_TWICE');
        seen.add(m.key);
      }
      m.lessons.forEach((l, li) => {
        if (!l.key) return;
        if (seen.has(l.key)) throw DomainError.validation(`modules.${mi}.lessons.${li}.key`, 'USED_TWICE');
        seen.add(l.key);
      });
    });
  }

  async publish(ctx: RequestContext, id: number): Promise<CourseDetailView> {
    const { course } = await this.courseFor(ctx.principal, id, ['author']);
    const draftId = course.draftVersionId;
    if (!draftId) throw DomainError.validation('draft', 'NO_DRAFT_CHANGES');
    if ((await this.content.lessonCount(draftId)) === 0) throw DomainError.validation('modules', 'COURSE_NO_LESSONS');
    const now = new Date();
    const published = await this.db.transaction(async (tx) => {
      // Conditional: of two concurrent publishes only one moves the draft.
      const moved = await tx.getRepository(Course).update({ id, draftVersionId: draftId }, { publishedVersionId: draftId, draftVersionId: null, updatedAt: now });
      if (!moved.affected) throw DomainError.conflict('draft', 'PUBLISHED_MEANWHILE');
      if (course.publishedVersionId) await tx.getRepository(CourseVersion).update({ id: course.publishedVersionId }, { status: 'superseded' });
      await tx.getRepository(CourseVersion).update({ id: draftId }, { status: 'published', publishedAt: now, updatedAt: now });
      // Students move to the new version; their progress is keyed by lesson, so it carries over where the lesson remains.
      await tx.getRepository(Enrolment).update({ courseId: id }, { versionId: draftId });
      return tx.getRepository(CourseVersion).findOneByOrFail({ id: draftId });
    });
    await this.audit.record({ actorId: ctx.principal.userId, action: 'course.published', subjectType: 'course', subjectId: id, ip: ctx.ip, detail: { version: published.number } });
    return this.detail(ctx, id);
  }

  preview(markdown: string): { html: string } {
    return { html: renderLessonMarkdown(markdown) };
  }

  // ---- attachments --------------------------------------------------------------------------

  async addAttachment(ctx: RequestContext, id: number, lessonKey: string, file: { buffer: Buffer; originalname: string; mimetype: string; size: number } | undefined): Promise<AttachmentView> {
    const { course } = await this.courseFor(ctx.principal, id, ['author']);
    if (!file || file.size === 0) throw DomainError.validation('file', 'FILE_REQUIRED');
    const versionId = course.draftVersionId ?? course.publishedVersionId;
    if (!versionId || !(await this.content.lesson(versionId, lessonKey))) throw DomainError.validation('lessonKey', 'NOT_A_LESSON');
    const fileName = uploadedFileName(file.originalname) || 'file';
    const storageKey = await this.storage.put(file.buffer, { extension: extname(fileName).slice(1) });
    const row = await this.attachments.save(
      this.attachments.create({
        courseId: id,
        lessonKey,
        storageKey,
        fileName,
        contentType: (file.mimetype || 'application/octet-stream').slice(0, 100),
        size: file.size,
        uploadedBy: ctx.principal.userId,
        createdAt: new Date(),
      }),
    );
    await this.audit.record({ actorId: ctx.principal.userId, action: 'course.attachment_added', subjectType: 'course', subjectId: id, ip: ctx.ip, detail: { attachmentId: row.id, lessonKey } });
    return toAttachmentView(row);
  }

  /** Author, teachers and catalogue viewers; a student only for a lesson of the version they study. */
  async openAttachment({ principal }: RequestContext, courseId: number, attachmentId: number): Promise<{ attachment: CourseAttachment; stream: Readable }> {
    const attachment = await this.attachments.findOneBy({ id: attachmentId, courseId });
    if (!attachment) throw DomainError.notFound('Attachment');
    if (principal.role === 'student') {
      const enrolment = await this.db.getRepository(Enrolment).findOneBy({ courseId, userId: principal.userId });
      if (!enrolment || !(await this.content.lesson(enrolment.versionId, attachment.lessonKey))) throw DomainError.notFound('Attachment');
    } else {
      await this.courseFor(principal, courseId, ['author', 'teacher', 'viewer']);
    }
    return { attachment, stream: await this.storage.open(attachment.storageKey) };
  }

  // ---- enrolment and rosters -----------------------------------------------------------------

  async enrol(ctx: RequestContext, id: number, request: EnrolRequest): Promise<EnrolResult> {
    const { principal } = ctx;
    const course = await this.courses.findOneBy({ id });
    const relation = course ? await this.relation(principal, course) : null;
    if (!course || !relation) throw DomainError.notFound('Course');
    if (course.publishedVersionId === null) throw DomainError.validation('courseId', 'COURSE_NOT_PUBLISHED');
    const now = new Date();
    if (request.cohortId !== undefined) {
      const cohort = await this.db.getRepository(Cohort).findOneBy({ id: request.cohortId });
      const mayEnrolCohort =
        !!cohort &&
        ((principal.role === 'school_admin' && principal.organisationId === cohort.organisationId) ||
          (principal.role === 'instructor' &&
            ((await this.cohortInstructors.existsBy({ cohortId: cohort.id, userId: principal.userId })) ||
              (relation === 'author' && principal.organisationId === cohort.organisationId))));
      if (!cohort || !mayEnrolCohort) throw DomainError.validation('cohortId', 'NOT_YOUR_COHORT');
      const result = await this.db.transaction(async (tx) => {
        if (!(await tx.getRepository(CourseCohort).existsBy({ courseId: id, cohortId: cohort.id }))) {
          await tx.getRepository(CourseCohort).insert({ courseId: id, cohortId: cohort.id, createdAt: now });
        }
        const members = await tx.getRepository(CohortStudent).find({ where: { cohortId: cohort.id } });
        return enrolStudents(tx, course, members.map((m) => m.userId), cohort.id, now);
      });
      await this.audit.record({ actorId: principal.userId, action: 'course.cohort_enrolled', subjectType: 'course', subjectId: id, ip: ctx.ip, detail: { cohortId: cohort.id, ...result } });
      return result;
    }
    const student = await this.users.findOneBy({ id: request.userId! });
    const mayEnrolStudent =
      !!student &&
      student.role === 'student' &&
      student.organisationId !== null &&
      student.organisationId === principal.organisationId &&
      (principal.role === 'school_admin' || relation === 'author' || relation === 'teacher');
    if (!mayEnrolStudent) throw DomainError.validation('userId', 'NOT_YOUR_STUDENT');
    const result = await this.db.transaction((tx) => enrolStudents(tx, course, [student.id], null, now));
    await this.audit.record({ actorId: principal.userId, action: 'course.student_enrolled', subjectType: 'course', subjectId: id, ip: ctx.ip, detail: { userId: student.id } });
    return result;
  }

  /** Progress of the students the caller may see: all for the author, their cohorts for a teacher, their school for a school admin. */
  async roster({ principal }: RequestContext, id: number): Promise<CourseRosterEntry[]> {
    const { course, relation } = await this.courseFor(principal, id, ['author', 'teacher', 'viewer']);
    const qb = this.db
      .getRepository(Enrolment)
      .createQueryBuilder('e')
      .innerJoin(User, 'u', 'u.id = e.user_id')
      .leftJoin(Cohort, 'co', 'co.id = e.cohort_id')
      .where('e.course_id = :id', { id })
      .select(['e.user_id AS userId', 'e.version_id AS versionId', 'u.real_name AS realName', 'co.name AS cohortName'])
      .orderBy('u.id', 'ASC');
    if (relation === 'teacher') {
      qb.andWhere('e.cohort_id IN ' + qb.subQuery().select('ci.cohort_id').from(CohortInstructor, 'ci').where('ci.user_id = :me', { me: principal.userId }).getQuery());
    } else if (principal.role === 'school_admin') qb.andWhere('u.organisation_id = :org', { org: principal.organisationId });
    const rows = await qb.getRawMany<{ userId: number; versionId: number; realName: string; cohortName: string | null }>();
    if (!rows.length || course.publishedVersionId === null) return [];
    const version = await this.content.version(course.publishedVersionId);
    if (!version) return [];
    const userIds = rows.map((r) => Number(r.userId));
    const progress: LessonProgress[] = [];
    for (let i = 0; i < userIds.length; i += 500) {
      progress.push(...(await this.db.getRepository(LessonProgress).find({ where: { courseId: id, userId: In(userIds.slice(i, i + 500)) } })));
    }
    const requiredHours = version.requiredHoursIsDefault ? null : version.requiredHours;
    return rows.map((r) => {
      const mine = progress.filter((p) => p.userId === Number(r.userId));
      const p = courseProgress(
        { targetLevel: version.targetLevel, requiredHours, modules: version.modules },
        mine.map((m) => ({ lessonKey: m.lessonKey, completed: m.completedAt !== null, lastSeenAt: m.lastBeatAt })),
      );
      const last = mine.reduce<Date | null>((acc, m) => (!acc || m.lastBeatAt > acc ? m.lastBeatAt : acc), null);
      return {
        userId: Number(r.userId),
        realName: r.realName,
        cohortName: r.cohortName,
        completedLessons: p.completedLessons,
        totalLessons: p.totalLessons,
        trainingMinutes: p.doneMinutes,
        requiredMinutes: p.requiredMinutes,
        lastActivityAt: last ? new Date(last).toISOString() : null,
      };
    });
  }
}

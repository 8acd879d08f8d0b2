import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type {
  CourseVersionView,
  LearningLessonView,
  LessonProgressView,
  MyCourseSummaryView,
  MyCourseView,
} from '@aitrainer/contracts';
import {
  courseProgress,
  creditedSeconds,
  eligibility,
  isLessonComplete,
  minimumLessonSeconds,
  type EligibilityResult,
  type ExamEligibilityRequirements,
  type StudentTrainingRecord,
} from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { Enrolment, LessonProgress } from './entities/course.entity';
import { CourseContentRepository } from './course-content.repository';
import { CourseClock } from './course-clock';
import { renderLessonMarkdown } from './markdown';

type Version = CourseVersionView;

/** The student's side: enrolled courses, lessons of the version they study, progress recorded by the server. */
@Injectable()
export class LearningService {
  constructor(
    @InjectRepository(Enrolment) private readonly enrolments: Repository<Enrolment>,
    @InjectRepository(LessonProgress) private readonly progress: Repository<LessonProgress>,
    private readonly content: CourseContentRepository,
    private readonly clock: CourseClock,
  ) {}

  async myCourses({ principal }: RequestContext): Promise<MyCourseSummaryView[]> {
    const enrolments = await this.enrolments.find({ where: { userId: principal.userId }, order: { id: 'ASC' } });
    const out: MyCourseSummaryView[] = [];
    for (const e of enrolments) {
      const version = await this.content.version(e.versionId);
      if (version) out.push(this.summary(e.courseId, version, await this.activity(principal.userId, e.courseId)));
    }
    return out;
  }

  async myCourse({ principal }: RequestContext, courseId: number): Promise<MyCourseView> {
    const { version } = await this.enrolled(principal.userId, courseId);
    const activity = await this.activity(principal.userId, courseId);
    const byKey = new Map(activity.map((a) => [a.lessonKey, a]));
    const summary = this.summary(courseId, version, activity);
    const p = this.progressOf(version, activity);
    return {
      ...summary,
      description: version.description,
      dutyAreas: version.dutyAreas,
      modules: version.modules.map((m, i) => ({
        key: m.key,
        title: m.title,
        completedLessons: p.modules[i].completedLessons,
        totalLessons: p.modules[i].totalLessons,
        lessons: m.lessons.map((l) => ({
          key: l.key,
          title: l.title,
          durationMinutes: l.durationMinutes,
          progress: this.lessonProgressView(l.key, l.durationMinutes, version.minTimePercent, byKey.get(l.key)),
        })),
      })),
    };
  }

  async lesson({ principal }: RequestContext, courseId: number, lessonKey: string): Promise<LearningLessonView> {
    const { version } = await this.enrolled(principal.userId, courseId);
    const flat = version.modules.flatMap((m) => m.lessons.map((l) => ({ module: m, lesson: l })));
    const index = flat.findIndex((x) => x.lesson.key === lessonKey);
    if (index < 0) throw DomainError.notFound('Lesson');
    const { module, lesson } = flat[index];
    const row = await this.progress.findOneBy({ userId: principal.userId, courseId, lessonKey });
    return {
      courseId,
      key: lesson.key,
      moduleTitle: module.title,
      title: lesson.title,
      html: renderLessonMarkdown(lesson.contentMarkdown),
      videoUrl: lesson.videoUrl,
      durationMinutes: lesson.durationMinutes,
      attachments: lesson.attachments,
      progress: this.lessonProgressView(lesson.key, lesson.durationMinutes, version.minTimePercent, row ?? undefined),
      previousKey: flat[index - 1]?.lesson.key ?? null,
      nextKey: flat[index + 1]?.lesson.key ?? null,
    };
  }

  /**
   * The player reports every ~15 s while the lesson is on screen. The server credits the time since the
   * previous report (capped), and completes the lesson once the student reached its end AND spent the
   * minimum time. `open` restarts the clock without crediting (a lesson reopened tomorrow earns nothing for the night).
   */
  async heartbeat({ principal }: RequestContext, courseId: number, lessonKey: string, event: 'open' | 'beat', reachedEnd: boolean): Promise<LessonProgressView> {
    const { version } = await this.enrolled(principal.userId, courseId);
    const lesson = version.modules.flatMap((m) => m.lessons).find((l) => l.key === lessonKey);
    if (!lesson) throw DomainError.notFound('Lesson');
    const minimumSeconds = minimumLessonSeconds(lesson.durationMinutes, version.minTimePercent);
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock.now();
      const row = await this.progress.findOneBy({ userId: principal.userId, courseId, lessonKey });
      if (!row) {
        try {
          const created = await this.progress.save(
            this.progress.create({ userId: principal.userId, courseId, lessonKey, secondsSpent: 0, reachedEnd: false, firstOpenedAt: now, lastBeatAt: now, completedAt: null }),
          );
          return this.lessonProgressView(lessonKey, lesson.durationMinutes, version.minTimePercent, created);
        } catch (e) {
          if (isUniqueViolation(e)) continue; // another tab created it first
          throw e;
        }
      }
      const credit = event === 'open' || row.completedAt ? 0 : creditedSeconds(row.lastBeatAt, now);
      const secondsSpent = row.secondsSpent + credit;
      const end = row.reachedEnd || (event === 'beat' && reachedEnd);
      const completedAt = row.completedAt ?? (isLessonComplete({ secondsSpent, reachedEnd: end, minimumSeconds }) ? now : null);
      // Conditional on the beat we read: two tabs beating together cannot both credit the same interval.
      const result = await this.progress.update(
        { id: row.id, lastBeatAt: row.lastBeatAt },
        { secondsSpent, reachedEnd: end, lastBeatAt: now, completedAt },
      );
      if (result.affected) {
        const updated = { secondsSpent, reachedEnd: end, completedAt };
        return this.lessonProgressView(lessonKey, lesson.durationMinutes, version.minTimePercent, updated);
      }
    }
    throw DomainError.conflict('lesson', 'PROGRESS_BUSY');
  }

  /** The student's record for exam eligibility (the exams context asks through this). */
  async trainingRecord(userId: number): Promise<StudentTrainingRecord> {
    const enrolments = await this.enrolments.find({ where: { userId } });
    const courses: StudentTrainingRecord['courses'][number][] = [];
    for (const e of enrolments) {
      const version = await this.content.version(e.versionId);
      if (!version) continue;
      const p = this.progressOf(version, await this.activity(userId, e.courseId));
      courses.push({ courseId: e.courseId, completedLessons: p.completedLessons, totalLessons: p.totalLessons, trainingMinutes: p.doneMinutes });
    }
    return { courses };
  }

  async eligibilityFor(userId: number, exam: ExamEligibilityRequirements): Promise<EligibilityResult> {
    return eligibility(await this.trainingRecord(userId), exam);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Not enrolled, or the course has no published version for the student: 404 (drafts are never shown). */
  private async enrolled(userId: number, courseId: number): Promise<{ enrolment: Enrolment; version: Version }> {
    const enrolment = await this.enrolments.findOneBy({ userId, courseId });
    const version = enrolment ? await this.content.version(enrolment.versionId) : null;
    if (!enrolment || !version || version.status === 'draft') throw DomainError.notFound('Course');
    return { enrolment, version };
  }

  private async activity(userId: number, courseId: number): Promise<LessonProgress[]> {
    return this.progress.find({ where: { userId, courseId: In([courseId]) } });
  }

  private progressOf(version: Version, activity: LessonProgress[]) {
    return courseProgress(
      { targetLevel: version.targetLevel, requiredHours: version.requiredHoursIsDefault ? null : version.requiredHours, modules: version.modules },
      activity.map((a) => ({ lessonKey: a.lessonKey, completed: a.completedAt !== null, lastSeenAt: a.lastBeatAt })),
    );
  }

  private summary(courseId: number, version: Version, activity: LessonProgress[]): MyCourseSummaryView {
    const p = this.progressOf(version, activity);
    return {
      courseId,
      title: version.title,
      targetLevel: version.targetLevel,
      versionNumber: version.number,
      completedLessons: p.completedLessons,
      totalLessons: p.totalLessons,
      hours: { doneMinutes: p.doneMinutes, requiredMinutes: p.requiredMinutes, percent: p.percent },
      continueLessonKey: p.continueLessonKey,
    };
  }

  private lessonProgressView(lessonKey: string, durationMinutes: number, minTimePercent: number, row: Pick<LessonProgress, 'secondsSpent' | 'reachedEnd' | 'completedAt'> | undefined): LessonProgressView {
    return {
      lessonKey,
      status: row?.completedAt ? 'completed' : row ? 'in_progress' : 'not_started',
      secondsSpent: row?.secondsSpent ?? 0,
      minimumSeconds: minimumLessonSeconds(durationMinutes, minTimePercent),
      reachedEnd: row?.reachedEnd ?? false,
      completedAt: row?.completedAt ? new Date(row.completedAt).toISOString() : null,
    };
  }
}

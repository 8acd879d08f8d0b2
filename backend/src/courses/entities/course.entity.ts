import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CourseVersionStatus, SkillLevel } from '@aitrainer/contracts';

@Entity('cohort_instructors')
export class CohortInstructor {
  @PrimaryColumn({ name: 'cohort_id', type: 'int' }) cohortId!: number;
  @PrimaryColumn({ name: 'user_id', type: 'int' }) userId!: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
}

/** A course aligned to the occupation; its content lives in versions (one draft, one published at most). */
@Entity('courses')
export class Course {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'organisation_id', type: 'int', nullable: true }) organisationId!: number | null;
  @Column({ name: 'author_id', type: 'int' }) authorId!: number;
  @Column({ name: 'occupation_code', type: 'varchar', length: 16 }) occupationCode!: string;
  @Column({ name: 'published_version_id', type: 'int', nullable: true }) publishedVersionId!: number | null;
  @Column({ name: 'draft_version_id', type: 'int', nullable: true }) draftVersionId!: number | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt!: Date;
}

@Entity('course_versions')
export class CourseVersion {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'course_id', type: 'int' }) courseId!: number;
  @Column({ type: 'int' }) number!: number;
  @Column({ type: 'varchar', length: 16 }) status!: CourseVersionStatus;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ name: 'target_level', type: 'int' }) targetLevel!: SkillLevel;
  /** Comma-separated duty area codes. */
  @Column({ name: 'duty_areas', type: 'varchar', length: 255 }) dutyAreas!: string;
  /** null = the level's reference hours. */
  @Column({ name: 'required_minutes', type: 'int', nullable: true }) requiredMinutes!: number | null;
  @Column({ name: 'min_time_percent', type: 'int' }) minTimePercent!: number;
  @Column({ name: 'published_at', type: 'datetime', nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt!: Date;
}

@Entity('course_modules')
export class CourseModule {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'version_id', type: 'int' }) versionId!: number;
  @Column({ name: 'module_key', type: 'varchar', length: 36 }) moduleKey!: string;
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
}

@Entity('course_lessons')
export class CourseLesson {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'version_id', type: 'int' }) versionId!: number;
  @Column({ name: 'module_key', type: 'varchar', length: 36 }) moduleKey!: string;
  /** Stable across versions: progress is keyed by it, so it survives a republish. */
  @Column({ name: 'lesson_key', type: 'varchar', length: 36 }) lessonKey!: string;
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ name: 'content_markdown', type: 'text' }) contentMarkdown!: string;
  @Column({ name: 'video_url', type: 'varchar', length: 500, nullable: true }) videoUrl!: string | null;
  @Column({ name: 'duration_minutes', type: 'int' }) durationMinutes!: number;
}

@Entity('course_attachments')
export class CourseAttachment {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'course_id', type: 'int' }) courseId!: number;
  @Column({ name: 'lesson_key', type: 'varchar', length: 36 }) lessonKey!: string;
  @Column({ name: 'storage_key', type: 'varchar', length: 64 }) storageKey!: string;
  @Column({ name: 'file_name', type: 'varchar', length: 255 }) fileName!: string;
  @Column({ name: 'content_type', type: 'varchar', length: 100 }) contentType!: string;
  @Column({ type: 'int' }) size!: number;
  @Column({ name: 'uploaded_by', type: 'int' }) uploadedBy!: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
}

@Entity('course_cohorts')
export class CourseCohort {
  @PrimaryColumn({ name: 'course_id', type: 'int' }) courseId!: number;
  @PrimaryColumn({ name: 'cohort_id', type: 'int' }) cohortId!: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
}

@Entity('enrolments')
export class Enrolment {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'course_id', type: 'int' }) courseId!: number;
  @Column({ name: 'user_id', type: 'int' }) userId!: number;
  /** The published version the student studies; moved forward when the course is republished. */
  @Column({ name: 'version_id', type: 'int' }) versionId!: number;
  @Column({ name: 'cohort_id', type: 'int', nullable: true }) cohortId!: number | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
}

@Entity('lesson_progress')
export class LessonProgress {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'user_id', type: 'int' }) userId!: number;
  @Column({ name: 'course_id', type: 'int' }) courseId!: number;
  @Column({ name: 'lesson_key', type: 'varchar', length: 36 }) lessonKey!: string;
  /** Measured by the server between heartbeats, each gap capped. */
  @Column({ name: 'seconds_spent', type: 'int' }) secondsSpent!: number;
  @Column({ name: 'reached_end', type: 'boolean' }) reachedEnd!: boolean;
  @Column({ name: 'first_opened_at', type: 'datetime' }) firstOpenedAt!: Date;
  @Column({ name: 'last_beat_at', type: 'datetime' }) lastBeatAt!: Date;
  @Column({ name: 'completed_at', type: 'datetime', nullable: true }) completedAt!: Date | null;
}

@Entity('student_imports')
export class StudentImport {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'organisation_id', type: 'int' }) organisationId!: number;
  @Column({ name: 'actor_id', type: 'int' }) actorId!: number;
  @Column({ name: 'file_name', type: 'varchar', length: 255 }) fileName!: string;
  @Column({ name: 'file_sha256', type: 'varchar', length: 64 }) fileSha256!: string;
  @Column({ type: 'varchar', length: 16 }) status!: 'rejected' | 'completed';
  @Column({ name: 'total_rows', type: 'int' }) totalRows!: number;
  @Column({ name: 'created_count', type: 'int' }) createdCount!: number;
  @Column({ name: 'present_count', type: 'int' }) presentCount!: number;
  @Column({ name: 'error_count', type: 'int' }) errorCount!: number;
  /** JSON array of ImportRowReport (masked ID numbers only). */
  @Column({ type: 'text' }) report!: string;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt!: Date;
}

export const COURSE_ENTITIES = [CohortInstructor, Course, CourseVersion, CourseModule, CourseLesson, CourseAttachment, CourseCohort, Enrolment, LessonProgress, StudentImport];

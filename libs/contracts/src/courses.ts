/** 人工智能训练师, the occupation every course is aligned to. */
export const OCCUPATION_CODE = '4-04-05-05';

/** 5 = 五级/初级工 … 1 = 一级/高级技师. */
export type SkillLevel = 1 | 2 | 3 | 4 | 5;
export const SKILL_LEVELS: readonly SkillLevel[] = [5, 4, 3, 2, 1];

/** Duty areas (职业功能) of the 2021 national standard; higher levels include the lower ones. */
export const DutyArea = {
  DataCollection: 'data_collection', // 数据采集和处理
  DataLabelling: 'data_labelling', // 数据标注
  SystemOperation: 'system_operation', // 智能系统运维
  BusinessAnalysis: 'business_analysis', // 业务分析
  IntelligentTraining: 'intelligent_training', // 智能训练
  SystemDesign: 'system_design', // 智能系统设计
  TrainingGuidance: 'training_guidance', // 培训与指导
} as const;
export type DutyArea = (typeof DutyArea)[keyof typeof DutyArea];
export const DUTY_AREAS: readonly DutyArea[] = Object.values(DutyArea);

export type CourseVersionStatus = 'draft' | 'published' | 'superseded';

// ---- cohorts -------------------------------------------------------------------------------

export interface CohortPersonView {
  id: number;
  realName: string;
  username: string;
  idNumberMasked: string | null;
  phone: string | null;
}

export interface CohortDetailView {
  id: number;
  organisationId: number;
  name: string;
  createdAt: string;
  students: CohortPersonView[];
  instructors: CohortPersonView[];
  courses: { id: number; title: string }[];
}

export interface AssignInstructorRequest {
  userId: number;
}

/** One row of a roster file: 姓名, 证件类型, 证件号码, 手机号, 班级. */
/** `not_imported`: a good row of a rejected file (nothing of a rejected file is written). */
export type ImportRowOutcome = 'created' | 'already_present' | 'error' | 'not_imported';

export interface ImportRowReport {
  /** Line number in the file (the header is line 1). */
  line: number;
  name: string;
  cohort: string;
  /** Masked; the report never carries a full ID number. */
  idNumberMasked: string;
  outcome: ImportRowOutcome;
  /** Problems of an `error` row, each naming its column. */
  /** `code`/`params`: the stable problem (the portal words it, `problem.<code>`); `problem`: English, for logs. */
  problems: { column: ImportColumn; problem: string; code?: string; params?: Record<string, string | number> }[];
}

export type ImportColumn = 'name' | 'idDocumentType' | 'idNumber' | 'phone' | 'cohort' | 'file';

export interface StudentImportView {
  id: number;
  fileName: string;
  /** `rejected`: nothing was created (see the rows); `completed`: every row was created or already present. */
  status: 'rejected' | 'completed';
  totalRows: number;
  created: number;
  alreadyPresent: number;
  errorRows: number;
  createdAt: string;
  rows: ImportRowReport[];
}

/** Returned once, right after a completed import: the new accounts' initial passwords are never stored in clear. */
export interface StudentImportResult extends StudentImportView {
  credentials: { line: number; realName: string; username: string; initialPassword: string }[];
}

// ---- courses (authoring) -------------------------------------------------------------------

export interface LessonDraft {
  /** Stable across versions; omitted for a new lesson (the server assigns one). */
  key?: string;
  title: string;
  contentMarkdown: string;
  videoUrl?: string | null;
  /** Estimated minutes; counts towards training hours (学时) once completed. */
  durationMinutes: number;
}

export interface ModuleDraft {
  key?: string;
  title: string;
  lessons: LessonDraft[];
}

export interface CourseDraftRequest {
  title: string;
  description: string;
  targetLevel: SkillLevel;
  dutyAreas: DutyArea[];
  /** Training hours the course requires; omitted = the level's reference hours. */
  requiredHours?: number | null;
  /** Share of a lesson's estimated time a student must spend on it before it can count as completed (0-100). */
  minTimePercent?: number;
  modules: ModuleDraft[];
}

export type CreateCourseRequest = Omit<CourseDraftRequest, 'modules'> & { modules?: ModuleDraft[] };

export interface AttachmentView {
  id: number;
  lessonKey: string;
  fileName: string;
  contentType: string;
  size: number;
}

export interface LessonView {
  key: string;
  title: string;
  contentMarkdown: string;
  videoUrl: string | null;
  durationMinutes: number;
  attachments: AttachmentView[];
}

export interface ModuleView {
  key: string;
  title: string;
  lessons: LessonView[];
}

export interface CourseVersionView {
  id: number;
  number: number;
  status: CourseVersionStatus;
  title: string;
  description: string;
  targetLevel: SkillLevel;
  dutyAreas: DutyArea[];
  requiredHours: number;
  /** Whether requiredHours is the level's reference value rather than set on the course. */
  requiredHoursIsDefault: boolean;
  minTimePercent: number;
  modules: ModuleView[];
  publishedAt: string | null;
  updatedAt: string;
}

export interface CourseSummaryView {
  id: number;
  occupationCode: string;
  title: string;
  targetLevel: SkillLevel;
  authorId: number;
  authorName: string;
  publishedVersion: number | null;
  hasDraft: boolean;
  lessonCount: number;
  /** What the caller may do: `author` edits, `teacher` teaches an enrolled cohort, `viewer` sees the catalogue. */
  relation: 'author' | 'teacher' | 'viewer';
}

export interface CourseDetailView extends CourseSummaryView {
  draft: CourseVersionView | null;
  published: CourseVersionView | null;
  enrolledCohorts: { id: number; name: string; studentCount: number }[];
}

export interface MarkdownPreviewRequest {
  markdown: string;
}
export interface MarkdownPreviewResponse {
  html: string;
}

export interface EnrolRequest {
  /** Enrol every student of a cohort (and those added to it later). */
  cohortId?: number;
  /** Or one student. */
  userId?: number;
}

export interface EnrolResult {
  enrolled: number;
  alreadyEnrolled: number;
}

export interface CourseRosterEntry {
  userId: number;
  realName: string;
  cohortName: string | null;
  completedLessons: number;
  totalLessons: number;
  trainingMinutes: number;
  requiredMinutes: number;
  lastActivityAt: string | null;
}

// ---- learning (student) --------------------------------------------------------------------

export interface LessonProgressView {
  lessonKey: string;
  status: 'not_started' | 'in_progress' | 'completed';
  secondsSpent: number;
  /** Seconds the server requires before the lesson can count as completed. */
  minimumSeconds: number;
  reachedEnd: boolean;
  completedAt: string | null;
}

export interface LearningLessonRef {
  key: string;
  title: string;
  durationMinutes: number;
  progress: LessonProgressView;
}

export interface LearningModuleView {
  key: string;
  title: string;
  completedLessons: number;
  totalLessons: number;
  lessons: LearningLessonRef[];
}

export interface TrainingHoursView {
  doneMinutes: number;
  requiredMinutes: number;
  /** 0-100, capped. */
  percent: number;
}

export interface MyCourseSummaryView {
  courseId: number;
  title: string;
  targetLevel: SkillLevel;
  versionNumber: number;
  completedLessons: number;
  totalLessons: number;
  hours: TrainingHoursView;
  /** The lesson to continue with: the last one opened if unfinished, else the first unfinished one. */
  continueLessonKey: string | null;
}

export interface MyCourseView extends MyCourseSummaryView {
  description: string;
  dutyAreas: DutyArea[];
  modules: LearningModuleView[];
}

export interface LearningLessonView {
  courseId: number;
  key: string;
  moduleTitle: string;
  title: string;
  /** Rendered server-side from Markdown with raw HTML disabled and unsafe links dropped. */
  html: string;
  videoUrl: string | null;
  durationMinutes: number;
  attachments: AttachmentView[];
  progress: LessonProgressView;
  previousKey: string | null;
  nextKey: string | null;
}

export interface HeartbeatRequest {
  /** `open` when the lesson is (re)opened: restarts the server's clock without crediting time. Default `beat`. */
  event?: 'open' | 'beat';
  /** The student scrolled to the end of the lesson. */
  reachedEnd?: boolean;
}


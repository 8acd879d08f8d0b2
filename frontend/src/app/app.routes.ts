import type { Routes } from '@angular/router';
import { homeUrl, roleGuard, signedInGuard, signedOutGuard } from './core/auth/role.guard';
import type { PageData } from './core/layout/navigation';
import { PROMPT_AUTHORS, anyRoleGuard } from './features/prompts/any-role.guard';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: () => homeUrl() },
  {
    path: 'login',
    title: 'login.title',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./features/login/login.page').then((m) => m.LoginPage),
  },
  {
    path: 'student',
    title: 'student.title',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/student/student.page').then((m) => m.StudentPage),
  },
  {
    path: 'student/courses/:id',
    title: 'shell.course',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/student/course.page').then((m) => m.StudentCoursePage),
  },
  {
    path: 'student/courses/:id/lessons/:key',
    title: 'shell.lesson',
    data: { parents: [{ path: '/student/courses/:id', title: 'shell.course' }] } satisfies Partial<PageData>,
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/student/lesson.page').then((m) => m.LessonPage),
  },
  {
    path: 'instructor/courses/:id',
    title: 'shell.courseEditor',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/instructor/course-editor.page').then((m) => m.CourseEditorPage),
  },
  {
    path: 'school/cohorts/:id',
    title: 'shell.cohort',
    canActivate: [roleGuard('school_admin')],
    loadComponent: () => import('./features/school/cohort.page').then((m) => m.CohortPage),
  },
  {
    path: 'instructor',
    title: 'instructor.title',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/instructor/instructor.page').then((m) => m.InstructorPage),
  },
  {
    path: 'school',
    title: 'school.title',
    canActivate: [roleGuard('school_admin')],
    loadComponent: () => import('./features/school/school.page').then((m) => m.SchoolPage),
  },
  {
    path: 'org',
    title: 'org.title',
    canActivate: [roleGuard('org_admin')],
    loadComponent: () => import('./features/org/org.page').then((m) => m.OrgPage),
  },
  {
    path: 'bureau',
    title: 'bureau.title',
    canActivate: [roleGuard('bureau_verifier')],
    loadComponent: () => import('./features/bureau/bureau.page').then((m) => m.BureauPage),
  },
  {
    path: 'admin',
    title: 'admin.title',
    canActivate: [roleGuard('platform_admin')],
    loadComponent: () => import('./features/admin/admin.page').then((m) => m.AdminPage),
  },
  {
    path: 'student/labelling',
    title: 'labelling.title',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/labelling/exercises.page').then((m) => m.LabellingExercisesPage),
  },
  {
    path: 'student/labelling/:id',
    title: 'shell.workspace',
    data: { parents: [{ path: '/student/labelling', title: 'labelling.title' }] } satisfies Partial<PageData>,
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/labelling/workspace.page').then((m) => m.LabellingWorkspacePage),
  },
  {
    path: 'instructor/labelling',
    title: 'labelling.title',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/labelling/exercises.page').then((m) => m.LabellingExercisesPage),
  },
  // prompt tasks, practice, human review, job queues (issue 5)
  {
    path: 'prompt-tasks',
    title: 'prompts.title',
    canActivate: [anyRoleGuard(PROMPT_AUTHORS)],
    loadComponent: () => import('./features/prompts/prompt-tasks.page').then((m) => m.PromptTasksPage),
  },
  {
    path: 'prompt-tasks/:id',
    title: 'shell.promptTask',
    data: { parents: [{ path: '/prompt-tasks', title: 'prompts.title' }] } satisfies Partial<PageData>,
    canActivate: [anyRoleGuard(PROMPT_AUTHORS)],
    loadComponent: () => import('./features/prompts/prompt-task-editor.page').then((m) => m.PromptTaskEditorPage),
  },
  {
    path: 'reviews',
    title: 'reviews.title',
    canActivate: [anyRoleGuard(PROMPT_AUTHORS)],
    loadComponent: () => import('./features/reviews/review-queue.page').then((m) => m.ReviewQueuePage),
  },
  {
    path: 'reviews/:id',
    title: 'shell.review',
    data: { parents: [{ path: '/reviews', title: 'reviews.title' }] } satisfies Partial<PageData>,
    canActivate: [anyRoleGuard(PROMPT_AUTHORS)],
    loadComponent: () => import('./features/reviews/review-detail.page').then((m) => m.ReviewDetailPage),
  },
  {
    path: 'practice/prompt-tasks',
    title: 'practice.title',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/prompts/practice-list.page').then((m) => m.PracticeListPage),
  },
  {
    path: 'practice/prompt-tasks/:id',
    title: 'shell.practiceTask',
    data: { parents: [{ path: '/practice/prompt-tasks', title: 'practice.title' }] } satisfies Partial<PageData>,
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/prompts/practice-task.page').then((m) => m.PracticeTaskPage),
  },
  {
    path: 'admin/queues',
    title: 'queues.title',
    canActivate: [roleGuard('platform_admin')],
    loadComponent: () => import('./features/queues/queues.page').then((m) => m.QueuesPage),
  },
  // exams and question bank (issue 6)
  {
    path: 'student/exams',
    title: 'exams.link',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/exams/my-exams.page').then((m) => m.MyExamsPage),
  },
  {
    path: 'student/exams/attempts/:id',
    title: 'shell.examRoom',
    data: { parents: [{ path: '/student/exams', title: 'exams.link' }] } satisfies Partial<PageData>,
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/exams/exam-room.page').then((m) => m.ExamRoomPage),
  },
  {
    path: 'instructor/exams',
    title: 'examAdmin.title',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/exams/exam-builder.page').then((m) => m.ExamBuilderPage),
  },
  {
    path: 'org/exam-sessions',
    title: 'sessions.title',
    canActivate: [roleGuard('org_admin')],
    loadComponent: () => import('./features/exams/exam-sessions.page').then((m) => m.ExamSessionsPage),
  },
  {
    path: 'instructor/question-bank',
    title: 'bank.title',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/question-bank/question-bank.page').then((m) => m.QuestionBankPage),
  },
  // certificates and verification (issue 7); /verify is public (the PDF's QR code opens it)
  {
    path: 'verify',
    title: 'verify.title',
    loadComponent: () => import('./features/verify/verify.page').then((m) => m.VerifyPage),
  },
  {
    path: 'org/certificates',
    title: 'certs.title',
    canActivate: [roleGuard('org_admin')],
    loadComponent: () => import('./features/certificates/org-certificates.page').then((m) => m.OrgCertificatesPage),
  },
  // An address that leads nowhere: signed out, the login page; signed in, the 404 result page with the way home.
  {
    path: '**',
    title: 'errors.notFound',
    canActivate: [signedInGuard],
    loadComponent: () => import('./features/errors/not-found.page').then((m) => m.NotFoundPage),
  },
];

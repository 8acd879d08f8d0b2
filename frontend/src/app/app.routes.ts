import type { Routes } from '@angular/router';
import { homeUrl, roleGuard, signedOutGuard } from './core/auth/role.guard';
import { PROMPT_AUTHORS, anyRoleGuard } from './features/prompts/any-role.guard';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: () => homeUrl() },
  {
    path: 'login',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./features/login/login.page').then((m) => m.LoginPage),
  },
  {
    path: 'student',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/student/student.page').then((m) => m.StudentPage),
  },
  {
    path: 'student/courses/:id',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/student/course.page').then((m) => m.StudentCoursePage),
  },
  {
    path: 'student/courses/:id/lessons/:key',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/student/lesson.page').then((m) => m.LessonPage),
  },
  {
    path: 'instructor/courses/:id',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/instructor/course-editor.page').then((m) => m.CourseEditorPage),
  },
  {
    path: 'school/cohorts/:id',
    canActivate: [roleGuard('school_admin')],
    loadComponent: () => import('./features/school/cohort.page').then((m) => m.CohortPage),
  },
  {
    path: 'instructor',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/instructor/instructor.page').then((m) => m.InstructorPage),
  },
  {
    path: 'school',
    canActivate: [roleGuard('school_admin')],
    loadComponent: () => import('./features/school/school.page').then((m) => m.SchoolPage),
  },
  {
    path: 'org',
    canActivate: [roleGuard('org_admin')],
    loadComponent: () => import('./features/org/org.page').then((m) => m.OrgPage),
  },
  {
    path: 'bureau',
    canActivate: [roleGuard('bureau_verifier')],
    loadComponent: () => import('./features/bureau/bureau.page').then((m) => m.BureauPage),
  },
  {
    path: 'admin',
    canActivate: [roleGuard('platform_admin')],
    loadComponent: () => import('./features/admin/admin.page').then((m) => m.AdminPage),
  },
  {
    path: 'student/labelling',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/labelling/exercises.page').then((m) => m.LabellingExercisesPage),
  },
  {
    path: 'student/labelling/:id',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/labelling/workspace.page').then((m) => m.LabellingWorkspacePage),
  },
  {
    path: 'instructor/labelling',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/labelling/exercises.page').then((m) => m.LabellingExercisesPage),
  },
  // prompt tasks, practice, human review, job queues (issue 5)
  {
    path: 'prompt-tasks',
    canActivate: [anyRoleGuard(PROMPT_AUTHORS)],
    loadComponent: () => import('./features/prompts/prompt-tasks.page').then((m) => m.PromptTasksPage),
  },
  {
    path: 'prompt-tasks/:id',
    canActivate: [anyRoleGuard(PROMPT_AUTHORS)],
    loadComponent: () => import('./features/prompts/prompt-task-editor.page').then((m) => m.PromptTaskEditorPage),
  },
  {
    path: 'reviews',
    canActivate: [anyRoleGuard(PROMPT_AUTHORS)],
    loadComponent: () => import('./features/reviews/review-queue.page').then((m) => m.ReviewQueuePage),
  },
  {
    path: 'reviews/:id',
    canActivate: [anyRoleGuard(PROMPT_AUTHORS)],
    loadComponent: () => import('./features/reviews/review-detail.page').then((m) => m.ReviewDetailPage),
  },
  {
    path: 'practice/prompt-tasks',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/prompts/practice-list.page').then((m) => m.PracticeListPage),
  },
  {
    path: 'practice/prompt-tasks/:id',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/prompts/practice-task.page').then((m) => m.PracticeTaskPage),
  },
  {
    path: 'admin/queues',
    canActivate: [roleGuard('platform_admin')],
    loadComponent: () => import('./features/queues/queues.page').then((m) => m.QueuesPage),
  },
  // exams and question bank (issue 6)
  {
    path: 'student/exams',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/exams/my-exams.page').then((m) => m.MyExamsPage),
  },
  {
    path: 'student/exams/attempts/:id',
    canActivate: [roleGuard('student')],
    loadComponent: () => import('./features/exams/exam-room.page').then((m) => m.ExamRoomPage),
  },
  {
    path: 'instructor/exams',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/exams/exam-builder.page').then((m) => m.ExamBuilderPage),
  },
  {
    path: 'org/exam-sessions',
    canActivate: [roleGuard('org_admin')],
    loadComponent: () => import('./features/exams/exam-sessions.page').then((m) => m.ExamSessionsPage),
  },
  {
    path: 'instructor/question-bank',
    canActivate: [roleGuard('instructor')],
    loadComponent: () => import('./features/question-bank/question-bank.page').then((m) => m.QuestionBankPage),
  },
  // certificates and verification (issue 7); /verify is public (the PDF's QR code opens it)
  {
    path: 'verify',
    loadComponent: () => import('./features/verify/verify.page').then((m) => m.VerifyPage),
  },
  {
    path: 'org/certificates',
    canActivate: [roleGuard('org_admin')],
    loadComponent: () => import('./features/certificates/org-certificates.page').then((m) => m.OrgCertificatesPage),
  },
  { path: '**', redirectTo: () => homeUrl() },
];

import type { Routes } from '@angular/router';
import { homeUrl, roleGuard, signedOutGuard } from './core/auth/role.guard';

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
  { path: '**', redirectTo: () => homeUrl() },
];

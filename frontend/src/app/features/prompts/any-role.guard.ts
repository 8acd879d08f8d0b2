import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import type { Role } from '@aitrainer/contracts';
import { LANDING_PATH } from '../../core/auth/landing';
import { SessionStore } from '../../core/auth/session.store';

/** Roles that author prompt tasks and review answers (the API's AUTHORS). */
export const PROMPT_AUTHORS: readonly Role[] = ['instructor', 'org_admin', 'platform_admin'];

/** Like roleGuard, for pages several roles share: anonymous users log in, other roles go home. */
export function anyRoleGuard(roles: readonly Role[]): CanActivateFn {
  return (_route, state) => {
    const router = inject(Router);
    const user = inject(SessionStore).user();
    if (!user) return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
    return roles.includes(user.role) ? true : router.parseUrl(LANDING_PATH[user.role]);
  };
}

import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import type { Role } from '@aitrainer/contracts';
import { LANDING_PATH } from './landing';
import { SessionStore } from './session.store';

/** Lets only `role` in; anonymous users go to the login page, other roles to their own landing page. */
export function roleGuard(role: Role): CanActivateFn {
  return (_route, state) => {
    const router = inject(Router);
    const user = inject(SessionStore).user();
    if (!user) return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
    return user.role === role ? true : router.parseUrl(LANDING_PATH[user.role]);
  };
}

/** The login page is for signed-out users; a signed-in user goes home. */
export const signedOutGuard: CanActivateFn = () => {
  const user = inject(SessionStore).user();
  return user ? inject(Router).parseUrl(LANDING_PATH[user.role]) : true;
};

/** Pages for any signed-in user; a signed-out one goes to the login page. */
export const signedInGuard: CanActivateFn = () => (inject(SessionStore).user() ? true : inject(Router).parseUrl('/login'));

/** Where `/` leads (and the result pages' way home). */
export function homeUrl(): string {
  const user = inject(SessionStore).user();
  return user ? LANDING_PATH[user.role] : '/login';
}

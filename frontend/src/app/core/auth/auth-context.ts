import { HttpContext, HttpContextToken } from '@angular/common/http';

/** Requests that must go out without a bearer token and never trigger a refresh (login, refresh). */
export const SKIP_AUTH = new HttpContextToken<boolean>(() => false);
/** Set on the one retry after a refresh, so a second 401 is not refreshed again. */
export const AUTH_RETRIED = new HttpContextToken<boolean>(() => false);

export function withoutAuth(): HttpContext {
  return new HttpContext().set(SKIP_AUTH, true);
}

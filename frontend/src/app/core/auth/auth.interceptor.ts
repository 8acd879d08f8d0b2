import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { ErrorCode } from '@aitrainer/contracts';
import { catchError, switchMap, throwError } from 'rxjs';
import { errorCodeOf } from '../http/api-problem';
import { AUTH_RETRIED, SKIP_AUTH } from './auth-context';
import { AuthService } from './auth.service';
import { SessionStore } from './session.store';

function withBearer<T>(request: HttpRequest<T>, token: string | null): HttpRequest<T> {
  return token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;
}

function isUnreachable(error: unknown): boolean {
  return error instanceof HttpErrorResponse && (error.status === 0 || error.status >= 500);
}

/**
 * Adds the bearer token to API calls. On a 401 saying the access token expired (or a 401 while a
 * refresh token exists) it refreshes once, shared by all requests failing at the same time, and
 * retries; if the refresh fails the session ends and the user is sent to the login page.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/') || request.context.get(SKIP_AUTH)) return next(request);

  const session = inject(SessionStore);
  const auth = inject(AuthService);
  const sentToken = session.accessToken();

  return next(withBearer(request, sentToken)).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401 || request.context.get(AUTH_RETRIED)) {
        return throwError(() => error);
      }
      const code = errorCodeOf(error);
      const refreshable =
        code === ErrorCode.TokenExpired || (code === ErrorCode.Unauthenticated && session.refreshToken() !== null);
      if (!refreshable) {
        if (code === ErrorCode.SessionRevoked || code === ErrorCode.RefreshTokenReused) auth.expireSession();
        return throwError(() => error);
      }
      request.context.set(AUTH_RETRIED, true);
      const currentToken = session.accessToken();
      // Another request already refreshed while this one was in flight: retry with that token.
      if (currentToken && currentToken !== sentToken) return next(withBearer(request, currentToken));
      return auth.refreshAccessToken().pipe(
        catchError((refreshError: unknown) => {
          // A refused refresh ends the session; an unreachable server does not log anyone out.
          if (!isUnreachable(refreshError)) auth.expireSession();
          return throwError(() => refreshError);
        }),
        switchMap((token) => next(withBearer(request, token))),
      );
    }),
  );
};

import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import type {
  ChangePasswordRequest,
  LoginRequest,
  LoginResponse,
  RefreshRequest,
  TokenPair,
  UserView,
} from '@aitrainer/contracts';
import { Observable, catchError, finalize, map, of, shareReplay, tap, throwError } from 'rxjs';
import { API_V1 } from '../http/api-url';
import { withoutAuth } from './auth-context';
import { LANDING_PATH } from './landing';
import { SessionStore } from './session.store';

@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private refreshInFlight: Observable<string> | null = null;

  constructor() {
    // Logging in or out in another tab applies to this tab too.
    globalThis.addEventListener?.('storage', (event: StorageEvent) => {
      if (!this.session.concernsSession(event)) return;
      const before = this.session.user();
      const after = this.session.reload();
      if (after === null && before !== null) void this.router.navigate(['/login']);
      else if (after !== null && after.id !== before?.id) void this.router.navigateByUrl(LANDING_PATH[after.role]);
    });
  }

  login(request: LoginRequest): Observable<UserView> {
    return this.http.post<LoginResponse>(`${API_V1}/auth/login`, request, { context: withoutAuth() }).pipe(
      tap((response) => this.session.start(response)),
      map((response) => response.user),
    );
  }

  /**
   * Ends the session locally at once and tells the server with the token in hand; a failure there
   * (offline, token already expired) must not keep the user signed in on this device.
   */
  logout(): Observable<void> {
    const token = this.session.accessToken();
    this.session.clear();
    void this.router.navigate(['/login']);
    if (!token) return of(undefined);
    return this.http
      .post<void>(`${API_V1}/auth/logout`, null, {
        context: withoutAuth(),
        headers: { Authorization: `Bearer ${token}` },
      })
      .pipe(catchError(() => of(undefined)));
  }

  me(): Observable<UserView> {
    return this.http.get<UserView>(`${API_V1}/me`).pipe(tap((user) => this.session.setUser(user)));
  }

  /** The server answers with a fresh session and revokes every other one. */
  changePassword(request: ChangePasswordRequest): Observable<UserView> {
    return this.http.post<LoginResponse>(`${API_V1}/auth/password`, request).pipe(
      tap((response) => this.session.start(response)),
      map((response) => response.user),
    );
  }

  /**
   * Exchanges the refresh token for a new pair. Single-flight: concurrent callers share one
   * request, because refresh tokens rotate and a second use of the same one is refused (and
   * treated by the server as theft).
   */
  refreshAccessToken(): Observable<string> {
    if (this.refreshInFlight) return this.refreshInFlight;
    const refreshToken = this.session.refreshToken();
    if (!refreshToken) return throwError(() => new Error('No refresh token'));
    const body: RefreshRequest = { refreshToken };
    this.refreshInFlight = this.http.post<TokenPair>(`${API_V1}/auth/refresh`, body, { context: withoutAuth() }).pipe(
      tap((pair) => this.session.saveTokens(pair)),
      map((pair) => pair.accessToken),
      finalize(() => {
        this.refreshInFlight = null;
      }),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.refreshInFlight;
  }

  /** The session cannot be continued: back to the login page, which explains why in plain words. */
  expireSession(): void {
    if (!this.session.isSignedIn()) return; // several failing requests: act once
    this.session.clear();
    const returnUrl = this.router.url.startsWith('/login') ? undefined : this.router.url;
    void this.router.navigate(['/login'], { queryParams: { returnUrl, reason: 'expired' } });
  }
}

import { Injectable, computed, inject, signal } from '@angular/core';
import type { LoginResponse, TokenPair, UserView } from '@aitrainer/contracts';
import { LocalStore } from '../storage/local-store';

const KEYS = { access: 'accessToken', refresh: 'refreshToken', user: 'user' } as const;

/**
 * The signed-in user and their tokens, kept in localStorage (`aitrainer.*`) so that a reload
 * keeps the session. Tokens are read from storage on every use: another tab may have rotated them.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly store = inject(LocalStore);
  private readonly currentUser = signal<UserView | null>(this.readUser());

  readonly user = this.currentUser.asReadonly();
  readonly isSignedIn = computed(() => this.currentUser() !== null);

  accessToken(): string | null {
    return this.store.get(KEYS.access);
  }

  refreshToken(): string | null {
    return this.store.get(KEYS.refresh);
  }

  start(response: LoginResponse): void {
    this.saveTokens(response);
    this.setUser(response.user);
  }

  saveTokens(tokens: TokenPair): void {
    this.store.set(KEYS.access, tokens.accessToken);
    this.store.set(KEYS.refresh, tokens.refreshToken);
  }

  setUser(user: UserView): void {
    this.store.setJson(KEYS.user, user);
    this.currentUser.set(user);
  }

  /** True when a storage event (another tab) touched the session. */
  concernsSession(event: StorageEvent): boolean {
    return event.key === null || event.key === LocalStore.prefix + KEYS.user || event.key === LocalStore.prefix + KEYS.access;
  }

  /** Re-reads the session after another tab logged in or out. */
  reload(): UserView | null {
    const user = this.readUser();
    this.currentUser.set(user);
    return user;
  }

  clear(): void {
    this.store.remove(KEYS.access);
    this.store.remove(KEYS.refresh);
    this.store.remove(KEYS.user);
    this.currentUser.set(null);
  }

  private readUser(): UserView | null {
    // A user without an access token is a half-cleared session: treat it as signed out.
    return this.store.get(KEYS.access) ? this.store.getJson<UserView>(KEYS.user) : null;
  }
}

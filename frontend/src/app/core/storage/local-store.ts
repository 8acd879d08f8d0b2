import { Injectable } from '@angular/core';

const PREFIX = 'aitrainer.';

/**
 * Namespaced access to localStorage. Every call tolerates a missing or blocked storage
 * (private browsing, storage quota) so that the portal still works for the current page.
 */
@Injectable({ providedIn: 'root' })
export class LocalStore {
  static readonly prefix = PREFIX;

  get(key: string): string | null {
    try {
      return localStorage.getItem(PREFIX + key);
    } catch {
      return null;
    }
  }

  set(key: string, value: string): void {
    try {
      localStorage.setItem(PREFIX + key, value);
    } catch {
      // Storage unavailable: the value lives only as long as the page.
    }
  }

  remove(key: string): void {
    try {
      localStorage.removeItem(PREFIX + key);
    } catch {
      // Nothing stored, nothing to remove.
    }
  }

  getJson<T>(key: string): T | null {
    const raw = this.get(key);
    if (raw === null) return null;
    try {
      return JSON.parse(raw) as T;
    } catch {
      this.remove(key);
      return null;
    }
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }
}

import { Injectable, inject, signal } from '@angular/core';
import type { ApiProblem } from '../http/api-problem';
import { toApiProblem } from '../http/api-problem';
import { I18n } from '../i18n/i18n.service';
import type { MessageKey } from '../i18n/messages.zh';
import { fieldProblemText, problemMessage } from './problem-text';

export type NoticeKind = 'error' | 'success' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  message: string;
  details: readonly string[];
}

const AUTO_DISMISS_MS: Record<NoticeKind, number | null> = { success: 5000, info: 7000, error: 12000 };

/** Short messages shown in the corner; errors carry the server's field problems as details. */
@Injectable({ providedIn: 'root' })
export class NotificationService {
  private readonly i18n = inject(I18n);
  private readonly list = signal<readonly Notice[]>([]);
  private nextId = 1;

  readonly notices = this.list.asReadonly();

  success(key: MessageKey, params?: Readonly<Record<string, string | number>>): void {
    this.push('success', this.i18n.t(key, params));
  }

  info(key: MessageKey, params?: Readonly<Record<string, string | number>>): void {
    this.push('info', this.i18n.t(key, params));
  }

  /** Shows any failure (an HttpErrorResponse or an ApiProblem) in plain words. */
  error(error: unknown): void {
    const problem = isApiProblem(error) ? error : toApiProblem(error);
    this.push(
      'error',
      problemMessage(problem, this.i18n),
      problem.fields.map((field) => fieldProblemText(field, this.i18n)),
    );
  }

  dismiss(id: number): void {
    this.list.update((notices) => notices.filter((notice) => notice.id !== id));
  }

  private push(kind: NoticeKind, message: string, details: readonly string[] = []): void {
    // The same message twice in a row (e.g. several requests failing offline) is shown once.
    if (this.list().some((notice) => notice.message === message && notice.kind === kind)) return;
    const id = this.nextId++;
    this.list.update((notices) => [...notices.slice(-3), { id, kind, message, details }]);
    const delay = AUTO_DISMISS_MS[kind];
    if (delay !== null) setTimeout(() => this.dismiss(id), delay);
  }
}

function isApiProblem(value: unknown): value is ApiProblem {
  return typeof value === 'object' && value !== null && 'code' in value && 'fields' in value && 'retryAfterSeconds' in value;
}

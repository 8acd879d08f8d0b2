import { DestroyRef, type Signal, computed, inject, signal } from '@angular/core';
import type { FormGroup } from '@angular/forms';
import { merge, map } from 'rxjs';
import type { ApiProblem } from '../../core/http/api-problem';
import { I18n } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { fieldErrorMap } from '../../core/notifications/problem-text';

export interface ServerFieldErrors {
  /** Translated problems by field name; a field's problem disappears once the user edits it. */
  readonly errors: Signal<Readonly<Record<string, string>>>;
  readonly problem: Signal<ApiProblem | null>;
  /** `extra` adds portal-worded problems (message keys) for fields the server did not name. */
  set(problem: ApiProblem | null, extra?: Readonly<Record<string, MessageKey>>): void;
}

/** Keeps the server's field problems of a form beside the fields they concern. */
export function serverFieldErrors(form: FormGroup): ServerFieldErrors {
  const i18n = inject(I18n);
  const problem = signal<ApiProblem | null>(null);
  const extraErrors = signal<Readonly<Record<string, MessageKey>>>({});
  const edited = signal<ReadonlySet<string>>(new Set());

  const subscription = merge(
    ...Object.entries(form.controls).map(([name, control]) => control.valueChanges.pipe(map(() => name))),
  ).subscribe((name) => {
    if (!edited().has(name)) edited.update((names) => new Set(names).add(name));
  });
  inject(DestroyRef).onDestroy(() => subscription.unsubscribe());

  return {
    problem: problem.asReadonly(),
    errors: computed(() => {
      const all: Record<string, string> = { ...fieldErrorMap(problem(), i18n) };
      for (const [name, key] of Object.entries(extraErrors())) all[name] = i18n.t(key);
      for (const name of edited()) delete all[name];
      return all;
    }),
    set(next, extra = {}) {
      problem.set(next);
      extraErrors.set(extra);
      edited.set(new Set());
    },
  };
}

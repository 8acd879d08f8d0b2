import { DestroyRef, type Signal, computed, inject, signal } from '@angular/core';
import type { Observable, Subscription } from 'rxjs';
import { type ApiProblem, toApiProblem } from '../../core/http/api-problem';

export type RemoteState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'error'; readonly problem: ApiProblem };

export interface Remote<T> {
  readonly state: Signal<RemoteState<T>>;
  /** The loaded value, or undefined while loading or after an error. */
  readonly value: Signal<T | undefined>;
  /** Loads again; the current value stays on screen until the new one arrives. */
  reload(): void;
}

/**
 * Data loaded from the API as a signal of loading / ready / error. Call it in an injection
 * context (a field initialiser): the request is cancelled when the component is destroyed.
 */
export function remote<T>(source: () => Observable<T>): Remote<T> {
  const state = signal<RemoteState<T>>({ status: 'loading' });
  let subscription: Subscription | undefined;

  const reload = (): void => {
    subscription?.unsubscribe();
    if (state().status !== 'ready') state.set({ status: 'loading' });
    subscription = source().subscribe({
      next: (value) => state.set({ status: 'ready', value }),
      error: (error: unknown) => state.set({ status: 'error', problem: toApiProblem(error) }),
    });
  };

  inject(DestroyRef).onDestroy(() => subscription?.unsubscribe());
  reload();

  return {
    state: state.asReadonly(),
    value: computed(() => {
      const current = state();
      return current.status === 'ready' ? current.value : undefined;
    }),
    reload,
  };
}

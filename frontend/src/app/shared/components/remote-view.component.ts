import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { Localized } from '../../core/i18n/localized';
import { problemMessage } from '../../core/notifications/problem-text';
import type { Remote, RemoteState } from '../util/remote';

/** Loading, error (with a retry button) and empty states around a list or a detail view. */
@Component({
  selector: 'app-remote-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @switch (current().status) {
      @case ('loading') {
        <p class="state state--loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('common.loading') }}</p>
      }
      @case ('error') {
        <div class="state state--error" role="alert">
          <span>{{ errorText() }}</span>
          <button type="button" class="btn btn--small" (click)="reload()">{{ t('common.retry') }}</button>
        </div>
      }
      @default {
        @if (isEmpty()) {
          <p class="state state--empty">{{ emptyText() }}</p>
        } @else {
          <ng-content />
        }
      }
    }
  `,
})
export class RemoteViewComponent extends Localized {

  /** The `remote()` shown: its state, and what a retry reloads. A list that came back empty shows `emptyText`. */
  readonly source = input<Remote<unknown>>();
  /** Or a state kept by the page, which reloads on `retry`. */
  readonly state = input<RemoteState<unknown>>();
  /** Whether there is nothing to show; by default, whether the loaded list is empty (when there is an `emptyText`). */
  readonly empty = input<boolean>();
  readonly emptyText = input('');
  readonly retry = output<void>();

  protected readonly current = computed((): RemoteState<unknown> => this.source()?.state() ?? this.state() ?? { status: 'loading' });
  protected readonly isEmpty = computed(() => {
    const current = this.current();
    return this.empty() ?? (!!this.emptyText() && current.status === 'ready' && Array.isArray(current.value) && current.value.length === 0);
  });

  protected reload(): void {
    this.source()?.reload();
    this.retry.emit();
  }

  protected readonly errorText = computed(() => {
    const state = this.current();
    return state.status === 'error' ? problemMessage(state.problem, this.i18n) : '';
  });
}

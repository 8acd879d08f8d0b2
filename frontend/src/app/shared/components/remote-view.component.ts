import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';
import { problemMessage } from '../../core/notifications/problem-text';
import type { RemoteState } from '../util/remote';

/** Loading, error (with a retry button) and empty states around a list or a detail view. */
@Component({
  selector: 'app-remote-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @switch (state().status) {
      @case ('loading') {
        <p class="state state--loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('common.loading') }}</p>
      }
      @case ('error') {
        <div class="state state--error" role="alert">
          <span>{{ errorText() }}</span>
          <button type="button" class="btn btn--small" (click)="retry.emit()">{{ t('common.retry') }}</button>
        </div>
      }
      @default {
        @if (empty()) {
          <p class="state state--empty">{{ emptyText() }}</p>
        } @else {
          <ng-content />
        }
      }
    }
  `,
})
export class RemoteViewComponent {
  private readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;

  readonly state = input.required<RemoteState<unknown>>();
  readonly empty = input(false);
  readonly emptyText = input('');
  readonly retry = output<void>();

  protected readonly errorText = computed(() => {
    const state = this.state();
    return state.status === 'error' ? problemMessage(state.problem, this.i18n) : '';
  });
}

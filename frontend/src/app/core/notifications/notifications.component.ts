import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Localized } from '../i18n/localized';
import { NotificationService } from './notification.service';

@Component({
  selector: 'app-notifications',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="notices" aria-live="polite">
      @for (notice of notifications.notices(); track notice.id) {
        <div class="notice notice--{{ notice.kind }}" [attr.role]="notice.kind === 'error' ? 'alert' : 'status'" data-testid="notice">
          <div class="notice__body">
            <p class="notice__message">{{ notice.message }}</p>
            @if (notice.details.length) {
              <ul class="notice__details">
                @for (detail of notice.details; track $index) {
                  <li>{{ detail }}</li>
                }
              </ul>
            }
          </div>
          <button type="button" class="notice__close" (click)="notifications.dismiss(notice.id)" [attr.aria-label]="t('common.close')">×</button>
        </div>
      }
    </div>
  `,
  styles: `
    .notices {
      position: fixed;
      z-index: 50;
      right: 1rem;
      bottom: 1rem;
      display: grid;
      gap: 0.5rem;
      width: min(26rem, calc(100vw - 2rem));
    }
    .notice {
      display: flex;
      align-items: flex-start;
      gap: 0.75rem;
      padding: 0.75rem 0.75rem 0.75rem 1rem;
      border-radius: var(--radius);
      border-left: 4px solid var(--info);
      background: var(--surface);
      box-shadow: var(--shadow-lg);
    }
    .notice--error { border-left-color: var(--danger); }
    .notice--success { border-left-color: var(--success); }
    .notice__body { flex: 1; min-width: 0; }
    .notice__message { margin: 0; font-weight: 500; }
    .notice__details { margin: 0.35rem 0 0; padding-left: 1.1rem; color: var(--text-muted); font-size: 0.875rem; }
    .notice__close {
      border: 0;
      background: none;
      font-size: 1.25rem;
      line-height: 1;
      color: var(--text-muted);
      cursor: pointer;
      padding: 0.1rem 0.3rem;
    }
  `,
})
export class NotificationsComponent extends Localized {
  protected readonly notifications = inject(NotificationService);
}

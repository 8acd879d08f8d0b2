import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { SessionStore } from './core/auth/session.store';
import { I18n } from './core/i18n/i18n.service';
import { HeaderComponent } from './core/layout/header.component';
import { NotificationsComponent } from './core/notifications/notifications.component';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, HeaderComponent, NotificationsComponent],
  template: `
    <a class="skip-link" href="#main">{{ t('app.skipToContent') }}</a>
    <app-header />
    <main id="main" class="page" tabindex="-1">
      <router-outlet />
    </main>
    <app-notifications />
  `,
})
export class AppComponent {
  protected readonly session = inject(SessionStore);
  protected readonly t = inject(I18n).t;
}

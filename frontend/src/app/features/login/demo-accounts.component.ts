import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import type { DemoAccountsView, Role } from '@aitrainer/contracts';
import { withoutAuth } from '../../core/auth/auth-context';
import { API_V1 } from '../../core/http/api-url';
import { Localized } from '../../core/i18n/localized';

/** The demo accounts under the sign-in form, shown only when the demo data is loaded; a click fills the form. */
@Component({
  selector: 'app-demo-accounts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (view(); as v) {
      @if (v.accounts.length) {
        <section class="section-gap demo-accounts" data-testid="demo-accounts" [attr.aria-label]="t('login.demo.title')">
          <h2 class="small demo-accounts__title">{{ t('login.demo.title') }}</h2>
          <p class="muted small">{{ t('login.demo.hint') }}<span class="mono">{{ v.password }}</span></p>
          <ul class="demo-accounts__list">
            @for (a of v.accounts; track a.username) {
              <li>
                <button type="button" class="btn btn--block demo-accounts__pick" (click)="picked.emit({ username: a.username, password: v.password })" [attr.data-testid]="'demo-account-' + a.role">
                  <span>{{ roleName(a.role) }} · {{ a.realName }}</span>
                  <span class="muted small mono">{{ a.username }}</span>
                </button>
              </li>
            }
          </ul>
        </section>
      }
    }
  `,
  styles: `
    .demo-accounts__title { margin: 0; }
    .demo-accounts__list { list-style: none; margin: 0.5rem 0 0; padding: 0; display: grid; gap: 0.375rem; }
    .demo-accounts__pick { display: flex; justify-content: space-between; gap: 0.5rem; text-align: left; }
  `,
})
export class DemoAccountsComponent extends Localized {
  protected readonly roleName = (role: Role) => this.t(`role.${role}` as const);
  protected readonly view = signal<DemoAccountsView | null>(null);
  readonly picked = output<{ username: string; password: string }>();

  constructor() {
    super();
    inject(HttpClient)
      .get<DemoAccountsView>(`${API_V1}/auth/demo-accounts`, { context: withoutAuth() })
      .subscribe({ next: (v) => this.view.set(v), error: () => this.view.set(null) });
  }
}

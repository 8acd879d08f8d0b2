import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthService } from '../auth/auth.service';
import { LANDING_PATH } from '../auth/landing';
import { SessionStore } from '../auth/session.store';
import { Localized } from '../i18n/localized';

@Component({
  selector: 'app-header',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <header class="header">
      <div class="header__inner">
        @if (user() && menuButton()) {
          <button type="button" class="btn btn--ghost btn--small menu-button" data-testid="menu-open" [attr.aria-expanded]="menuOpen()" (click)="openMenu.emit()">
            <span class="menu-button__bars" aria-hidden="true"></span>{{ t('shell.menu') }}
          </button>
        }
        <a class="brand" [routerLink]="home()">
          <span class="brand__mark" aria-hidden="true">AI</span>
          <span class="brand__name">{{ t('app.title') }}</span>
        </a>
        <div class="header__tools" [class.header__tools--user]="user()">
          @if (user(); as user) {
            <div class="who" data-testid="current-user">
              <span class="who__name">{{ user.realName }}</span>
              <span class="who__meta">
                <!-- Ant's tag look without NzTagModule: the module would add ~50 kB to the initial bundle (over its 1.40 MB budget). -->
                <span class="ant-tag role-tag">{{ i18n.roleLabel(user.role) }}</span>
                <span class="who__org">{{ user.organisation?.name ?? t('nav.noOrganisation') }}</span>
              </span>
            </div>
          }
          <!-- The visible name is the accessible name (WCAG 2.5.3), in the language it names; the title explains. -->
          <button type="button" class="btn btn--ghost btn--small" data-testid="lang-switch" [attr.title]="t('lang.switchLabel')" (click)="i18n.toggle()">
            <span [attr.lang]="i18n.lang() === 'zh' ? 'en' : 'zh-CN'">{{ t('lang.switchTo') }}</span>
          </button>
          @if (user()) {
            <button type="button" class="btn btn--ghost btn--small" data-testid="logout" (click)="logout()">{{ t('nav.logout') }}</button>
          }
        </div>
      </div>
    </header>
  `,
  styles: `
    .header { background: var(--brand-dark); color: #fff; }
    .header__inner {
      max-width: var(--page-width);
      margin: 0 auto;
      padding: 0.6rem 1rem;
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 0.5rem 1.25rem;
    }
    .brand { display: flex; align-items: center; gap: 0.6rem; color: inherit; text-decoration: none; font-weight: 600; }
    .brand__mark {
      display: grid; place-items: center; width: 2rem; height: 2rem; border-radius: 0.45rem;
      background: #fff; color: var(--brand-dark); font-size: 0.85rem; font-weight: 700;
    }
    .menu-button { display: inline-flex; align-items: center; gap: 0.4rem; min-height: 2rem; }
    .menu-button__bars { width: 1rem; height: 2px; background: currentColor; box-shadow: 0 -5px 0 currentColor, 0 5px 0 currentColor; }
    .header__tools { margin-left: auto; display: flex; align-items: center; gap: 0.6rem; flex-wrap: wrap; }
    .who { display: grid; text-align: right; line-height: 1.3; }
    .who__name { font-weight: 600; }
    .who__meta { display: flex; gap: 0.4rem; align-items: center; justify-content: flex-end; font-size: 0.8rem; color: rgb(255 255 255 / 80%); }
    .who__org { max-width: 16rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    /* White on the brand blue through a faint white wash (as the badge was), not Ant's near-black on grey. */
    .role-tag { background: rgb(255 255 255 / 18%); color: #fff; border-color: rgb(255 255 255 / 45%); margin: 0; }
    .btn--ghost { color: #fff; border-color: rgb(255 255 255 / 45%); }
    .btn--ghost:hover { background: rgb(255 255 255 / 12%); }
    @media (max-width: 640px) {
      .brand__name { font-size: 0.95rem; }
      .header__tools--user { margin-left: 0; width: 100%; flex-wrap: nowrap; }
      .who { text-align: left; margin-right: auto; min-width: 0; }
      .who__meta { min-width: 0; }
      .who__meta { justify-content: flex-start; }
      .who__org { max-width: 100%; }
    }
    @media (max-width: 380px) {
      .brand__name { display: none; }
    }
  `,
})
export class HeaderComponent extends Localized {
  private readonly auth = inject(AuthService);
  protected readonly user = inject(SessionStore).user;
  /** At phone width the role's menu sits in a drawer this button opens. */
  readonly menuButton = input(false);
  readonly menuOpen = input(false);
  readonly openMenu = output<void>();
  protected readonly home = computed(() => {
    const user = this.user();
    return user ? LANDING_PATH[user.role] : '/login';
  });

  protected logout(): void {
    this.auth.logout().subscribe();
  }
}

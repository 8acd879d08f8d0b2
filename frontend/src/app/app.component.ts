import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, signal } from '@angular/core';
import { NavigationEnd, Router, RouterOutlet } from '@angular/router';
import { NzDrawerComponent, NzDrawerContentDirective } from 'ng-zorro-antd/drawer';
import { NzI18nService, en_US, zh_CN } from 'ng-zorro-antd/i18n';
import { filter } from 'rxjs';
import { SessionStore } from './core/auth/session.store';
import { Localized } from './core/i18n/localized';
import { BreadcrumbsComponent } from './core/layout/breadcrumbs.component';
import { HeaderComponent } from './core/layout/header.component';
import { SideNavComponent } from './core/layout/side-nav.component';
import { NotificationsComponent } from './core/notifications/notifications.component';

/** Below this width the side menu folds into a drawer (Ant's `md` breakpoint). */
const PHONE_QUERY = '(max-width: 767.98px)';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, HeaderComponent, NotificationsComponent, NzDrawerComponent, NzDrawerContentDirective, SideNavComponent, BreadcrumbsComponent],
  template: `
    <a class="skip-link" href="#main">{{ t('app.skipToContent') }}</a>
    <!-- Ant's layout classes without its layout module: the sider's module pulls the menu and the CDK into the first load -->
    <div class="ant-layout shell">
      <app-header [menuButton]="phone()" [menuOpen]="drawerOpen()" (openMenu)="drawerOpen.set(true)" />
      <div class="ant-layout ant-layout-has-sider shell__body">
        @if (session.user() && !phone()) {
          <aside class="ant-layout-sider ant-layout-sider-light shell__sider">
            <!-- deferred: the menu and its icons load beside the first page, not before it -->
            @defer (on immediate) { <app-side-nav place="side" /> }
          </aside>
        }
        <div class="ant-layout-content shell__content">
          <main id="main" class="page" tabindex="-1">
            @defer (on immediate) { <app-breadcrumbs /> }
            <router-outlet />
          </main>
        </div>
      </div>
    </div>
    <!-- The drawer exists only while open: a closed one would leave its links and close button in the tab order. -->
    @if (session.user() && phone() && drawerOpen()) {
      @defer (on immediate) {
      <!-- Our own close button: the library's carries a fixed English label. -->
      <nz-drawer [nzVisible]="true" nzPlacement="left" [nzTitle]="t('shell.menu')" [nzClosable]="false" [nzExtra]="drawerClose" [nzWidth]="'17rem'" (nzOnClose)="drawerOpen.set(false)">
        <ng-container *nzDrawerContent>
          <app-side-nav place="drawer" (navigate)="drawerOpen.set(false)" />
        </ng-container>
      </nz-drawer>
      <ng-template #drawerClose>
        <button type="button" class="btn btn--small btn--ghost" data-testid="menu-close" [attr.aria-label]="t('common.close')" (click)="drawerOpen.set(false)">×</button>
      </ng-template>
      }
    }
    <app-notifications />
  `,
  styles: `
    .shell { min-height: 100vh; background: var(--bg); }
    .shell__body { flex-direction: row; }
    .shell__sider { flex: 0 0 13.5rem; width: 13.5rem; border-inline-end: 1px solid var(--border); padding-top: 0.5rem; }
    .shell__content { min-width: 0; }
  `,
})
export class AppComponent extends Localized {
  protected readonly session = inject(SessionStore);
  protected readonly phone = signal(false);
  protected readonly drawerOpen = signal(false);

  constructor() {
    super();
    const nzI18n = inject(NzI18nService);
    // The library's own words (pagination, empty tables, date pickers, dialogs) follow the portal's language switch.
    effect(() => nzI18n.setLocale(this.i18n.lang() === 'zh' ? zh_CN : en_US));

    const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(PHONE_QUERY) : null;
    if (media) {
      const update = () => this.phone.set(media.matches);
      update();
      media.addEventListener('change', update);
      inject(DestroyRef).onDestroy(() => media.removeEventListener('change', update));
    }
    const closeOnNavigation = inject(Router).events.pipe(filter((e) => e instanceof NavigationEnd)).subscribe(() => this.drawerOpen.set(false));
    inject(DestroyRef).onDestroy(() => closeOnNavigation.unsubscribe());
  }
}

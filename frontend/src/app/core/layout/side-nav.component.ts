import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';
import { NzMenuModule } from 'ng-zorro-antd/menu';
import { SessionStore } from '../auth/session.store';
import { Localized } from '../i18n/localized';
import { NAVIGATION } from './navigation';

/** The signed-in role's areas as an Ant menu; the same list sits in the side bar and in the phone's drawer. */
@Component({
  selector: 'app-side-nav',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzMenuModule, RouterLink, RouterLinkActive],
  template: `
    <nav [attr.aria-label]="t('nav.main')" [attr.data-testid]="'side-nav-' + place()">
      <ul nz-menu nzMode="inline" class="side-nav">
        @for (item of items(); track item.path) {
          <li nz-menu-item nzMatchRouter [nzMatchRouterExact]="item.id === 'home'">
            <a [routerLink]="item.path" routerLinkActive #active="routerLinkActive" [routerLinkActiveOptions]="{ exact: item.id === 'home' }"
               [attr.aria-current]="active.isActive ? 'page' : null" [attr.data-testid]="'menu-' + item.id" (click)="navigate.emit()">{{ t(item.label) }}</a>
          </li>
        }
      </ul>
    </nav>
  `,
  styles: `
    .side-nav { border-inline-end: 0 !important; }
    .side-nav a { display: block; }
  `,
})
export class SideNavComponent extends Localized {
  private readonly user = inject(SessionStore).user;
  /** `side` or `drawer`: which copy, so each has its own test id. */
  readonly place = input<'side' | 'drawer'>('side');
  readonly navigate = output<void>();
  protected readonly items = computed(() => {
    const user = this.user();
    return user ? NAVIGATION[user.role] : [];
  });
}

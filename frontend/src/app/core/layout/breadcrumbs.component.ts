import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { type ActivatedRouteSnapshot, NavigationEnd, Router, RouterLink } from '@angular/router';
import { NzBreadCrumbModule } from 'ng-zorro-antd/breadcrumb';
import { filter, map, startWith } from 'rxjs';
import { LANDING_PATH } from '../auth/landing';
import { SessionStore } from '../auth/session.store';
import { Localized } from '../i18n/localized';
import type { MessageKey } from '../i18n/messages.zh';
import type { Crumb, PageData } from './navigation';

function deepest(snapshot: ActivatedRouteSnapshot): ActivatedRouteSnapshot {
  let route = snapshot;
  while (route.firstChild) route = route.firstChild;
  return route;
}

/** "工作台 / 题库 / 编辑" above every page below a role's landing page; nothing on the landing page itself. */
@Component({
  selector: 'app-breadcrumbs',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzBreadCrumbModule, RouterLink],
  template: `
    @if (crumbs().length > 1) {
      <nav class="crumbs" [attr.aria-label]="t('shell.breadcrumbs')" data-testid="breadcrumbs">
        <nz-breadcrumb>
          @for (crumb of crumbs(); track $index) {
            <nz-breadcrumb-item>
              @if (crumb.url) {
                <a [routerLink]="crumb.url">{{ crumb.label }}</a>
              } @else {
                <span aria-current="page">{{ crumb.label }}</span>
              }
            </nz-breadcrumb-item>
          }
        </nz-breadcrumb>
      </nav>
    }
  `,
  styles: `
    .crumbs { margin: 0 0 0.75rem; }
    .crumbs a { display: inline-block; min-height: 24px; line-height: 24px; }
  `,
})
export class BreadcrumbsComponent extends Localized {
  private readonly router = inject(Router);
  private readonly user = inject(SessionStore).user;

  private readonly route = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      startWith(null),
      map(() => deepest(this.router.routerState.snapshot.root)),
    ),
    { requireSync: true },
  );

  protected readonly crumbs = computed((): Crumb[] => {
    const route = this.route();
    const user = this.user();
    const title = route.routeConfig?.title;
    if (!user || typeof title !== 'string') return [];
    const home = LANDING_PATH[user.role];
    const data = route.data as Partial<PageData>;
    const fill = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => route.paramMap.get(name) ?? '');
    const here = this.router.url.split(/[?#]/)[0];
    if (here === home) return [];
    return [
      { label: this.t('nav.home'), url: home },
      ...(data.parents ?? []).filter((p) => p.path !== home).map((p) => ({ label: this.t(p.title), url: fill(p.path) })),
      { label: this.t(title as MessageKey), url: null },
    ];
  });
}

import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzResultModule } from 'ng-zorro-antd/result';
import { homeUrl } from '../../core/auth/role.guard';
import { Localized } from '../../core/i18n/localized';

/** An address that leads nowhere: the Ant 404 result page, with the way home. */
@Component({
  selector: 'app-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzButtonModule, NzResultModule, RouterLink],
  template: `
    <nz-result nzStatus="404" data-testid="result-404">
      <div nz-result-title><h1 class="page-title">{{ t('errors.notFound') }}</h1></div>
      <div nz-result-subtitle>{{ t('errors.notFoundHelp') }}</div>
      <div nz-result-extra><a nz-button nzType="primary" [routerLink]="home" data-testid="result-home">{{ t('errors.home') }}</a></div>
    </nz-result>
  `,
})
export class NotFoundPage extends Localized {
  protected readonly home = homeUrl();
}

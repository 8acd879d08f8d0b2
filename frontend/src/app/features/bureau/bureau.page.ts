import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { SessionStore } from '../../core/auth/session.store';
import { I18n } from '../../core/i18n/i18n.service';
import { OrganisationsApi } from '../../shared/api/organisations-api.service';
import { OrganisationCardComponent } from '../../shared/components/organisation-card.component';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { ownOrganisation } from '../../shared/util/own-organisation';
import { remote } from '../../shared/util/remote';

@Component({
  selector: 'app-bureau-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, OrganisationCardComponent],
  template: `
    <h1 class="page-title" data-testid="landing-bureau_verifier">{{ t('bureau.title') }}</h1>
    <div class="stack">
      <section class="banner banner--info banner--large" data-testid="verification-notice" aria-labelledby="notice-heading">
        <h2 id="notice-heading">{{ t('bureau.noticeTitle') }}</h2>
        <p>{{ t('bureau.noticeBody') }}</p>
      </section>
      <section class="card" aria-labelledby="bureau-heading">
        <h2 id="bureau-heading">{{ t('bureau.details') }}</h2>
        <app-remote-view [state]="organisations.state()" [empty]="!bureau()" [emptyText]="t('bureau.notFound')" (retry)="organisations.reload()">
          @if (bureau(); as bureau) {
            <app-organisation-card [organisation]="bureau" />
          }
        </app-remote-view>
      </section>
    </div>
  `,
})
export class BureauPage {
  private readonly organisationsApi = inject(OrganisationsApi);
  private readonly session = inject(SessionStore);
  protected readonly t = inject(I18n).t;

  protected readonly organisations = remote(() => this.organisationsApi.list());
  protected readonly bureau = computed(() => ownOrganisation(this.organisations.value(), this.session.user()));
}

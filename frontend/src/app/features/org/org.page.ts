import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { SessionStore } from '../../core/auth/session.store';
import { Localized } from '../../core/i18n/localized';
import { OrganisationsApi } from '../../shared/api/organisations-api.service';
import { UsersApi } from '../../shared/api/users-api.service';
import { OrganisationCardComponent } from '../../shared/components/organisation-card.component';
import { StaffAccountsComponent } from '../admin/staff-accounts.component';
import { PartnerSchoolsComponent } from './partner-schools.component';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { UserTableComponent } from '../../shared/components/user-table.component';
import { ownOrganisation } from '../../shared/util/own-organisation';
import { remote } from '../../shared/util/remote';

@Component({
  selector: 'app-org-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, UserTableComponent, OrganisationCardComponent, RouterLink, StaffAccountsComponent, PartnerSchoolsComponent],
  template: `
    <h1 class="page-title" data-testid="landing-org_admin">{{ t('org.title') }}</h1>
    <section class="card section-gap"><a routerLink="/org/exam-sessions" data-testid="link-exam-sessions">{{ t('sessions.link') }}</a>
      <p class="muted small">{{ t('sessions.linkHelp') }}</p></section>
    <section class="card section-gap"><a routerLink="/org/certificates" data-testid="link-certificates">{{ t('certs.link') }}</a>
      <p class="muted small">{{ t('certs.linkHelp') }}</p></section>
    <section class="card section-gap"><a routerLink="/prompt-tasks" data-testid="link-prompt-tasks">{{ t('prompts.link') }}</a>
      <p class="muted small">{{ t('prompts.linkHelp') }}</p>
      <a routerLink="/reviews" data-testid="link-reviews">{{ t('reviews.link') }}</a>
      <p class="muted small">{{ t('reviews.linkHelp') }}</p></section>
    @if (enterprise(); as enterprise) {
      <section class="card section-gap" aria-labelledby="partners-heading">
        <h2 id="partners-heading">{{ t('partners.title') }}</h2>
        <p class="muted small">{{ t('partners.help') }}</p>
        <app-partner-schools [issuerId]="enterprise.id" />
      </section>
    }
    <section class="card section-gap" aria-labelledby="staff-heading">
      <h2 id="staff-heading">{{ t('staff.title') }}</h2>
      <p class="muted small">{{ t('staff.help') }}</p>
      <app-staff-accounts />
    </section>
    <div class="stack">
      <section class="card" aria-labelledby="enterprise-heading">
        <h2 id="enterprise-heading">{{ t('org.enterprise') }}</h2>
        <app-remote-view [source]="organisations" [empty]="!enterprise()" [emptyText]="t('org.notFound')">
          @if (enterprise(); as enterprise) {
            <app-organisation-card [organisation]="enterprise" />
          }
        </app-remote-view>
      </section>
      <section class="card" aria-labelledby="users-heading">
        <div class="card__head">
          <h2 id="users-heading">{{ t('org.users') }}</h2>
          @if (users.value(); as page) {
            <span class="muted small">{{ t('common.total', { count: page.total }) }}</span>
          }
        </div>
        <app-remote-view [source]="users" [empty]="users.value()?.items?.length === 0" [emptyText]="t('org.usersEmpty')">
          @if (users.value(); as page) {
            <app-user-table [users]="page.items" [showRole]="true" [caption]="t('org.users')" />
          }
        </app-remote-view>
      </section>
    </div>
  `,
})
export class OrgPage extends Localized {
  private readonly organisationsApi = inject(OrganisationsApi);
  private readonly usersApi = inject(UsersApi);
  private readonly session = inject(SessionStore);

  protected readonly organisations = remote(() => this.organisationsApi.list());
  protected readonly users = remote(() => this.usersApi.list());
  protected readonly enterprise = computed(() => ownOrganisation(this.organisations.value(), this.session.user()));
}

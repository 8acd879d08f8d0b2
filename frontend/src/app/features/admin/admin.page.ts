import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { type AuditEventView, type ComponentStatus, OrganisationKind, type OrganisationView } from '@aitrainer/contracts';
import { RouterLink } from '@angular/router';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import { OrganisationsApi } from '../../shared/api/organisations-api.service';
import { DataTableComponent, type TableColumn, by, filterBy } from '../../shared/components/data-table.component';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { AdminApi } from './admin-api.service';
import { OrganisationFormComponent } from './organisation-form.component';
import { OrganisationAdminFormComponent } from './organisation-admin-form.component';
import { StaffAccountsComponent } from './staff-accounts.component';

@Component({
  selector: 'app-admin-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, DataTableComponent, NzTagModule, OrganisationFormComponent, OrganisationAdminFormComponent, StaffAccountsComponent, RouterLink],
  template: `
    <h1 class="page-title" data-testid="landing-platform_admin">{{ t('admin.title') }}</h1>
    <section class="card section-gap"><a routerLink="/admin/queues" data-testid="link-queues">{{ t('queues.link') }}</a>
      <p class="muted small">{{ t('queues.linkHelp') }}</p>
      <a routerLink="/prompt-tasks" data-testid="link-prompt-tasks">{{ t('prompts.link') }}</a> · <a routerLink="/reviews" data-testid="link-reviews">{{ t('reviews.link') }}</a></section>

    <div class="grid grid--sidebar">
      <section class="card" aria-labelledby="health-heading">
        <div class="card__head">
          <h2 id="health-heading">{{ t('admin.health') }}</h2>
          <button type="button" class="btn btn--small" (click)="health.reload()">{{ t('common.refresh') }}</button>
        </div>
        <app-remote-view [source]="health">
          @if (health.value(); as health) {
            <dl class="facts" data-testid="health">
              <div>
                <dt>{{ t('admin.health.overall') }}</dt>
                <dd><span class="status" [class.status--ok]="health.status === 'ok'" [class.status--bad]="health.status !== 'ok'">{{ t(health.status === 'ok' ? 'admin.health.ok' : 'admin.health.degraded') }}</span></dd>
              </div>
              <div>
                <dt>{{ t('admin.health.database') }}</dt>
                <dd><span class="status" [class]="statusClass(health.database.status)">{{ componentStatus(health.database.status) }}</span> <span class="muted small status-note mono">{{ health.database.driver }}</span></dd>
              </div>
              <div>
                <dt>{{ t('admin.health.redis') }}</dt>
                <dd><span class="status" [class]="statusClass(health.redis.status)">{{ componentStatus(health.redis.status) }}</span></dd>
              </div>
              <div><dt>{{ t('admin.health.queue') }}</dt><dd>{{ t(health.queue.driver === 'bull' ? 'admin.health.bull' : 'admin.health.in-process') }}</dd></div>
              <div><dt>{{ t('admin.health.version') }}</dt><dd class="mono">{{ health.version }}</dd></div>
            </dl>
          }
        </app-remote-view>
      </section>

      <section class="card" aria-labelledby="new-org-heading">
        <h2 id="new-org-heading">{{ t('admin.createOrganisation') }}</h2>
        <app-organisation-form (created)="organisations.reload(); audit.reload()" />
      </section>
    </div>

    <section class="card section-gap" aria-labelledby="orgs-heading">
      <div class="card__head">
        <h2 id="orgs-heading">{{ t('admin.organisations') }}</h2>
        @if (organisations.value(); as list) {
          <span class="muted small">{{ t('common.total', { count: list.length }) }}</span>
        }
      </div>
      <app-data-table [source]="organisations" [columns]="organisationColumns()" [trackBy]="trackById"
                      [emptyText]="t('admin.organisationsEmpty')" testId="organisation-table">
        <ng-template let-organisation>
          <td>{{ organisation.name }}</td>
          <td><nz-tag>{{ i18n.orgKindLabel(organisation.kind) }}</nz-tag></td>
          <td [class.mono]="organisation.creditCode">{{ organisation.creditCode ?? t('common.none') }}</td>
          <td>{{ i18n.dateTime(organisation.createdAt) }}</td>
        </ng-template>
      </app-data-table>
    </section>

    <section class="card section-gap" aria-labelledby="org-admin-heading">
      <h2 id="org-admin-heading">{{ t('orgAdmin.title') }}</h2>
      <p class="muted small">{{ t('orgAdmin.help') }}</p>
      <app-organisation-admin-form [organisations]="organisations.value() ?? []" (done)="audit.reload(); staff.reload()" />
    </section>

    <section class="card section-gap" aria-labelledby="staff-heading">
      <h2 id="staff-heading">{{ t('staff.title') }}</h2>
      <p class="muted small">{{ t('staff.help') }}</p>
      <app-staff-accounts #staff />
    </section>

    <section class="card section-gap" aria-labelledby="audit-heading">
      <div class="card__head">
        <h2 id="audit-heading">{{ t('admin.audit') }}</h2>
        @if (audit.value(); as page) {
          <span class="muted small">{{ t('common.showingLatest', { shown: page.items.length, count: page.total }) }}</span>
        }
      </div>
      <app-data-table [state]="audit.state()" [rows]="audit.value()?.items" [columns]="auditColumns()" [trackBy]="trackById"
                      [emptyText]="t('admin.auditEmpty')" testId="audit-table" (retry)="audit.reload()">
        <ng-template let-event>
          <td>{{ i18n.dateTime(event.createdAt) }}</td>
          <td [attr.data-testid]="'audit-sentence-' + event.id">{{ sentence(event) }}</td>
          <td>@if (event.actorUsername) { <span class="mono">{{ event.actorUsername }}</span> } @else { {{ t('common.none') }} }</td>
          <td>{{ subjectName(event.subjectType) }}{{ event.subjectId ? ' #' + event.subjectId : '' }}</td>
          <td [class.mono]="event.ip">{{ event.ip ?? t('common.none') }}</td>
        </ng-template>
      </app-data-table>
    </section>
  `,
})
export class AdminPage extends Localized {
  private readonly adminApi = inject(AdminApi);
  private readonly organisationsApi = inject(OrganisationsApi);

  protected readonly health = remote(() => this.adminApi.health());
  protected readonly organisations = remote(() => this.organisationsApi.list());
  protected readonly audit = remote(() => this.adminApi.auditEvents(1));
  protected readonly trackById = (row: { id: number }) => row.id;
  /** What an audit entry is about, in the reader's language (the raw type when the catalogue has none). */
  protected readonly subjectName = (type: string) => (this.i18n.has(`audit.subject.${type}`) ? this.i18n.t(`audit.subject.${type}` as 'audit.subject.user') : type);
  /** "王老师发布了课程" — who did what, in the reader's language. */
  protected sentence(event: AuditEventView): string {
    const key = `audit.action.${event.action}`;
    // The entry's detail words the action where the catalogue asks for it (e.g. the partner school's name).
    const params = Object.fromEntries(Object.entries(event.detail ?? {}).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
    const action = this.i18n.has(key) ? this.i18n.t(key as 'audit.action.other', params) : this.t('audit.action.other', { action: event.action });
    return this.t('audit.sentence', { actor: event.actorName ?? this.t('audit.system'), action });
  }
  protected readonly organisationColumns = computed((): TableColumn<OrganisationView>[] => [
    { label: this.t('field.name'), sort: by.text((o) => o.name) },
    { label: this.t('field.kind'), ...filterBy((o) => o.kind, Object.values(OrganisationKind).map((kind) => [kind, this.i18n.orgKindLabel(kind)] as const)) },
    { label: this.t('field.creditCode') },
    { label: this.t('field.createdAt'), sort: by.time((o) => o.createdAt) },
  ]);
  protected readonly auditColumns = computed((): TableColumn<AuditEventView>[] => [
    { label: this.t('admin.audit.time'), sort: by.time((e) => e.createdAt) },
    { label: this.t('admin.audit.action'), sort: by.text((e) => e.action) },
    { label: this.t('admin.audit.actor') },
    { label: this.t('admin.audit.subject') },
    { label: this.t('admin.audit.ip') },
  ]);

  protected componentStatus(status: ComponentStatus): string {
    return this.t(`admin.health.${status}`);
  }

  protected statusClass(status: ComponentStatus): string {
    return status === 'up' ? 'status status--ok' : status === 'down' ? 'status status--bad' : 'status status--neutral';
  }
}

import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { pickedDay } from '../../core/i18n/zoned-time';
import { SessionStore } from '../../core/auth/session.store';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { OrganisationsApi } from '../../shared/api/organisations-api.service';
import { OrganisationCardComponent } from '../../shared/components/organisation-card.component';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { ownOrganisation } from '../../shared/util/own-organisation';
import { remote } from '../../shared/util/remote';
import { saveBlob } from '../../shared/util/save-blob';
import { CertificatesApi } from '../certificates/certificates-api.service';
import { VerifyFormComponent } from '../verify/verify-form.component';
import { BureauApiKeysComponent } from './api-keys.component';
import { BulkVerifyComponent } from './bulk-verify.component';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzButtonModule } from 'ng-zorro-antd/button';

/** The labour bureau's verifier: verify one, API keys, bulk verification, roster export. */
@Component({
  selector: 'app-bureau-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzDatePickerModule, RemoteViewComponent, OrganisationCardComponent, VerifyFormComponent, BureauApiKeysComponent, BulkVerifyComponent, NzFormModule, NzButtonModule],
  template: `
    <h1 class="page-title" data-testid="landing-bureau_verifier">{{ t('bureau.title') }}</h1>
    <div class="stack">
      <section class="card" aria-labelledby="verify-one-heading" data-testid="bureau-verify-one">
        <h2 id="verify-one-heading">{{ t('bureau.verifyOne') }}</h2>
        <app-verify-form />
      </section>
      <section class="card" aria-labelledby="bulk-heading">
        <h2 id="bulk-heading">{{ t('bureau.bulk.title') }}</h2>
        <p class="muted small">{{ t('bureau.bulk.help') }}</p>
        <app-bulk-verify [suggestedKey]="newKey()" />
      </section>
      <section class="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading">{{ t('bureau.keys.title') }}</h2>
        <p class="muted small">{{ t('bureau.keys.help') }}</p>
        <app-bureau-api-keys (keyCreated)="newKey.set($event)" />
      </section>
      <section class="card" aria-labelledby="roster-heading">
        <h2 id="roster-heading">{{ t('bureau.roster.title') }}</h2>
        <p class="muted small">{{ t('bureau.roster.help') }}</p>
        <form nz-form nzLayout="inline" class="inline-form" (ngSubmit)="roster()" data-testid="roster-form">
          @for (end of ends; track end.name) {
            <nz-form-item>
              <nz-form-label [nzFor]="'roster-' + end.name">{{ t(end.label) }}</nz-form-label>
              <nz-form-control>
                <nz-date-picker [nzId]="'roster-' + end.name" [name]="end.name" [ngModel]="end.day()" (ngModelChange)="end.day.set($event)" [nzPlaceHolder]="t('time.pickDay')" [attr.data-testid]="'roster-' + end.name" />
              </nz-form-control>
            </nz-form-item>
          }
          <button nz-button type="submit" [disabled]="exporting()" data-testid="roster-export">{{ exporting() ? t('bureau.roster.exporting') : t('bureau.roster.export') }}</button>
        </form>
      </section>
      <section class="card" aria-labelledby="bureau-heading">
        <h2 id="bureau-heading">{{ t('bureau.details') }}</h2>
        <app-remote-view [source]="organisations" [empty]="!bureau()" [emptyText]="t('bureau.notFound')">
          @if (bureau(); as bureau) {
            <app-organisation-card [organisation]="bureau" />
          }
        </app-remote-view>
      </section>
    </div>
  `,
})
export class BureauPage extends Localized {
  private readonly organisationsApi = inject(OrganisationsApi);
  private readonly certificatesApi = inject(CertificatesApi);
  private readonly notifications = inject(NotificationService);
  private readonly session = inject(SessionStore);

  protected readonly organisations = remote(() => this.organisationsApi.list());
  protected readonly bureau = computed(() => ownOrganisation(this.organisations.value(), this.session.user()));
  protected readonly newKey = signal<string | null>(null);
  /** The period's first and last day, as picked (calendar days: no time zone to convert). */
  protected readonly ends = [
    { name: 'from', label: 'bureau.roster.from', day: signal<Date | null>(null) },
    { name: 'to', label: 'bureau.roster.to', day: signal<Date | null>(null) },
  ] as const;
  protected readonly exporting = signal(false);

  protected roster(): void {
    this.exporting.set(true);
    const [from, to] = this.ends.map((end) => pickedDay(end.day()) ?? undefined);
    this.certificatesApi.roster({ from, to }, this.i18n.lang()).subscribe({
      next: (blob) => {
        this.exporting.set(false);
        saveBlob(blob, 'certificate-roster.xlsx');
      },
      error: (e: unknown) => {
        this.exporting.set(false);
        this.notifications.error(e);
      },
    });
  }
}

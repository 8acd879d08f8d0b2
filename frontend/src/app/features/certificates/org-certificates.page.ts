import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { BatchIssuanceComponent } from './batch-issuance.component';
import { CertificateDetailComponent } from './certificate-detail.component';
import { CertificatesApi } from './certificates-api.service';
import { IssuerSettingsFormComponent } from './issuer-settings-form.component';
import { IssuedCertificatesComponent } from './issued-certificates.component';
import { OrganisationTimeZoneComponent } from './organisation-time-zone.component';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

/** /org/certificates — the issuing enterprise: settings, signing key, batch issuance, one certificate. */
@Component({
  selector: 'app-org-certificates-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, RouterLink, IssuerSettingsFormComponent, BatchIssuanceComponent, CertificateDetailComponent, IssuedCertificatesComponent, OrganisationTimeZoneComponent, NzFormModule, NzInputModule, NzButtonModule],
  template: `
    <p class="small"><a routerLink="/org">← {{ t('nav.home') }}</a></p>
    <h1 class="page-title" data-testid="org-certificates-title">{{ t('certs.title') }}</h1>
    <div class="stack">
      <section class="card" aria-labelledby="cert-list-heading">
        <h2 id="cert-list-heading">{{ t('certs.list.title') }}</h2>
        <p class="muted small">{{ t('certs.list.help') }}</p>
        <app-issued-certificates #issued (opened)="open($event)" />
      </section>
      <section class="card" aria-labelledby="cert-lookup-heading">
        <h2 id="cert-lookup-heading">{{ t('certs.detail.title') }}</h2>
        <form nz-form nzLayout="inline" class="inline-form" (ngSubmit)="lookup()">
          <app-form-field [label]="t('certs.detail.id')" fieldId="cert-id" [extra]="t('certs.detail.idHelp')">
            <input nz-input id="cert-id" name="certId" type="text" autocomplete="off" [(ngModel)]="idText" data-testid="cert-id" />
          </app-form-field>
          <button nz-button type="submit" data-testid="cert-open">{{ t('certs.detail.open') }}</button>
        </form>
        @if (certificateId(); as id) {
          <app-certificate-detail [certificateId]="id" (changed)="issued.reload()" />
        }
      </section>
      <section class="card" aria-labelledby="batch-heading">
        <h2 id="batch-heading">{{ t('certs.batch.title') }}</h2>
        <p class="muted small">{{ t('certs.batch.help') }}</p>
        <app-batch-issuance />
      </section>
      <section class="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading">{{ t('certs.settings.title') }}</h2>
        <app-issuer-settings-form />
      </section>
      <section class="card" aria-labelledby="time-zone-heading">
        <h2 id="time-zone-heading">{{ t('org.timeZoneTitle') }}</h2>
        <app-organisation-time-zone />
      </section>
      <section class="card" aria-labelledby="key-heading">
        <h2 id="key-heading">{{ t('certs.key.title') }}</h2>
        <p class="muted small">{{ t('certs.key.help') }}</p>
        <button type="button" class="btn" (click)="rotate()" [disabled]="rotating()" data-testid="rotate-key">{{ t('certs.key.rotate') }}</button>
        @if (kid(); as kid) {
          <p role="status" data-testid="rotated-kid">{{ t('certs.key.rotated', { kid }) }}</p>
        }
      </section>
    </div>
  `,
})
export class OrgCertificatesPage extends Localized {
  private readonly api = inject(CertificatesApi);
  private readonly notifications = inject(NotificationService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  /** A certificate number as printed (e.g. Y000133010001264000042), or the internal record id. */
  protected readonly idText = signal<string>('');
  protected readonly certificateId = signal<number | null>(null);
  protected readonly kid = signal<string | null>(null);
  protected readonly rotating = signal(false);

  constructor() {
    super();
    const id = Number(this.route.snapshot.queryParamMap.get('id'));
    if (Number.isInteger(id) && id > 0) {
      this.idText.set(String(id));
      this.certificateId.set(id);
    }
  }

  protected lookup(): void {
    const text = this.idText().trim();
    if (!text) return;
    if (/^\d{1,12}$/.test(text)) return this.open(Number(text));
    this.api.findByNumber(text).subscribe({
      next: (found) => {
        if (found.length) this.open(found[0].id);
        else this.notifications.info('certs.detail.noSuchNumber');
      },
      error: (error: unknown) => this.notifications.error(error),
    });
  }

  protected open(id: number): void {
    this.certificateId.set(id);
    void this.router.navigate([], { queryParams: { id }, replaceUrl: true });
  }

  protected rotate(): void {
    this.rotating.set(true);
    this.api.rotateKey().subscribe({
      next: (r) => {
        this.rotating.set(false);
        this.kid.set(r.kid);
      },
      error: (e: unknown) => {
        this.rotating.set(false);
        this.notifications.error(e);
      },
    });
  }
}

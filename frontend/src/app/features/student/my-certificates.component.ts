import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { saveBlob } from '../../shared/util/save-blob';
import { CertificatesApi, type CertificateView } from '../certificates/certificates-api.service';

/** The holder's certificates with their PDFs and a link to the public verification page for each. */
@Component({
  selector: 'app-my-certificates',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, RouterLink],
  template: `
    <app-remote-view [source]="certificates" [emptyText]="t('myCerts.empty')">
      <ul class="plain-list" data-testid="my-certificates">
        @for (c of certificates.value() ?? []; track c.id) {
          <li class="cert-row">
            <div>
              <strong>{{ kindText(c) }}</strong> · {{ levelText(c) }}
              <div class="small muted">{{ c.number }} · {{ i18n.date(c.issueDate) }} · {{ statusText(c) }}</div>
            </div>
            <span class="actions">
              <a class="btn btn--small" [routerLink]="['/verify']" [queryParams]="{ number: c.number }">{{ t('myCerts.verify') }}</a>
              <button type="button" class="btn btn--small btn--primary" [disabled]="downloading() === c.id" (click)="download(c)" [attr.data-testid]="'my-cert-pdf-' + c.kind">{{ t('certs.detail.pdf') }}</button>
              <button type="button" class="btn btn--small" [disabled]="downloading() === c.id" (click)="wallet(c)" [title]="t('myCerts.walletHelp')" [attr.data-testid]="'my-cert-wallet-' + c.kind">{{ t('myCerts.wallet') }}</button>
            </span>
          </li>
        }
      </ul>
    </app-remote-view>
  `,
  styles: `
    .plain-list { list-style: none; margin: 0; padding: 0; }
    .cert-row { display: flex; flex-wrap: wrap; gap: 0.5rem; justify-content: space-between; align-items: center; padding: 0.5rem 0; border-bottom: 1px solid var(--border, #e5e7eb); }
    .actions { display: flex; gap: 0.5rem; }
  `,
})
export class MyCertificatesComponent extends Localized {
  private readonly api = inject(CertificatesApi);
  private readonly notifications = inject(NotificationService);
  protected readonly certificates = remote(() => this.api.mine());
  protected readonly downloading = signal<number | null>(null);

  protected kindText(c: CertificateView): string {
    return this.t(`cert.kind.${c.kind}`);
  }

  protected levelText(c: CertificateView): string {
    return this.t(`certs.level.${c.level}`);
  }

  protected statusText(c: CertificateView): string {
    if (c.replacedById !== null) return this.t('myCerts.replaced');
    return this.t(c.status === 'valid' ? 'verify.valid' : c.status === 'revoked' ? 'verify.revoked' : 'verify.suspended');
  }

  /** The OB 3.0 credential with its embedded proof, for a wallet or the verification page. */
  protected wallet(c: CertificateView): void {
    this.downloading.set(c.id);
    this.api.walletJson(c.id).subscribe({
      next: (blob) => {
        this.downloading.set(null);
        saveBlob(blob, `${c.number}.json`);
      },
      error: (error: unknown) => {
        this.downloading.set(null);
        this.notifications.error(error);
      },
    });
  }

  protected download(c: CertificateView): void {
    this.downloading.set(c.id);
    this.api.pdf(c.id).subscribe({
      next: (blob) => {
        this.downloading.set(null);
        saveBlob(blob, `${c.number}.pdf`);
      },
      error: (error: unknown) => {
        this.downloading.set(null);
        this.notifications.error(error);
      },
    });
  }
}

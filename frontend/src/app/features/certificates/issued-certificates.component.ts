import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { CertificateStatusName } from '@aitrainer/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { CertificatesApi } from './certificates-api.service';

/**
 * The issuer's certificates, newest first (the latest 200), narrowed by a holder's name or a number; each opens in
 * the detail view, where it can be revoked, suspended or re-issued.
 */
@Component({
  selector: 'app-issued-certificates',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RemoteViewComponent],
  template: `
    <form class="inline-form" role="search" (ngSubmit)="search()">
      <label class="field">
        <span class="field__label">{{ t('certs.list.search') }}</span>
        <input name="certSearch" type="search" autocomplete="off" [(ngModel)]="query" data-testid="cert-search" />
      </label>
      <button type="submit" class="btn" data-testid="cert-search-submit">{{ t('bank.search') }}</button>
    </form>
    <app-remote-view [state]="certificates.state()" (retry)="certificates.reload()">
      @if (certificates.value(); as rows) {
        @if (rows.length) {
          <div class="table-wrap">
            <table class="table" data-testid="cert-list">
              <caption class="visually-hidden">{{ t('certs.list.title') }}</caption>
              <thead><tr><th>{{ t('certs.list.number') }}</th><th>{{ t('verify.kind') }}</th><th>{{ t('certs.list.holder') }}</th><th>{{ t('certs.list.level') }}</th><th>{{ t('certs.list.issued') }}</th><th>{{ t('certs.detail.status') }}</th><th><span class="visually-hidden">{{ t('certs.detail.open') }}</span></th></tr></thead>
              <tbody>
                @for (c of rows; track c.id) {
                  <tr [attr.data-testid]="'cert-row-' + c.id">
                    <td class="mono">{{ c.number }}</td>
                    <td>{{ t(c.kind === 'skill_level' ? 'cert.kind.skill_level' : 'cert.kind.enterprise') }}</td>
                    <td>{{ c.holderName }}</td>
                    <td>{{ c.level }}</td>
                    <td>{{ c.issueDate }}</td>
                    <td><span class="status" [class.status--ok]="c.status === 'valid'" [class.status--bad]="c.status !== 'valid'">{{ t(statusKey(c.status)) }}</span></td>
                    <td><button type="button" class="btn btn--small" (click)="opened.emit(c.id)" [attr.aria-label]="t('certs.list.openOne', { number: c.number })" [attr.data-testid]="'cert-open-' + c.id">{{ t('certs.detail.open') }}</button></td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        } @else {
          <p class="muted" data-testid="cert-list-empty">{{ searched() ? t('certs.list.noMatch') : t('certs.list.empty') }}</p>
        }
      }
    </app-remote-view>
  `,
})
export class IssuedCertificatesComponent {
  private readonly api = inject(CertificatesApi);
  protected readonly t = inject(I18n).t;
  readonly opened = output<number>();

  protected query = '';
  private readonly filter = signal<{ number?: string; holderName?: string }>({});
  protected readonly searched = signal(false);
  protected readonly certificates = remote(() => this.api.issued(this.filter()));

  protected search(): void {
    const q = this.query.trim();
    // A certificate number is letters and digits with no spaces (S0002…, Y0001…, AIT-…); anything else is a name.
    this.filter.set(!q ? {} : /^[A-Za-z0-9-]{10,}$/.test(q) ? { number: q } : { holderName: q });
    this.searched.set(!!q);
    this.certificates.reload();
  }

  /** After a status change elsewhere on the page. */
  reload(): void {
    this.certificates.reload();
  }

  protected statusKey(status: CertificateStatusName): 'verify.valid' | 'verify.revoked' | 'verify.suspended' {
    return status === 'valid' ? 'verify.valid' : status === 'revoked' ? 'verify.revoked' : 'verify.suspended';
  }
}

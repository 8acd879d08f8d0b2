import { ChangeDetectionStrategy, Component, computed, inject, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { CertificateStatusName } from '@aitrainer/contracts';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import { DataTableComponent, type TableColumn, by, filterBy } from '../../shared/components/data-table.component';
import { remote } from '../../shared/util/remote';
import { CertificatesApi, type CertificateView } from './certificates-api.service';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

/**
 * The issuer's certificates, newest first (the latest 200), narrowed by a holder's name or a number; each opens in
 * the detail view, where it can be revoked, suspended or re-issued.
 */
@Component({
  selector: 'app-issued-certificates',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, DataTableComponent, NzTagModule, NzFormModule, NzInputModule, NzButtonModule],
  template: `
    <form nz-form nzLayout="inline" class="inline-form" role="search" (ngSubmit)="search()">
      <app-form-field [label]="t('certs.list.search')" fieldId="cert-search">
        <input nz-input id="cert-search" name="certSearch" type="search" autocomplete="off" [(ngModel)]="query" data-testid="cert-search" />
      </app-form-field>
      <button nz-button type="submit" data-testid="cert-search-submit">{{ t('bank.search') }}</button>
    </form>
    <app-data-table [source]="certificates" [columns]="columns()" [trackBy]="trackById"
                    [emptyText]="searched() ? t('certs.list.noMatch') : t('certs.list.empty')" emptyTestId="cert-list-empty"
                    testId="cert-list" [rowTestId]="rowTestId">
      <ng-template let-c>
        <td class="mono">{{ c.number }}</td>
        <td>{{ t(c.kind === 'skill_level' ? 'cert.kind.skill_level' : 'cert.kind.enterprise') }}</td>
        <td>{{ c.holderName }}</td>
        <td>{{ c.level }}</td>
        <td>{{ i18n.date(c.issueDate) }}</td>
        <td><nz-tag [nzColor]="c.status === 'valid' ? 'success' : 'error'">{{ t(statusKey(c.status)) }}</nz-tag></td>
        <td><button type="button" class="btn btn--small" (click)="opened.emit(c.id)" [attr.aria-label]="t('certs.list.openOne', { number: c.number })" [attr.data-testid]="'cert-open-' + c.id">{{ t('certs.detail.open') }}</button></td>
      </ng-template>
    </app-data-table>
  `,
})
export class IssuedCertificatesComponent extends Localized {
  private readonly api = inject(CertificatesApi);
  readonly opened = output<number>();

  protected query = '';
  private readonly filter = signal<{ number?: string; holderName?: string }>({});
  protected readonly searched = signal(false);
  protected readonly certificates = remote(() => this.api.issued(this.filter()));
  protected readonly trackById = (c: CertificateView) => c.id;
  protected readonly rowTestId = (c: CertificateView) => `cert-row-${c.id}`;
  protected readonly columns = computed((): TableColumn<CertificateView>[] => [
    { label: this.t('certs.list.number'), sort: by.text((c) => c.number) },
    { label: this.t('verify.kind'), ...filterBy((c) => c.kind, [['skill_level', this.t('cert.kind.skill_level')], ['enterprise', this.t('cert.kind.enterprise')]]) },
    { label: this.t('certs.list.holder'), sort: by.text((c) => c.holderName) },
    { label: this.t('certs.list.level'), sort: by.number((c) => c.level) },
    { label: this.t('certs.list.issued'), sort: by.text((c) => c.issueDate) },
    { label: this.t('certs.detail.status'), ...filterBy((c) => c.status, (['valid', 'suspended', 'revoked'] as const).map((s) => [s, this.t(this.statusKey(s))] as const)) },
    { label: this.t('certs.detail.open'), hiddenLabel: true },
  ]);

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

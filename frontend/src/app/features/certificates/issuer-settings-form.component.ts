import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { NotificationService } from '../../core/notifications/notification.service';
import { problemMessage } from '../../core/notifications/problem-text';
import { serverFieldErrors } from '../../shared/util/server-field-errors';
import { CertificatesApi, type IssuerSettingsView } from './certificates-api.service';

/** One text field of the form, drawn by one loop. */
interface TextField {
  name: 'evaluationBodyCode' | 'provinceCode' | 'siteSerial' | 'enterprisePrefix' | 'evaluationBodyName' | 'querySites' | 'verificationBaseUrl';
  label: MessageKey;
  help?: MessageKey;
  wide?: true;
  maxlength?: number;
  inputmode?: 'numeric' | 'url';
  autocapitalize?: 'characters';
  type?: 'url';
  rows?: number;
}

const TEXT_FIELDS: readonly TextField[] = [
  { name: 'evaluationBodyCode', label: 'certs.settings.evaluationBodyCode', help: 'certs.settings.evaluationBodyCodeHelp', inputmode: 'numeric', maxlength: 4 },
  { name: 'provinceCode', label: 'certs.settings.provinceCode', inputmode: 'numeric', maxlength: 2 },
  { name: 'siteSerial', label: 'certs.settings.siteSerial', inputmode: 'numeric', maxlength: 6 },
  { name: 'enterprisePrefix', label: 'certs.settings.enterprisePrefix', help: 'certs.settings.enterprisePrefixHelp', maxlength: 8, autocapitalize: 'characters' },
  { name: 'evaluationBodyName', label: 'certs.settings.evaluationBodyName', maxlength: 200 },
  { name: 'querySites', label: 'certs.settings.querySites', help: 'certs.settings.querySitesHelp', wide: true, rows: 3 },
  { name: 'verificationBaseUrl', label: 'certs.settings.verificationBaseUrl', wide: true, type: 'url', inputmode: 'url' },
];

/** The issuer's number codes, enterprise prefix and query sites; the server's 400 field problems beside the fields. */
@Component({
  selector: 'app-issuer-settings-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzFormModule, NzInputModule, NzSelectModule],
  styles: `nz-form-item { margin-bottom: 0; }`,
  template: `
    @if (loadError(); as message) {
      <p class="banner banner--error" role="alert">{{ message }}</p>
    }
    <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="save()" novalidate class="form-grid" data-testid="issuer-settings-form">
      <nz-form-item>
        <nz-form-label nzFor="settings-kind">{{ t('certs.settings.kind') }}</nz-form-label>
        <nz-form-control [nzValidateStatus]="errors()['kind'] ? 'error' : ''" [nzErrorTip]="errors()['kind']">
          <nz-select nzId="settings-kind" formControlName="kind" data-testid="settings-kind">
            <nz-option nzValue="Y" [nzLabel]="t('certs.settings.kindY')" />
            <nz-option nzValue="S" [nzLabel]="t('certs.settings.kindS')" />
          </nz-select>
        </nz-form-control>
      </nz-form-item>
      @for (f of textFields; track f.name) {
        <nz-form-item [class.form-grid__wide]="f.wide">
          <nz-form-label [nzFor]="'settings-' + f.name">{{ t(f.label) }}</nz-form-label>
          <nz-form-control [nzValidateStatus]="errors()[f.name] ? 'error' : ''" [nzErrorTip]="errors()[f.name]" [nzExtra]="f.help ? t(f.help) : undefined">
            @if (f.rows) {
              <textarea nz-input [id]="'settings-' + f.name" [formControlName]="f.name" [rows]="f.rows" [attr.data-testid]="'settings-' + f.name"></textarea>
            } @else {
              <input nz-input [id]="'settings-' + f.name" [formControlName]="f.name" [type]="f.type ?? 'text'" [attr.inputmode]="f.inputmode" [attr.maxlength]="f.maxlength" [attr.autocapitalize]="f.autocapitalize" [attr.data-testid]="'settings-' + f.name" />
            }
          </nz-form-control>
        </nz-form-item>
      }
      <div class="form-grid__wide">
        <button nz-button nzType="primary" type="submit" [nzLoading]="pending()" [disabled]="pending()" data-testid="settings-save">{{ pending() ? t('common.saving') : t('certs.settings.save') }}</button>
      </div>
    </form>
  `,
})
export class IssuerSettingsFormComponent extends Localized {
  private readonly api = inject(CertificatesApi);
  private readonly notifications = inject(NotificationService);

  protected readonly textFields = TEXT_FIELDS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    kind: 'Y' as 'Y' | 'S',
    evaluationBodyCode: '',
    provinceCode: '',
    siteSerial: '',
    enterprisePrefix: '',
    evaluationBodyName: '',
    querySites: '',
    verificationBaseUrl: '',
  });
  private readonly server = serverFieldErrors(this.form);
  protected readonly errors = this.server.errors;
  protected readonly pending = signal(false);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    super();
    this.api.settings().subscribe({
      next: (s) => s && this.fill(s),
      error: (e: unknown) => this.loadError.set(problemMessage(toApiProblem(e), this.i18n)),
    });
  }

  private fill(s: IssuerSettingsView): void {
    this.form.setValue({
      kind: s.kind,
      evaluationBodyCode: s.evaluationBodyCode,
      provinceCode: s.provinceCode,
      siteSerial: s.siteSerial,
      enterprisePrefix: s.enterprisePrefix,
      evaluationBodyName: s.evaluationBodyName ?? '',
      querySites: (s.querySites ?? []).join('\n'),
      verificationBaseUrl: s.verificationBaseUrl ?? '',
    });
  }

  protected save(): void {
    if (this.pending()) return;
    const v = this.form.getRawValue();
    this.pending.set(true);
    this.api
      .saveSettings({
        kind: v.kind,
        evaluationBodyCode: v.evaluationBodyCode.trim(),
        provinceCode: v.provinceCode.trim(),
        siteSerial: v.siteSerial.trim(),
        enterprisePrefix: v.enterprisePrefix.trim(),
        evaluationBodyName: v.evaluationBodyName.trim() || undefined,
        querySites: v.querySites.split('\n').map((s) => s.trim()).filter(Boolean),
        verificationBaseUrl: v.verificationBaseUrl.trim() || null,
      })
      .subscribe({
        next: (s) => {
          this.pending.set(false);
          this.server.set(null);
          this.fill(s);
          this.notifications.success('certs.settings.saved');
        },
        error: (e: unknown) => {
          this.pending.set(false);
          const problem = toApiProblem(e);
          this.server.set(problem);
          if (!problem.fields.length) this.notifications.error(e);
        },
      });
  }
}

import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { toApiProblem } from '../../core/http/api-problem';
import { I18n } from '../../core/i18n/i18n.service';
import { NotificationService } from '../../core/notifications/notification.service';
import { problemMessage } from '../../core/notifications/problem-text';
import { serverFieldErrors } from '../../shared/util/server-field-errors';
import { CertificatesApi, type IssuerSettingsView } from './certificates-api.service';

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
      <nz-form-item>
        <nz-form-label nzFor="settings-evaluationBodyCode">{{ t('certs.settings.evaluationBodyCode') }}</nz-form-label>
        <nz-form-control [nzValidateStatus]="errors()['evaluationBodyCode'] ? 'error' : ''" [nzErrorTip]="errors()['evaluationBodyCode']" [nzExtra]="t('certs.settings.evaluationBodyCodeHelp')">
          <input nz-input id="settings-evaluationBodyCode" formControlName="evaluationBodyCode" inputmode="numeric" maxlength="4" data-testid="settings-evaluationBodyCode" />
        </nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label nzFor="settings-provinceCode">{{ t('certs.settings.provinceCode') }}</nz-form-label>
        <nz-form-control [nzValidateStatus]="errors()['provinceCode'] ? 'error' : ''" [nzErrorTip]="errors()['provinceCode']">
          <input nz-input id="settings-provinceCode" formControlName="provinceCode" inputmode="numeric" maxlength="2" data-testid="settings-provinceCode" />
        </nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label nzFor="settings-siteSerial">{{ t('certs.settings.siteSerial') }}</nz-form-label>
        <nz-form-control [nzValidateStatus]="errors()['siteSerial'] ? 'error' : ''" [nzErrorTip]="errors()['siteSerial']">
          <input nz-input id="settings-siteSerial" formControlName="siteSerial" inputmode="numeric" maxlength="6" data-testid="settings-siteSerial" />
        </nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label nzFor="settings-enterprisePrefix">{{ t('certs.settings.enterprisePrefix') }}</nz-form-label>
        <nz-form-control [nzValidateStatus]="errors()['enterprisePrefix'] ? 'error' : ''" [nzErrorTip]="errors()['enterprisePrefix']" [nzExtra]="t('certs.settings.enterprisePrefixHelp')">
          <input nz-input id="settings-enterprisePrefix" formControlName="enterprisePrefix" maxlength="8" autocapitalize="characters" data-testid="settings-enterprisePrefix" />
        </nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label nzFor="settings-evaluationBodyName">{{ t('certs.settings.evaluationBodyName') }}</nz-form-label>
        <nz-form-control [nzValidateStatus]="errors()['evaluationBodyName'] ? 'error' : ''" [nzErrorTip]="errors()['evaluationBodyName']">
          <input nz-input id="settings-evaluationBodyName" formControlName="evaluationBodyName" maxlength="200" data-testid="settings-evaluationBodyName" />
        </nz-form-control>
      </nz-form-item>
      <nz-form-item class="form-grid__wide">
        <nz-form-label nzFor="settings-querySites">{{ t('certs.settings.querySites') }}</nz-form-label>
        <nz-form-control [nzValidateStatus]="errors()['querySites'] ? 'error' : ''" [nzErrorTip]="errors()['querySites']" [nzExtra]="t('certs.settings.querySitesHelp')">
          <textarea nz-input id="settings-querySites" formControlName="querySites" rows="3" data-testid="settings-querySites"></textarea>
        </nz-form-control>
      </nz-form-item>
      <nz-form-item class="form-grid__wide">
        <nz-form-label nzFor="settings-verificationBaseUrl">{{ t('certs.settings.verificationBaseUrl') }}</nz-form-label>
        <nz-form-control [nzValidateStatus]="errors()['verificationBaseUrl'] ? 'error' : ''" [nzErrorTip]="errors()['verificationBaseUrl']">
          <input nz-input id="settings-verificationBaseUrl" formControlName="verificationBaseUrl" type="url" inputmode="url" data-testid="settings-verificationBaseUrl" />
        </nz-form-control>
      </nz-form-item>
      <div class="form-grid__wide">
        <button nz-button nzType="primary" type="submit" [nzLoading]="pending()" [disabled]="pending()" data-testid="settings-save">{{ pending() ? t('common.saving') : t('certs.settings.save') }}</button>
      </div>
    </form>
  `,
})
export class IssuerSettingsFormComponent {
  private readonly api = inject(CertificatesApi);
  private readonly notifications = inject(NotificationService);
  private readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;

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

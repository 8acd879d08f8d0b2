import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { toApiProblem } from '../../core/http/api-problem';
import { I18n } from '../../core/i18n/i18n.service';
import { NotificationService } from '../../core/notifications/notification.service';
import { problemMessage } from '../../core/notifications/problem-text';
import { FieldErrorComponent } from '../../shared/components/field-error.component';
import { serverFieldErrors } from '../../shared/util/server-field-errors';
import { CertificatesApi, type IssuerSettingsView } from './certificates-api.service';

/** The issuer's number codes, enterprise prefix and query sites; the server's 400 field problems beside the fields. */
@Component({
  selector: 'app-issuer-settings-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, FieldErrorComponent, NzSelectModule],
  template: `
    @if (loadError(); as message) {
      <p class="banner banner--error" role="alert">{{ message }}</p>
    }
    <form [formGroup]="form" (ngSubmit)="save()" novalidate class="form-grid" data-testid="issuer-settings-form">
      <div class="field">
        <label class="field__label" for="settings-kind">{{ t('certs.settings.kind') }}</label>
        <nz-select nzId="settings-kind" formControlName="kind" data-testid="settings-kind">
          <nz-option nzValue="Y" [nzLabel]="t('certs.settings.kindY')" />
          <nz-option nzValue="S" [nzLabel]="t('certs.settings.kindS')" />
        </nz-select>
        @if (errors()['kind']; as m) { <app-field-error [message]="m" /> }
      </div>
      <label class="field">
        <span class="field__label">{{ t('certs.settings.evaluationBodyCode') }}</span>
        <input formControlName="evaluationBodyCode" inputmode="numeric" maxlength="4" data-testid="settings-evaluationBodyCode" [attr.aria-invalid]="!!errors()['evaluationBodyCode']" />
        <span class="field__help">{{ t('certs.settings.evaluationBodyCodeHelp') }}</span>
        @if (errors()['evaluationBodyCode']; as m) { <app-field-error [message]="m" /> }
      </label>
      <label class="field">
        <span class="field__label">{{ t('certs.settings.provinceCode') }}</span>
        <input formControlName="provinceCode" inputmode="numeric" maxlength="2" data-testid="settings-provinceCode" [attr.aria-invalid]="!!errors()['provinceCode']" />
        @if (errors()['provinceCode']; as m) { <app-field-error [message]="m" /> }
      </label>
      <label class="field">
        <span class="field__label">{{ t('certs.settings.siteSerial') }}</span>
        <input formControlName="siteSerial" inputmode="numeric" maxlength="6" data-testid="settings-siteSerial" [attr.aria-invalid]="!!errors()['siteSerial']" />
        @if (errors()['siteSerial']; as m) { <app-field-error [message]="m" /> }
      </label>
      <label class="field">
        <span class="field__label">{{ t('certs.settings.enterprisePrefix') }}</span>
        <input formControlName="enterprisePrefix" maxlength="8" autocapitalize="characters" data-testid="settings-enterprisePrefix" [attr.aria-invalid]="!!errors()['enterprisePrefix']" />
        <span class="field__help">{{ t('certs.settings.enterprisePrefixHelp') }}</span>
        @if (errors()['enterprisePrefix']; as m) { <app-field-error [message]="m" /> }
      </label>
      <label class="field">
        <span class="field__label">{{ t('certs.settings.evaluationBodyName') }}</span>
        <input formControlName="evaluationBodyName" maxlength="200" data-testid="settings-evaluationBodyName" />
        @if (errors()['evaluationBodyName']; as m) { <app-field-error [message]="m" /> }
      </label>
      <label class="field form-grid__wide">
        <span class="field__label">{{ t('certs.settings.querySites') }}</span>
        <textarea formControlName="querySites" rows="3" data-testid="settings-querySites"></textarea>
        <span class="field__help">{{ t('certs.settings.querySitesHelp') }}</span>
        @if (errors()['querySites']; as m) { <app-field-error [message]="m" /> }
      </label>
      <label class="field form-grid__wide">
        <span class="field__label">{{ t('certs.settings.verificationBaseUrl') }}</span>
        <input formControlName="verificationBaseUrl" type="url" inputmode="url" data-testid="settings-verificationBaseUrl" />
        @if (errors()['verificationBaseUrl']; as m) { <app-field-error [message]="m" /> }
      </label>
      <div class="form-grid__wide">
        <button type="submit" class="btn btn--primary" [disabled]="pending()" data-testid="settings-save">{{ pending() ? t('common.saving') : t('certs.settings.save') }}</button>
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

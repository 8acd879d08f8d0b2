import { ChangeDetectionStrategy, Component, computed, inject, output, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { type CreateOrganisationRequest, ORGANISATION_KINDS, type OrganisationKind } from '@aitrainer/contracts';
import { validateCreditCode } from '@aitrainer/domain';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { OrganisationsApi } from '../../shared/api/organisations-api.service';
import { serverFieldErrors } from '../../shared/util/server-field-errors';

@Component({
  selector: 'app-organisation-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzFormModule, NzInputModule, NzSelectModule],
  styles: `nz-form-item { margin-bottom: 0; } nz-select { width: 100%; }`,
  template: `
    <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="organisation-form">
      <div class="form-grid">
        <nz-form-item>
          <nz-form-label nzFor="organisation-kind">{{ t('field.kind') }}</nz-form-label>
          <nz-form-control>
            <nz-select nzId="organisation-kind" formControlName="kind" data-testid="organisation-kind">
              @for (kind of kinds; track kind) {
                <nz-option [nzValue]="kind" [nzLabel]="i18n.orgKindLabel(kind)" />
              }
            </nz-select>
          </nz-form-control>
        </nz-form-item>
        <nz-form-item>
          <nz-form-label nzFor="organisation-name">{{ t('field.name') }}</nz-form-label>
          <nz-form-control [nzValidateStatus]="errors()['name'] ? 'error' : ''" [nzErrorTip]="errors()['name']">
            <input nz-input id="organisation-name" formControlName="name" maxlength="100" autocomplete="organization" data-testid="organisation-name" />
          </nz-form-control>
        </nz-form-item>
        <nz-form-item class="form-grid__wide">
          <nz-form-label nzFor="organisation-creditCode">
            {{ t('field.creditCode') }}<span class="muted small">（{{ creditCodeRequired() ? t('common.required') : t('common.optional') }}）</span>
          </nz-form-label>
          <nz-form-control [nzValidateStatus]="creditCodeHint() ? 'error' : values().creditCode ? 'success' : ''" [nzErrorTip]="creditCodeHint() ?? ''" [nzSuccessTip]="t('admin.creditCodeOk')">
            <input nz-input id="organisation-creditCode" formControlName="creditCode" maxlength="18" autocomplete="off" autocapitalize="characters" spellcheck="false" class="mono" data-testid="organisation-creditCode" />
          </nz-form-control>
        </nz-form-item>
      </div>
      <button nz-button nzType="primary" type="submit" [disabled]="!canSubmit()" data-testid="organisation-submit">
        {{ pending() ? t('common.saving') : t('admin.createOrganisation') }}
      </button>
    </form>
  `,
})
export class OrganisationFormComponent extends Localized {
  private readonly organisationsApi = inject(OrganisationsApi);
  private readonly notifications = inject(NotificationService);

  readonly created = output<void>();

  protected readonly kinds = ORGANISATION_KINDS;
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    kind: this.fb.control<OrganisationKind>('school'),
    name: ['', Validators.required],
    creditCode: [''],
  });
  protected readonly values = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly pending = signal(false);
  private readonly server = serverFieldErrors(this.form);
  protected readonly errors = this.server.errors;

  /** The issuing enterprise signs certificates, so it must be identifiable by its credit code. */
  protected readonly creditCodeRequired = computed(() => this.values().kind === 'issuer');
  protected readonly creditCodeHint = computed(() => {
    const server = this.errors()['creditCode'];
    if (server) return server;
    const code = this.values().creditCode?.trim() ?? '';
    if (!code) return null;
    const result = validateCreditCode(code);
    return result.valid ? null : this.i18n.reason(result.reason);
  });
  protected readonly canSubmit = computed(() => {
    const { name, creditCode } = this.values();
    const codeGiven = !!creditCode?.trim();
    return (
      !this.pending() &&
      !!name?.trim() &&
      (!this.creditCodeRequired() || codeGiven) &&
      (!codeGiven || validateCreditCode(creditCode ?? '').valid)
    );
  });

  protected submit(): void {
    if (!this.canSubmit()) return;
    const value = this.form.getRawValue();
    const creditCode = value.creditCode.trim().toUpperCase();
    const request: CreateOrganisationRequest = {
      kind: value.kind,
      name: value.name.trim(),
      ...(creditCode ? { creditCode } : {}),
    };
    this.pending.set(true);
    this.server.set(null);
    this.organisationsApi.create(request).subscribe({
      next: (organisation) => {
        this.pending.set(false);
        this.form.reset();
        this.notifications.success('notice.organisationCreated', { name: organisation.name });
        this.created.emit();
      },
      error: (error: unknown) => {
        this.pending.set(false);
        const problem = toApiProblem(error);
        this.server.set(problem);
        this.notifications.error(problem);
      },
    });
  }
}

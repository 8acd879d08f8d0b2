import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ErrorCode } from '@aitrainer/contracts';
import { passwordProblem } from '@aitrainer/domain';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { AuthService } from '../../core/auth/auth.service';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { NotificationService } from '../../core/notifications/notification.service';
import { FormFieldComponent } from '../../shared/components/form-field.component';
import { serverFieldErrors } from '../../shared/util/server-field-errors';

/** One password field, drawn by one loop; `okTip` is said under a filled field with no problem. */
interface PasswordField {
  name: 'currentPassword' | 'newPassword' | 'confirmPassword';
  label: MessageKey;
  autocomplete: 'current-password' | 'new-password';
  policy?: true;
  okTip?: MessageKey;
}

const FIELDS: readonly PasswordField[] = [
  { name: 'currentPassword', label: 'field.currentPassword', autocomplete: 'current-password' },
  { name: 'newPassword', label: 'field.newPassword', autocomplete: 'new-password', policy: true, okTip: 'student.passwordOk' },
  { name: 'confirmPassword', label: 'field.confirmPassword', autocomplete: 'new-password' },
];

@Component({
  selector: 'app-change-password-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzFormModule, NzInputModule, FormFieldComponent],
  template: `
    <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="change-password-form">
      <!-- Lets password managers file the new password under the right account. -->
      <input type="text" class="visually-hidden" name="username" autocomplete="username" [value]="username()" tabindex="-1" aria-hidden="true" readonly />
      @for (f of fields; track f.name) {
        @let hint = hints()[f.name];
        <app-form-field [label]="t(f.label)" [fieldId]="'password-' + f.name" [error]="hint" [okTip]="f.okTip ? t(f.okTip) : ''" [ok]="!!values()[f.name]" [extra]="f.policy ? policy : undefined">
          <input nz-input type="password" [id]="'password-' + f.name" [formControlName]="f.name" [attr.autocomplete]="f.autocomplete" [attr.aria-describedby]="f.policy ? 'password-policy' : null" />
        </app-form-field>
      }
      <ng-template #policy><span id="password-policy">{{ t('student.passwordPolicy') }}</span></ng-template>
      <button nz-button nzType="primary" type="submit" [disabled]="!canSubmit()">
        {{ pending() ? t('common.saving') : t('student.changePassword') }}
      </button>
    </form>
  `,
})
export class ChangePasswordFormComponent extends Localized {
  private readonly auth = inject(AuthService);
  private readonly notifications = inject(NotificationService);

  readonly username = input.required<string>();

  protected readonly fields = FIELDS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', Validators.required],
    newPassword: ['', Validators.required],
    confirmPassword: ['', Validators.required],
  });
  protected readonly values = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly pending = signal(false);
  private readonly server = serverFieldErrors(this.form);
  protected readonly serverErrors = this.server.errors;

  /** The same policy the server applies, checked while typing. */
  protected readonly newPasswordHint = computed(() => {
    const server = this.serverErrors()['newPassword'];
    if (server) return server;
    const password = this.values().newPassword ?? '';
    if (!password) return null;
    const problem = passwordProblem(password, this.username() || undefined);
    return problem ? this.i18n.reason(problem) : null;
  });
  protected readonly mismatch = computed(() => {
    const { newPassword, confirmPassword } = this.values();
    return !!confirmPassword && newPassword !== confirmPassword;
  });
  /** The problem said under each field, if any. */
  protected readonly hints = computed((): Record<PasswordField['name'], string | null> => ({
    currentPassword: this.serverErrors()['currentPassword'] ?? null,
    newPassword: this.newPasswordHint(),
    confirmPassword: this.mismatch() ? this.t('student.passwordMismatch') : null,
  }));
  protected readonly canSubmit = computed(() => {
    const { currentPassword, newPassword } = this.values();
    return (
      !this.pending() && !!currentPassword && !!newPassword && passwordProblem(newPassword, this.username() || undefined) === null && !this.mismatch()
    );
  });

  protected submit(): void {
    if (!this.canSubmit()) return;
    const { currentPassword, newPassword } = this.form.getRawValue();
    this.pending.set(true);
    this.server.set(null);
    this.auth.changePassword({ currentPassword, newPassword }).subscribe({
      next: () => {
        this.pending.set(false);
        this.form.reset();
        this.notifications.success('notice.passwordChanged');
      },
      error: (error: unknown) => {
        this.pending.set(false);
        const problem = toApiProblem(error);
        const wrongCurrent = problem.code === ErrorCode.InvalidCredentials;
        this.server.set(problem, wrongCurrent ? { currentPassword: 'error.wrongCurrentPassword' } : {});
        // Shown beside the fields and summed up in a notification, which stays visible on a phone.
        this.notifications.error(problem);
      },
    });
  }
}

import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ErrorCode } from '@aitrainer/contracts';
import { passwordProblem } from '@aitrainer/domain';
import { AuthService } from '../../core/auth/auth.service';
import { toApiProblem } from '../../core/http/api-problem';
import { I18n } from '../../core/i18n/i18n.service';
import { NotificationService } from '../../core/notifications/notification.service';
import { FieldErrorComponent } from '../../shared/components/field-error.component';
import { serverFieldErrors } from '../../shared/util/server-field-errors';

@Component({
  selector: 'app-change-password-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, FieldErrorComponent],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="change-password-form">
      <!-- Lets password managers file the new password under the right account. -->
      <input type="text" class="visually-hidden" name="username" autocomplete="username" [value]="username()" tabindex="-1" aria-hidden="true" readonly />
      <label class="field">
        <span class="field__label">{{ t('field.currentPassword') }}</span>
        <input type="password" formControlName="currentPassword" autocomplete="current-password" [attr.aria-invalid]="!!serverErrors()['currentPassword']" />
        @if (serverErrors()['currentPassword']; as message) {
          <app-field-error [message]="message" />
        }
      </label>
      <label class="field">
        <span class="field__label">{{ t('field.newPassword') }}</span>
        <input type="password" formControlName="newPassword" autocomplete="new-password" aria-describedby="password-policy" [attr.aria-invalid]="!!newPasswordHint()" />
        <span class="field__help" id="password-policy">{{ t('student.passwordPolicy') }}</span>
        @if (newPasswordHint(); as message) {
          <app-field-error [message]="message" />
        } @else if (values().newPassword) {
          <app-field-error [message]="t('student.passwordOk')" [ok]="true" />
        }
      </label>
      <label class="field">
        <span class="field__label">{{ t('field.confirmPassword') }}</span>
        <input type="password" formControlName="confirmPassword" autocomplete="new-password" />
        @if (mismatch()) {
          <app-field-error [message]="t('student.passwordMismatch')" />
        }
      </label>
      <button type="submit" class="btn btn--primary" [disabled]="!canSubmit()">
        {{ pending() ? t('common.saving') : t('student.changePassword') }}
      </button>
    </form>
  `,
})
export class ChangePasswordFormComponent {
  private readonly auth = inject(AuthService);
  private readonly notifications = inject(NotificationService);
  private readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;

  readonly username = input.required<string>();

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

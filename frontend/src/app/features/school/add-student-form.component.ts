import { ChangeDetectionStrategy, Component, computed, inject, output, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { type CreateUserRequest, ErrorCode, ID_DOCUMENT_TYPES, type IdDocumentType } from '@aitrainer/contracts';
import { passwordProblem, validateIdDocument } from '@aitrainer/domain';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { SessionStore } from '../../core/auth/session.store';
import { toApiProblem } from '../../core/http/api-problem';
import { I18n } from '../../core/i18n/i18n.service';
import { NotificationService } from '../../core/notifications/notification.service';
import { UsersApi } from '../../shared/api/users-api.service';
import { FieldErrorComponent } from '../../shared/components/field-error.component';
import { serverFieldErrors } from '../../shared/util/server-field-errors';

@Component({
  selector: 'app-add-student-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, FieldErrorComponent, NzSelectModule],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="add-student-form">
      <div class="form-grid">
        <label class="field">
          <span class="field__label">{{ t('field.realName') }}</span>
          <input formControlName="realName" maxlength="50" autocomplete="off" data-testid="student-realName" [attr.aria-invalid]="!!errors()['realName']" />
          @if (errors()['realName']; as message) {
            <app-field-error [message]="message" />
          }
        </label>
        <label class="field">
          <span class="field__label">{{ t('field.username') }}</span>
          <input formControlName="username" maxlength="64" autocomplete="off" autocapitalize="none" spellcheck="false" data-testid="student-username" [attr.aria-invalid]="!!errors()['username']" />
          @if (errors()['username']; as message) {
            <app-field-error [message]="message" />
          }
        </label>
        <label class="field">
          <span class="field__label">{{ t('field.password') }}</span>
          <input formControlName="password" type="password" autocomplete="new-password" data-testid="student-password" [attr.aria-invalid]="!!passwordHint()" />
          @if (passwordHint(); as message) {
            <app-field-error [message]="message" />
          }
        </label>
        <div class="field">
          <label class="field__label" for="student-idType">{{ t('field.idDocumentType') }}</label>
          <nz-select nzId="student-idType" formControlName="idDocumentType" data-testid="student-idType">
            @for (type of idTypes; track type) {
              <nz-option [nzValue]="type" [nzLabel]="i18n.idTypeLabel(type)" />
            }
          </nz-select>
        </div>
        <label class="field form-grid__wide">
          <span class="field__label">{{ t('field.idNumber') }}</span>
          <input formControlName="idNumber" maxlength="20" autocomplete="off" autocapitalize="characters" spellcheck="false" class="mono" data-testid="student-idNumber" [attr.aria-invalid]="!!idHint()" />
          @if (idHint(); as message) {
            <app-field-error [message]="message" />
          } @else if (values().idNumber) {
            <app-field-error [message]="t('school.idHintOk')" [ok]="true" />
          }
        </label>
      </div>
      <button type="submit" class="btn btn--primary" [disabled]="!canSubmit()" data-testid="student-submit">
        {{ pending() ? t('common.saving') : t('school.addStudentSubmit') }}
      </button>
    </form>
  `,
})
export class AddStudentFormComponent {
  private readonly usersApi = inject(UsersApi);
  private readonly session = inject(SessionStore);
  private readonly notifications = inject(NotificationService);
  protected readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;

  readonly added = output<void>();

  protected readonly idTypes = ID_DOCUMENT_TYPES;
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    realName: ['', Validators.required],
    username: ['', Validators.required],
    password: ['', Validators.required],
    idDocumentType: this.fb.control<IdDocumentType>('resident_id'),
    idNumber: ['', Validators.required],
  });
  protected readonly values = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly pending = signal(false);
  private readonly server = serverFieldErrors(this.form);
  protected readonly errors = this.server.errors;

  /** The server's verdict wins; otherwise the shared validator's, once something is typed. */
  protected readonly idHint = computed(() => {
    const server = this.errors()['idNumber'] ?? this.errors()['idDocumentType'];
    if (server) return server;
    const { idDocumentType, idNumber } = this.values();
    if (!idNumber || !idDocumentType) return null;
    const result = validateIdDocument(idDocumentType, idNumber);
    return result.valid ? null : this.i18n.reason(result.reason);
  });
  protected readonly passwordHint = computed(() => {
    const server = this.errors()['password'];
    if (server) return server;
    const { password, username } = this.values();
    if (!password) return null;
    const problem = passwordProblem(password, username || undefined);
    return problem ? this.i18n.reason(problem) : null;
  });
  protected readonly canSubmit = computed(() => {
    const { realName, username, password, idNumber } = this.values();
    return !this.pending() && !!realName?.trim() && !!username?.trim() && !!password && !!idNumber?.trim();
  });

  protected submit(): void {
    if (!this.canSubmit()) return;
    const value = this.form.getRawValue();
    const request: CreateUserRequest = {
      role: 'student',
      realName: value.realName.trim(),
      username: value.username.trim(),
      password: value.password,
      idDocumentType: value.idDocumentType,
      idNumber: value.idNumber.trim().toUpperCase(),
      organisationId: this.session.user()?.organisation?.id,
    };
    this.pending.set(true);
    this.server.set(null);
    this.usersApi.create(request).subscribe({
      next: (user) => {
        this.pending.set(false);
        this.form.reset();
        this.notifications.success('notice.studentAdded', { name: user.realName });
        this.added.emit();
      },
      error: (error: unknown) => {
        this.pending.set(false);
        const problem = toApiProblem(error);
        const usernameTaken =
          problem.code === ErrorCode.Conflict &&
          (problem.fields.length === 0 || problem.fields.some((field) => field.field === 'username'));
        this.server.set(problem, usernameTaken ? { username: 'error.usernameTaken' } : {});
        // Shown beside the fields and summed up in a notification, which stays visible on a phone.
        this.notifications.error(problem);
      },
    });
  }
}

import { ChangeDetectionStrategy, Component, computed, inject, output, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { type CreateUserRequest, ErrorCode, ID_DOCUMENT_TYPES, type IdDocumentType } from '@aitrainer/contracts';
import { passwordProblem, validateIdDocument } from '@aitrainer/domain';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { SessionStore } from '../../core/auth/session.store';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { NotificationService } from '../../core/notifications/notification.service';
import { UsersApi } from '../../shared/api/users-api.service';
import { serverFieldErrors } from '../../shared/util/server-field-errors';

/** One field of the form, drawn by one loop; `okTip` is said under a filled field with no problem. */
interface StudentField {
  name: 'realName' | 'username' | 'password' | 'idDocumentType' | 'idNumber';
  id: string;
  label: MessageKey;
  autocomplete?: 'off' | 'new-password';
  type?: 'password';
  maxlength?: number;
  autocapitalize?: 'none' | 'characters';
  mono?: true;
  wide?: true;
  okTip?: MessageKey;
}

const FIELDS: readonly StudentField[] = [
  { name: 'realName', id: 'student-realName', label: 'field.realName', maxlength: 50, autocomplete: 'off' },
  { name: 'username', id: 'student-username', label: 'field.username', maxlength: 64, autocomplete: 'off', autocapitalize: 'none' },
  { name: 'password', id: 'student-password', label: 'field.password', type: 'password', autocomplete: 'new-password' },
  { name: 'idDocumentType', id: 'student-idType', label: 'field.idDocumentType' },
  { name: 'idNumber', id: 'student-idNumber', label: 'field.idNumber', maxlength: 20, autocomplete: 'off', autocapitalize: 'characters', mono: true, wide: true, okTip: 'school.idHintOk' },
];

@Component({
  selector: 'app-add-student-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzFormModule, NzInputModule, NzSelectModule],
  styles: `nz-form-item { margin-bottom: 0; }`,
  template: `
    <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="add-student-form">
      <div class="form-grid">
        @for (f of fields; track f.name) {
          @let hint = hints()[f.name];
          <nz-form-item [class.form-grid__wide]="f.wide">
            <nz-form-label [nzFor]="f.id">{{ t(f.label) }}</nz-form-label>
            <nz-form-control [nzValidateStatus]="hint ? 'error' : f.okTip && values()[f.name] ? 'success' : ''" [nzErrorTip]="hint ?? ''" [nzSuccessTip]="f.okTip ? t(f.okTip) : ''">
              @if (f.name === 'idDocumentType') {
                <nz-select [nzId]="f.id" formControlName="idDocumentType" [attr.data-testid]="f.id">
                  @for (type of idTypes; track type) {
                    <nz-option [nzValue]="type" [nzLabel]="i18n.idTypeLabel(type)" />
                  }
                </nz-select>
              } @else {
                <input nz-input [id]="f.id" [formControlName]="f.name" [type]="f.type ?? 'text'" [attr.maxlength]="f.maxlength" [attr.autocomplete]="f.autocomplete"
                       [attr.autocapitalize]="f.autocapitalize" [attr.spellcheck]="f.autocapitalize ? 'false' : null" [class.mono]="f.mono" [attr.data-testid]="f.id" />
              }
            </nz-form-control>
          </nz-form-item>
        }
      </div>
      <button nz-button nzType="primary" type="submit" [disabled]="!canSubmit()" data-testid="student-submit">
        {{ pending() ? t('common.saving') : t('school.addStudentSubmit') }}
      </button>
    </form>
  `,
})
export class AddStudentFormComponent extends Localized {
  private readonly usersApi = inject(UsersApi);
  private readonly session = inject(SessionStore);
  private readonly notifications = inject(NotificationService);

  readonly added = output<void>();

  protected readonly idTypes = ID_DOCUMENT_TYPES;
  protected readonly fields = FIELDS;
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
  /** The problem said under each field, if any. */
  protected readonly hints = computed((): Partial<Record<StudentField['name'], string | null>> => ({
    realName: this.errors()['realName'],
    username: this.errors()['username'],
    password: this.passwordHint(),
    idNumber: this.idHint(),
  }));
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

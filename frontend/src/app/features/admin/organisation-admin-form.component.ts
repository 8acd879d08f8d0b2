import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import type { CreateUserRequest, OrganisationView, Role, UserView } from '@aitrainer/contracts';
import { toApiProblem, type ApiProblem } from '../../core/http/api-problem';
import { API_V1 } from '../../core/http/api-url';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { fieldErrorMap, problemMessage } from '../../core/notifications/problem-text';

/** The role an organisation's first administrator gets: the issuer's org admin, a school's admin, a bureau's verifier. */
const FIRST_ADMIN_ROLE: Record<OrganisationView['kind'], Role> = { issuer: 'org_admin', school: 'school_admin', bureau: 'bureau_verifier' };

/** One account field, drawn by one loop; a field with help spans the row. */
interface AccountField {
  name: 'realName' | 'username' | 'password';
  label: MessageKey;
  maxlength?: number;
  type?: 'password';
  autocomplete?: 'off' | 'new-password';
  help?: MessageKey;
}

const FIELDS: readonly AccountField[] = [
  { name: 'realName', label: 'field.realName', maxlength: 100 },
  { name: 'username', label: 'field.username', maxlength: 64, autocomplete: 'off' },
  { name: 'password', label: 'orgAdmin.password', type: 'password', autocomplete: 'new-password', help: 'orgAdmin.passwordHelp' },
];

/** A platform admin gives an organisation its first administrator account, who can then sign in and add their staff. */
@Component({
  selector: 'app-organisation-admin-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzButtonModule, NzFormModule, NzInputModule, NzSelectModule],
  styles: `nz-form-item { margin-bottom: 0; } nz-select { width: 100%; }`,
  template: `
    <form nz-form nzLayout="vertical" (ngSubmit)="submit()" novalidate data-testid="org-admin-form">
      <div class="form-grid">
        <nz-form-item class="form-grid__wide">
          <nz-form-label nzFor="org-admin-organisation">{{ t('orgAdmin.organisation') }}</nz-form-label>
          <nz-form-control [nzExtra]="roleHelp()">
            <nz-select nzId="org-admin-organisation" name="organisationId" [ngModel]="organisationId()" (ngModelChange)="organisationId.set($event)" [nzPlaceHolder]="t('orgAdmin.choose')" nzShowSearch data-testid="org-admin-organisation">
              @for (o of organisations(); track o.id) { <nz-option [nzValue]="o.id" [nzLabel]="o.name + '（' + i18n.orgKindLabel(o.kind) + '）'" /> }
            </nz-select>
          </nz-form-control>
        </nz-form-item>
        @for (f of fields; track f.name) {
          <nz-form-item [class.form-grid__wide]="f.help">
            <nz-form-label [nzFor]="'org-admin-' + f.name">{{ t(f.label) }}</nz-form-label>
            <nz-form-control [nzValidateStatus]="errors()[f.name] ? 'error' : ''" [nzErrorTip]="errors()[f.name]" [nzExtra]="f.help ? t(f.help) : undefined">
              <input nz-input [id]="'org-admin-' + f.name" [name]="f.name" [(ngModel)]="account[f.name]" [type]="f.type ?? 'text'" [attr.maxlength]="f.maxlength" [attr.autocomplete]="f.autocomplete"
                     [attr.autocapitalize]="f.name === 'username' ? 'none' : null" [attr.spellcheck]="f.name === 'username' ? 'false' : null" [attr.data-testid]="'org-admin-' + f.name" />
            </nz-form-control>
          </nz-form-item>
        }
      </div>
      <button nz-button nzType="primary" type="submit" [disabled]="pending() || !organisationId()" data-testid="org-admin-submit">{{ t('orgAdmin.submit') }}</button>
      @if (problemText(); as p) { <p class="banner banner--error" role="alert" data-testid="org-admin-error">{{ p }}</p> }
      @if (created(); as u) { <p class="banner banner--info" role="status" data-testid="org-admin-created">{{ t('orgAdmin.created', { name: u.realName, username: u.username }) }}</p> }
    </form>
  `,
})
export class OrganisationAdminFormComponent extends Localized {
  private readonly http = inject(HttpClient);
  readonly organisations = input.required<OrganisationView[]>();
  readonly done = output<void>();
  protected readonly organisationId = signal<number | null>(null);
  protected readonly role = computed(() => {
    const org = this.organisations().find((o) => o.id === this.organisationId());
    return org ? FIRST_ADMIN_ROLE[org.kind] : null;
  });
  /** Which role the new account gets, said under the organisation picker. */
  protected readonly roleHelp = computed(() => {
    const role = this.role();
    return role ? this.t('orgAdmin.roleHelp', { role: this.i18n.roleLabel(role) }) : undefined;
  });
  protected readonly fields = FIELDS;
  protected readonly account: Record<AccountField['name'], string> = { realName: '', username: '', password: '' };
  protected readonly pending = signal(false);
  protected readonly created = signal<UserView | null>(null);
  private readonly problem = signal<ApiProblem | null>(null);
  protected readonly errors = computed(() => fieldErrorMap(this.problem(), this.i18n));
  protected readonly problemText = computed(() => {
    const p = this.problem();
    return p ? problemMessage(p, this.i18n) : null;
  });

  protected submit(): void {
    const organisationId = this.organisationId();
    const role = this.role();
    if (organisationId === null || role === null || this.pending()) return;
    const body: CreateUserRequest = { organisationId, role, realName: this.account.realName.trim(), username: this.account.username.trim(), password: this.account.password };
    this.pending.set(true);
    this.problem.set(null);
    this.created.set(null);
    this.http.post<UserView>(`${API_V1}/users`, body).subscribe({
      next: (u) => {
        this.pending.set(false);
        this.created.set(u);
        this.account.realName = '';
        this.account.username = '';
        this.account.password = '';
        this.done.emit();
      },
      error: (e: unknown) => {
        this.pending.set(false);
        this.problem.set(toApiProblem(e));
      },
    });
  }
}

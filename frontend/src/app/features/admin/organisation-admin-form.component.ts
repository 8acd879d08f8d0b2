import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzSelectModule } from 'ng-zorro-antd/select';
import type { CreateUserRequest, OrganisationView, Role, UserView } from '@aitrainer/contracts';
import { toApiProblem, type ApiProblem } from '../../core/http/api-problem';
import { API_V1 } from '../../core/http/api-url';
import { I18n } from '../../core/i18n/i18n.service';
import { fieldErrorMap, problemMessage } from '../../core/notifications/problem-text';
import { FieldErrorComponent } from '../../shared/components/field-error.component';

/** The role an organisation's first administrator gets: the issuer's org admin, a school's admin, a bureau's verifier. */
const FIRST_ADMIN_ROLE: Record<OrganisationView['kind'], Role> = { issuer: 'org_admin', school: 'school_admin', bureau: 'bureau_verifier' };

/** A platform admin gives an organisation its first administrator account, who can then sign in and add their staff. */
@Component({
  selector: 'app-organisation-admin-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, FieldErrorComponent, NzSelectModule],
  template: `
    <form (ngSubmit)="submit()" novalidate data-testid="org-admin-form">
      <div class="form-grid">
        <div class="field form-grid__wide">
          <label class="field__label" for="org-admin-organisation">{{ t('orgAdmin.organisation') }}</label>
          <nz-select nzId="org-admin-organisation" name="organisationId" [ngModel]="organisationId()" (ngModelChange)="organisationId.set($event)" [nzPlaceHolder]="t('orgAdmin.choose')" nzShowSearch data-testid="org-admin-organisation">
            @for (o of organisations(); track o.id) { <nz-option [nzValue]="o.id" [nzLabel]="o.name + '（' + i18n.orgKindLabel(o.kind) + '）'" /> }
          </nz-select>
          @if (role(); as r) { <span class="field__help">{{ t('orgAdmin.roleHelp', { role: i18n.roleLabel(r) }) }}</span> }
        </div>
        <label class="field">
          <span class="field__label">{{ t('field.realName') }}</span>
          <input name="realName" [(ngModel)]="realName" maxlength="100" data-testid="org-admin-realName" />
          @if (errors()['realName']; as m) { <app-field-error [message]="m" /> }
        </label>
        <label class="field">
          <span class="field__label">{{ t('field.username') }}</span>
          <input name="username" [(ngModel)]="username" maxlength="64" autocomplete="off" autocapitalize="none" spellcheck="false" data-testid="org-admin-username" />
          @if (errors()['username']; as m) { <app-field-error [message]="m" /> }
        </label>
        <label class="field form-grid__wide">
          <span class="field__label">{{ t('orgAdmin.password') }}</span>
          <input name="password" type="password" [(ngModel)]="password" autocomplete="new-password" data-testid="org-admin-password" />
          <span class="field__help">{{ t('orgAdmin.passwordHelp') }}</span>
          @if (errors()['password']; as m) { <app-field-error [message]="m" /> }
        </label>
      </div>
      <button type="submit" class="btn btn--primary" [disabled]="pending() || !organisationId()" data-testid="org-admin-submit">{{ t('orgAdmin.submit') }}</button>
      @if (problemText(); as p) { <p class="banner banner--error" role="alert" data-testid="org-admin-error">{{ p }}</p> }
      @if (created(); as u) { <p class="banner banner--info" role="status" data-testid="org-admin-created">{{ t('orgAdmin.created', { name: u.realName, username: u.username }) }}</p> }
    </form>
  `,
})
export class OrganisationAdminFormComponent {
  private readonly http = inject(HttpClient);
  protected readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;
  readonly organisations = input.required<OrganisationView[]>();
  readonly done = output<void>();
  protected readonly organisationId = signal<number | null>(null);
  protected readonly role = computed(() => {
    const org = this.organisations().find((o) => o.id === this.organisationId());
    return org ? FIRST_ADMIN_ROLE[org.kind] : null;
  });
  protected realName = '';
  protected username = '';
  protected password = '';
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
    const body: CreateUserRequest = { organisationId, role, realName: this.realName.trim(), username: this.username.trim(), password: this.password };
    this.pending.set(true);
    this.problem.set(null);
    this.created.set(null);
    this.http.post<UserView>(`${API_V1}/users`, body).subscribe({
      next: (u) => {
        this.pending.set(false);
        this.created.set(u);
        this.realName = '';
        this.username = '';
        this.password = '';
        this.done.emit();
      },
      error: (e: unknown) => {
        this.pending.set(false);
        this.problem.set(toApiProblem(e));
      },
    });
  }
}

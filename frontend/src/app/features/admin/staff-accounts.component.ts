import { HttpClient } from '@angular/common/http';
import { Confirm } from '../../shared/util/confirm';
import { ChangeDetectionStrategy, Component, inject, input, signal, type OnInit } from '@angular/core';
import type { Page, UserView } from '@aitrainer/contracts';
import { toApiProblem } from '../../core/http/api-problem';
import { API_V1 } from '../../core/http/api-url';
import { Localized } from '../../core/i18n/localized';
import { fieldProblemText, problemMessage } from '../../core/notifications/problem-text';

/**
 * Accounts an administrator manages (a platform admin: every account; an organisation's admin: their organisation's
 * staff; a school's admin also their students): set a new password, disable or enable, or lift the sign-in limit
 * someone else's failed sign-ins put on the account. Each change is audited on the server.
 */
@Component({
  selector: 'app-staff-accounts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="table-wrap">
      <table class="table" data-testid="staff-table">
        <thead><tr><th>{{ t('field.realName') }}</th><th>{{ t('field.username') }}</th><th>{{ t('staff.role') }}</th><th>{{ t('staff.organisation') }}</th><th>{{ t('staff.state') }}</th><th></th></tr></thead>
        <tbody>
          @for (u of users(); track u.id) {
            <tr [attr.data-testid]="'staff-' + u.username">
              <td>{{ u.realName }}</td>
              <td class="mono">{{ u.username }}</td>
              <td>{{ i18n.roleLabel(u.role) }}</td>
              <td>{{ u.organisation?.name ?? t('common.none') }}</td>
              <td>{{ u.disabled ? t('staff.disabled') : t('staff.active') }}</td>
              <td>
                <button type="button" class="btn btn--small" (click)="reset(u)" [attr.data-testid]="'staff-reset-' + u.username">{{ t('staff.resetPassword') }}</button>
                <button type="button" class="btn btn--small" (click)="toggle(u)" [attr.data-testid]="'staff-toggle-' + u.username">{{ u.disabled ? t('staff.enable') : t('staff.disable') }}</button>
                <button type="button" class="btn btn--small" (click)="unlock(u)" [attr.data-testid]="'staff-unlock-' + u.username">{{ t('staff.unlockSignIn') }}</button>
              </td>
            </tr>
          }
        </tbody>
      </table>
    </div>
    @if (message(); as m) { <p role="status" data-testid="staff-message">{{ m }}</p> }
  `,
})
export class StaffAccountsComponent extends Localized implements OnInit {
  /** List students too (a school's admin manages them). */
  readonly withStudents = input(false);
  private readonly http = inject(HttpClient);
  private readonly confirm = inject(Confirm);
  protected readonly users = signal<UserView[]>([]);
  protected readonly message = signal<string | null>(null);

  ngOnInit(): void {
    this.reload();
  }

  reload(): void {
    this.http.get<Page<UserView>>(`${API_V1}/users`, { params: { pageSize: 200 } }).subscribe({ next: (p) => this.users.set(p.items.filter((u) => this.withStudents() || u.role !== 'student')), error: (e) => this.fail(e) });
  }

  protected unlock(u: UserView): void {
    this.http.post<UserView>(`${API_V1}/users/${u.id}/unlock-sign-in`, {}).subscribe({ next: (v) => this.message.set(this.t('staff.unlocked', { name: v.realName })), error: (e) => this.fail(e) });
  }

  protected reset(u: UserView): void {
    const password = globalThis.prompt(this.t('staff.newPasswordPrompt', { name: u.realName }));
    if (!password) return;
    this.http.post<UserView>(`${API_V1}/users/${u.id}/password`, { password }).subscribe({ next: () => this.message.set(this.t('staff.passwordReset', { name: u.realName })), error: (e) => this.fail(e) });
  }

  protected async toggle(u: UserView): Promise<void> {
    if (!u.disabled && !(await this.confirm.ask(this.t('staff.confirmDisable', { name: u.realName }), { danger: true }))) return;
    this.http.post<UserView>(`${API_V1}/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`, {}).subscribe({
      next: (v) => {
        this.message.set(this.t(v.disabled ? 'staff.nowDisabled' : 'staff.nowEnabled', { name: v.realName }));
        this.reload();
      },
      error: (e) => this.fail(e),
    });
  }

  private fail(e: unknown): void {
    const p = toApiProblem(e);
    this.message.set([problemMessage(p, this.i18n), ...p.fields.map((f) => fieldProblemText(f, this.i18n))].join(' '));
  }
}

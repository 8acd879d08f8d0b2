import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import type { UserView } from '@aitrainer/contracts';
import { I18n } from '../../core/i18n/i18n.service';

/** People of an organisation; ID numbers are only ever shown masked here. */
@Component({
  selector: 'app-user-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="table-wrap">
      <table class="table" data-testid="user-table">
        <caption class="visually-hidden">{{ caption() || t('users.caption') }}</caption>
        <thead>
          <tr>
            <th scope="col">{{ t('field.realName') }}</th>
            <th scope="col">{{ t('field.username') }}</th>
            @if (showRole()) {
              <th scope="col">{{ t('field.role') }}</th>
            }
            <th scope="col">{{ t('field.idDocumentType') }}</th>
            <th scope="col">{{ t('field.idNumber') }}</th>
            <th scope="col">{{ t('field.createdAt') }}</th>
          </tr>
        </thead>
        <tbody>
          @for (user of users(); track user.id) {
            <tr>
              <td [attr.data-label]="t('field.realName')">{{ user.realName }}</td>
              <td [attr.data-label]="t('field.username')" class="mono">{{ user.username }}</td>
              @if (showRole()) {
                <td [attr.data-label]="t('field.role')"><span class="badge">{{ i18n.roleLabel(user.role) }}</span></td>
              }
              <td [attr.data-label]="t('field.idDocumentType')">{{ i18n.idTypeLabel(user.idDocumentType) }}</td>
              <td [attr.data-label]="t('field.idNumber')" [class.mono]="user.idNumberMasked">{{ user.idNumberMasked ?? t('common.none') }}</td>
              <td [attr.data-label]="t('field.createdAt')">{{ i18n.dateTime(user.createdAt) }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
})
export class UserTableComponent {
  protected readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;

  readonly users = input.required<readonly UserView[]>();
  readonly showRole = input(false);
  readonly caption = input('');
}

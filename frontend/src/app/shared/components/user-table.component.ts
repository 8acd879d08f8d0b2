import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { ROLES, type UserView } from '@aitrainer/contracts';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import { DataTableComponent, type TableColumn, by, filterBy } from './data-table.component';

/** People of an organisation; ID numbers are only ever shown masked here. */
@Component({
  selector: 'app-user-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DataTableComponent, NzTagModule],
  template: `
    <app-data-table [rows]="users()" [columns]="columns()" [trackBy]="trackById" [emptyText]="t('common.none')" testId="user-table">
      <ng-template let-user>
        <td>{{ user.realName }}</td>
        <td class="mono">{{ user.username }}</td>
        @if (showRole()) {
          <td><nz-tag>{{ i18n.roleLabel(user.role) }}</nz-tag></td>
        }
        <td>{{ i18n.idTypeLabel(user.idDocumentType) }}</td>
        <td [class.mono]="user.idNumberMasked">{{ user.idNumberMasked ?? t('common.none') }}</td>
        <td>{{ i18n.dateTime(user.createdAt) }}</td>
      </ng-template>
    </app-data-table>
  `,
})
export class UserTableComponent extends Localized {

  readonly users = input.required<readonly UserView[]>();
  readonly showRole = input(false);
  readonly caption = input('');

  protected readonly trackById = (user: UserView) => user.id;
  protected readonly columns = computed((): TableColumn<UserView>[] => [
    { label: this.t('field.realName'), sort: by.text((u) => u.realName) },
    { label: this.t('field.username'), sort: by.text((u) => u.username) },
    ...(this.showRole()
      ? [{ label: this.t('field.role'), ...filterBy((u: UserView) => u.role, ROLES.map((role) => [role, this.i18n.roleLabel(role)] as const)) }]
      : []),
    { label: this.t('field.idDocumentType') },
    { label: this.t('field.idNumber') },
    { label: this.t('field.createdAt'), sort: by.time((u) => u.createdAt) },
  ]);
}

import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';
import { UsersApi } from '../../shared/api/users-api.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { UserTableComponent } from '../../shared/components/user-table.component';
import { remote } from '../../shared/util/remote';

@Component({
  selector: 'app-instructor-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, UserTableComponent],
  template: `
    <h1 class="page-title" data-testid="landing-instructor">{{ t('instructor.title') }}</h1>
    <section class="card" aria-labelledby="students-heading">
      <div class="card__head">
        <h2 id="students-heading">{{ t('instructor.students') }}</h2>
        @if (students.value(); as page) {
          <span class="muted small">{{ t('common.total', { count: page.total }) }}</span>
        }
      </div>
      <app-remote-view [state]="students.state()" [empty]="isEmpty()" [emptyText]="t('instructor.empty')" (retry)="students.reload()">
        @if (students.value(); as page) {
          <app-user-table [users]="page.items" [caption]="t('instructor.students')" />
        }
      </app-remote-view>
    </section>
  `,
})
export class InstructorPage {
  private readonly usersApi = inject(UsersApi);
  protected readonly t = inject(I18n).t;
  protected readonly students = remote(() => this.usersApi.list({ role: 'student' }));
  protected readonly isEmpty = computed(() => this.students.value()?.items.length === 0);
}

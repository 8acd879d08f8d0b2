import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { PromptTaskSummary } from '@aitrainer/contracts';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import { PageHeaderComponent } from '../../shared/components/page-header.component';
import { DataTableComponent, type TableColumn, by, filterBy } from '../../shared/components/data-table.component';
import { remote } from '../../shared/util/remote';
import { PromptsApi } from './prompts-api.service';

/** Authors' list of prompt tasks, drafts and published, with their versions. */
@Component({
  selector: 'app-prompt-tasks-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DataTableComponent, NzTagModule, PageHeaderComponent, RouterLink],
  template: `
    <app-page-header [title]="t('prompts.title')" testId="prompt-tasks-title" [subtitle]="t('prompts.listHelp')">
      <a class="btn btn--small" routerLink="/reviews" data-testid="link-reviews">{{ t('reviews.title') }}</a>
      <a class="btn btn--primary btn--small" routerLink="/prompt-tasks/new" data-testid="prompt-task-new">{{ t('prompts.create') }}</a>
    </app-page-header>
    <section class="card" [attr.aria-label]="t('prompts.list')">
      <app-data-table [source]="tasks" [columns]="columns()" [trackBy]="trackById" [emptyText]="t('prompts.empty')"
                      testId="prompt-task-table" rowTestId="prompt-task-row">
        <ng-template let-task>
          <td><a [routerLink]="['/prompt-tasks', task.id]">{{ task.title }}</a></td>
          <td><nz-tag [nzColor]="task.status === 'published' ? 'success' : 'default'">{{ t(task.status === 'published' ? 'prompts.published' : 'prompts.draft') }}</nz-tag></td>
          <td>
            v{{ task.version }}
            @if (task.publishedVersion !== null && task.publishedVersion !== task.version) {
              <span class="muted small">{{ t('prompts.studentsSee', { version: task.publishedVersion }) }}</span>
            }
          </td>
          <td>{{ i18n.dateTime(task.updatedAt) }}</td>
        </ng-template>
      </app-data-table>
    </section>
  `,
})
export class PromptTasksPage extends Localized {
  private readonly api = inject(PromptsApi);
  protected readonly tasks = remote(() => this.api.list());
  protected readonly trackById = (task: PromptTaskSummary) => task.id;
  protected readonly columns = computed((): TableColumn<PromptTaskSummary>[] => [
    { label: this.t('prompts.field.title'), sort: by.text((task) => task.title) },
    {
      label: this.t('prompts.statusLabel'),
      ...filterBy((task) => task.status, [['published', this.t('prompts.published')], ['draft', this.t('prompts.draft')]]),
    },
    { label: this.t('prompts.version'), sort: by.number((task) => task.version) },
    { label: this.t('prompts.updatedAt'), sort: by.time((task) => task.updatedAt) },
  ]);
}

import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { I18n } from '../../core/i18n/i18n.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { PromptsApi } from './prompts-api.service';

/** Authors' list of prompt tasks, drafts and published, with their versions. */
@Component({
  selector: 'app-prompt-tasks-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, RouterLink],
  template: `
    <h1 class="page-title" data-testid="prompt-tasks-title">{{ t('prompts.title') }}</h1>
    <section class="card">
      <div class="card__head">
        <h2>{{ t('prompts.list') }}</h2>
        <span class="actions">
          <a class="btn btn--small" routerLink="/reviews" data-testid="link-reviews">{{ t('reviews.title') }}</a>
          <a class="btn btn--primary btn--small" routerLink="/prompt-tasks/new" data-testid="prompt-task-new">{{ t('prompts.create') }}</a>
        </span>
      </div>
      <p class="muted small">{{ t('prompts.listHelp') }}</p>
      <app-remote-view [state]="tasks.state()" [empty]="tasks.value()?.length === 0" [emptyText]="t('prompts.empty')" (retry)="tasks.reload()">
        <div class="table-wrap">
          <table class="table" data-testid="prompt-task-table">
            <caption class="visually-hidden">{{ t('prompts.list') }}</caption>
            <thead>
              <tr>
                <th scope="col">{{ t('prompts.field.title') }}</th>
                <th scope="col">{{ t('prompts.statusLabel') }}</th>
                <th scope="col">{{ t('prompts.version') }}</th>
                <th scope="col">{{ t('prompts.updatedAt') }}</th>
              </tr>
            </thead>
            <tbody>
              @for (task of tasks.value(); track task.id) {
                <tr data-testid="prompt-task-row">
                  <td [attr.data-label]="t('prompts.field.title')"><a [routerLink]="['/prompt-tasks', task.id]">{{ task.title }}</a></td>
                  <td [attr.data-label]="t('prompts.statusLabel')">
                    <span class="badge" [class.badge--ok]="task.status === 'published'">{{ t(task.status === 'published' ? 'prompts.published' : 'prompts.draft') }}</span>
                  </td>
                  <td [attr.data-label]="t('prompts.version')">
                    v{{ task.version }}
                    @if (task.publishedVersion !== null && task.publishedVersion !== task.version) {
                      <span class="muted small">{{ t('prompts.studentsSee', { version: task.publishedVersion }) }}</span>
                    }
                  </td>
                  <td [attr.data-label]="t('prompts.updatedAt')">{{ i18n.dateTime(task.updatedAt) }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </app-remote-view>
    </section>
  `,
  styles: `
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; }
    .btn { text-decoration: none; }
    .badge--ok { background: var(--success-soft); color: var(--success); }
  `,
})
export class PromptTasksPage {
  private readonly api = inject(PromptsApi);
  protected readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;
  protected readonly tasks = remote(() => this.api.list());
}

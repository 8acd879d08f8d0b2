import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Localized } from '../../core/i18n/localized';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { PromptsApi } from './prompts-api.service';

/** Students' list of published prompt tasks to practise. */
@Component({
  selector: 'app-practice-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, RouterLink],
  template: `
    <p class="small"><a routerLink="/student">← {{ t('nav.home') }}</a></p>
    <h1 class="page-title" data-testid="practice-title">{{ t('practice.title') }}</h1>
    <section class="card">
      <p class="muted">{{ t('practice.intro') }}</p>
      <app-remote-view [source]="tasks" [emptyText]="t('practice.empty')">
        <ul class="list" data-testid="practice-list">
          @for (task of tasks.value(); track task.id) {
            <li class="list__item">
              <a class="list__main" [routerLink]="['/practice/prompt-tasks', task.id]" data-testid="practice-task-link">{{ task.title }}</a>
              <span class="muted small">{{ i18n.dateTime(task.updatedAt) }}</span>
            </li>
          }
        </ul>
      </app-remote-view>
    </section>
  `,
})
export class PracticeListPage extends Localized {
  private readonly api = inject(PromptsApi);
  protected readonly tasks = remote(() => this.api.published());
}

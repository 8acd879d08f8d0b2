import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ReviewReason } from '@aitrainer/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { reviewReasonText } from '../prompts/prompt-labels';
import { PromptsApi } from '../prompts/prompts-api.service';

/** Answers the model did not grade on its own, oldest first, with why in plain words. */
@Component({
  selector: 'app-review-queue-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, RouterLink],
  template: `
    <p class="small"><a routerLink="/prompt-tasks">← {{ t('prompts.title') }}</a></p>
    <h1 class="page-title" data-testid="review-queue-title">{{ t('reviews.title') }}</h1>
    <section class="card">
      <div class="card__head">
        <h2>{{ t('reviews.waiting') }}</h2>
        <span class="actions">
          @if (items.value(); as list) { <span class="muted small">{{ t('common.total', { count: list.length }) }}</span> }
          <button type="button" class="btn btn--small" (click)="items.reload()">{{ t('common.refresh') }}</button>
        </span>
      </div>
      <p class="muted small">{{ t('reviews.help') }}</p>
      <app-remote-view [state]="items.state()" [empty]="items.value()?.length === 0" [emptyText]="t('reviews.empty')" (retry)="items.reload()">
        <div class="table-wrap">
          <table class="table" data-testid="review-table">
            <caption class="visually-hidden">{{ t('reviews.waiting') }}</caption>
            <thead>
              <tr>
                <th scope="col">{{ t('reviews.task') }}</th>
                <th scope="col">{{ t('reviews.student') }}</th>
                <th scope="col">{{ t('reviews.reason') }}</th>
                <th scope="col">{{ t('reviews.submittedAt') }}</th>
                <th scope="col"><span class="visually-hidden">{{ t('reviews.open') }}</span></th>
              </tr>
            </thead>
            <tbody>
              @for (item of items.value(); track item.answerId) {
                <tr data-testid="review-row">
                  <td [attr.data-label]="t('reviews.task')">{{ item.taskTitle }}</td>
                  <td [attr.data-label]="t('reviews.student')">{{ item.studentName }}</td>
                  <td [attr.data-label]="t('reviews.reason')" data-testid="review-reason">{{ reason(item.reason) }}</td>
                  <td [attr.data-label]="t('reviews.submittedAt')">{{ i18n.dateTime(item.submittedAt) }}</td>
                  <td [attr.data-label]="''"><a class="btn btn--small btn--primary" [routerLink]="['/reviews', item.answerId]" data-testid="review-open">{{ t('reviews.open') }}</a></td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </app-remote-view>
    </section>
  `,
  styles: `.actions { display: flex; gap: 0.75rem; align-items: center; } .btn { text-decoration: none; }`,
})
export class ReviewQueuePage {
  private readonly api = inject(PromptsApi);
  protected readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;
  protected readonly items = remote(() => this.api.reviewQueue());
  protected readonly reason = (reason: ReviewReason | null) => reviewReasonText(this.i18n, reason);
}

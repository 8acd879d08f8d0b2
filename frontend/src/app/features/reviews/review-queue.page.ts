import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ReviewItemSummary, ReviewReason } from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';
import { PageHeaderComponent } from '../../shared/components/page-header.component';
import { DataTableComponent, type TableColumn, by } from '../../shared/components/data-table.component';
import { remote } from '../../shared/util/remote';
import { reviewReasonText } from '../prompts/prompt-labels';
import { PromptsApi } from '../prompts/prompts-api.service';

/** Answers the model did not grade on its own, oldest first, with why in plain words. */
@Component({
  selector: 'app-review-queue-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DataTableComponent, PageHeaderComponent, RouterLink],
  template: `
    <app-page-header [title]="t('reviews.title')" testId="review-queue-title" [subtitle]="t('reviews.help')">
      @if (items.value(); as list) { <span class="muted small">{{ t('common.total', { count: list.length }) }}</span> }
      <button type="button" class="btn btn--small" (click)="items.reload()">{{ t('common.refresh') }}</button>
    </app-page-header>
    <section class="card" [attr.aria-label]="t('reviews.waiting')">
      <app-data-table [source]="items" [columns]="columns()" [trackBy]="trackById" [emptyText]="t('reviews.empty')"
                      testId="review-table" rowTestId="review-row">
        <ng-template let-item>
          <td>{{ item.taskTitle }}</td>
          <td>{{ item.studentName }}</td>
          <td data-testid="review-reason">{{ reason(item.reason) }}</td>
          <td>{{ i18n.dateTime(item.submittedAt) }}</td>
          <td><a class="btn btn--small btn--primary" [routerLink]="['/reviews', item.answerId]" data-testid="review-open">{{ t('reviews.open') }}</a></td>
        </ng-template>
      </app-data-table>
    </section>
  `,
  styles: `.btn { text-decoration: none; }`,
})
export class ReviewQueuePage extends Localized {
  private readonly api = inject(PromptsApi);
  protected readonly items = remote(() => this.api.reviewQueue());
  protected readonly reason = (reason: ReviewReason | null) => reviewReasonText(this.i18n, reason);
  protected readonly trackById = (item: ReviewItemSummary) => item.answerId;
  protected readonly columns = computed((): TableColumn<ReviewItemSummary>[] => [
    { label: this.t('reviews.task'), sort: by.text((item) => item.taskTitle) },
    { label: this.t('reviews.student'), sort: by.text((item) => item.studentName) },
    { label: this.t('reviews.reason'), sort: by.text((item) => this.reason(item.reason)) },
    { label: this.t('reviews.submittedAt'), sort: by.time((item) => item.submittedAt) },
    { label: this.t('reviews.open'), hiddenLabel: true },
  ]);
}

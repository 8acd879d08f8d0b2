import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { PromptAnswerView } from '@aitrainer/contracts';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import { checkKindText, checkNoteText, reviewReasonText } from './prompt-labels';

/** One answer's outcome: still grading, awaiting a person (and why), or the score with its feedback. */
@Component({
  selector: 'app-answer-result',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzTagModule],
  template: `
    @let a = answer();
    <div class="result" data-testid="answer-result" [attr.data-status]="a.status">
      @switch (a.status) {
        @case ('grading') {
          <p class="state state--loading" role="status" data-testid="answer-grading"><span class="spinner" aria-hidden="true"></span>{{ t('practice.grading') }}</p>
        }
        @case ('needs_review') {
          <div class="banner banner--info" data-testid="answer-needs-review">
            <strong>{{ t('practice.awaitingReview') }}</strong>
            <p class="reason" data-testid="answer-review-reason">{{ reason() }}</p>
          </div>
        }
        @default {
          <div class="score" data-testid="answer-score">
            <span class="score__value">{{ a.score ?? '—' }}</span><span class="score__of"> / 100</span>
            <span class="verdict" [class.verdict--ok]="a.passed" data-testid="answer-verdict">{{ a.passed ? t('practice.passed') : t('practice.failed') }}</span>
          </div>
          <p class="muted small" data-testid="answer-graded-by">
            {{ a.gradedBy === 'human' ? t('practice.gradedByHuman') : t('practice.gradedByModel') }}
            @if (a.executionScore !== null) { · {{ t('practice.executionScore', { score: a.executionScore }) }} }
            @if (a.rubricScore !== null) { · {{ t('practice.rubricScore', { score: a.rubricScore }) }} }
          </p>
          @if (a.reviewerComment) {
            <blockquote class="comment" data-testid="answer-reviewer-comment"><strong>{{ t('practice.reviewerComment') }}</strong> {{ a.reviewerComment }}</blockquote>
          }
        }
      }

      @if (a.cases.length) {
        <h3>{{ t('practice.cases') }}</h3>
        <ul class="cases" data-testid="answer-cases">
          @for (c of a.cases; track c.case) {
            <li>
              <span class="mark" [class.mark--ok]="c.passed" aria-hidden="true">{{ c.passed ? '✓' : '✗' }}</span>
              <strong>{{ t('practice.caseN', { n: c.case }) }}</strong>
              <span class="muted small">{{ c.passed ? t('practice.casePassed') : t('practice.caseFailed') }}</span>
              <ul class="checks">
                @for (check of c.checks; track $index) {
                  <li><nz-tag>{{ kindText(check.kind) }}</nz-tag> {{ note(check.note) }}</li>
                }
              </ul>
            </li>
          }
        </ul>
      }
      @if (a.criteria.length) {
        <h3>{{ t('practice.criteria') }}</h3>
        <ul class="criteria" data-testid="answer-criteria">
          @for (c of a.criteria; track c.id) {
            <li>
              <div class="criterion__head"><strong>{{ c.name }}</strong><span class="mono">{{ c.score }} / {{ c.maxScore }}</span></div>
              @if (c.rationale) { <p class="small">{{ c.rationale }}</p> }
              @if (c.evidence) { <p class="small muted">{{ t('practice.evidence') }}「{{ c.evidence }}」</p> }
            </li>
          }
        </ul>
      }
    </div>
  `,
  styles: `
    .score { display: flex; align-items: baseline; gap: 0.4rem; flex-wrap: wrap; }
    .score__value { font-size: 2.2rem; font-weight: 700; line-height: 1; }
    .score__of { color: var(--text-muted); }
    .verdict { margin-left: 0.5rem; padding: 0.1rem 0.6rem; border-radius: 999px; background: var(--danger-soft); color: var(--danger); font-weight: 600; }
    .verdict--ok { background: var(--success-soft); color: var(--success); }
    .reason { margin: 0.3rem 0 0; }
    .comment { margin: 0.5rem 0; padding: 0.5rem 0.75rem; border-left: 3px solid var(--brand); background: var(--brand-soft); }
    h3 { font-size: 0.95rem; margin: 1rem 0 0.4rem; }
    .cases, .criteria, .checks { list-style: none; margin: 0; padding: 0; }
    .cases > li, .criteria > li { padding: 0.45rem 0; border-bottom: 1px solid var(--border); }
    .checks { margin: 0.2rem 0 0 1.6rem; font-size: 0.88rem; }
    .mark { display: inline-block; width: 1.3rem; color: var(--danger); font-weight: 700; }
    .mark--ok { color: var(--success); }
    .cases > li > .muted { margin-left: 0.4rem; }
    .criterion__head { display: flex; justify-content: space-between; gap: 1rem; }
    .criteria p { margin: 0.2rem 0 0; }
  `,
})
export class AnswerResultComponent extends Localized {
  readonly answer = input.required<PromptAnswerView>();
  protected readonly reason = computed(() => reviewReasonText(this.i18n, this.answer().reviewReason));
  protected readonly kindText = (kind: PromptAnswerView['cases'][number]['checks'][number]['kind']) => checkKindText(this.i18n, kind);
  protected readonly note = (note: string) => checkNoteText(this.i18n, note);
}

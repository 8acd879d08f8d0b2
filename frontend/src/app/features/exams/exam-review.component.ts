import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import type { ExamReviewView, ReviewQuestionView } from '@aitrainer/contracts';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import { ExamsApi } from './exams-api.service';

/** Where the server put an imported question's files (GET /attempts/:id/media/:questionId/:name). */
const MEDIA_URL = /\/api\/v1\/attempts\/\d+\/media\/\d+\/[^"'\s<>]+/g;

/**
 * The candidate's review of a published result: each question as on their paper, their answer, the feedback the
 * author wrote for what they chose, and the general feedback. The API sends nothing of the key.
 */
@Component({
  selector: 'app-exam-review',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzTagModule],
  styles: [`
    .review-q { border-top: 1px solid var(--border, #e5e7eb); padding: 12px 0; }
    .review-q img, .review-q video { max-width: 100%; height: auto; }
    .chosen { font-weight: 600; }
    .feedback { background: var(--surface-muted, #f6f8fa); padding: 6px 10px; border-radius: 4px; margin: 4px 0; }
  `],
  template: `
    @for (p of review().parts; track p.attemptId) {
      <section [attr.data-testid]="'review-' + p.part">
        <h3>{{ t(p.part === 'theory' ? 'exams.partTheory' : 'exams.partPractical') }}</h3>
        @for (q of p.questions; track q.questionId) {
          <article class="review-q" [attr.data-testid]="'review-question-' + q.questionId">
            <p><strong>{{ q.position }}.</strong> {{ t('exams.review.points', { n: q.points }) }}</p>
            @if (q.format === 'html') { <div [innerHTML]="withMedia(q.stem)"></div> } @else { <p>{{ q.stem }}</p> }
            @if (q.options) {
              <ul>
                @for (o of q.options; track o.key; let i = $index) {
                  <li [class.chosen]="isChosen(q, o.key)">{{ letter(i) }}. @if (q.format === 'html') { <span [innerHTML]="withMedia(o.text)"></span> } @else { {{ o.text }} }
                    @if (isChosen(q, o.key)) { <span class="badge">{{ t('exams.review.yourChoice') }}</span> }</li>
                }
              </ul>
              @if (!chosenAny(q)) { <p class="muted">{{ t('exams.review.blank') }}</p> }
            } @else {
              <p>{{ t('exams.review.yourAnswer') }}<span data-testid="review-answer">{{ answerText(q) }}</span></p>
            }
            @for (f of q.answerFeedback; track f.key) {
              <p class="feedback" data-testid="review-answer-feedback">{{ t('exams.review.answerFeedback') }}@if (q.format === 'html') { <span [innerHTML]="withMedia(f.text)"></span> } @else { {{ f.text }} }</p>
            }
            @if (q.generalFeedback) {
              <p class="feedback" data-testid="review-general-feedback">{{ t('exams.review.generalFeedback') }}@if (q.format === 'html') { <span [innerHTML]="withMedia(q.generalFeedback)"></span> } @else { {{ q.generalFeedback }} }</p>
            }
          </article>
        }
      </section>
    }
  `,
})
export class ExamReviewComponent extends Localized {
  readonly review = input.required<ExamReviewView>();
  private readonly api = inject(ExamsApi);
  private readonly mediaUrls = signal<Record<string, string>>({});

  constructor() {
    super();
    effect(() => {
      const wanted = new Set<string>();
      for (const p of this.review().parts)
        for (const q of p.questions) {
          if (q.format !== 'html') continue;
          const texts = [q.stem, ...(q.options ?? []).map((o) => o.text), ...q.answerFeedback.map((f) => f.text), q.generalFeedback ?? ''];
          for (const text of texts) for (const m of text.match(MEDIA_URL) ?? []) wanted.add(m);
        }
      for (const url of wanted) {
        this.api.media(url.replace(/&amp;/g, '&')).subscribe({ next: (objectUrl) => this.mediaUrls.update((all) => ({ ...all, [url]: objectUrl })), error: () => undefined });
      }
    });
  }

  /** The question's files as object URLs (fetched with the access token); a file still loading shows nothing. */
  protected withMedia(html: string): string {
    const urls = this.mediaUrls();
    return html.replace(MEDIA_URL, (url) => urls[url] ?? '');
  }
  protected isChosen(q: ReviewQuestionView, key: string): boolean {
    return Array.isArray(q.answer) ? q.answer.includes(key) : q.answer === key;
  }
  protected chosenAny(q: ReviewQuestionView): boolean {
    return (q.options ?? []).some((o) => this.isChosen(q, o.key));
  }
  protected answerText(q: ReviewQuestionView): string {
    const a = q.answer;
    if (a === null || a === '') return this.t('exams.review.blank');
    if (typeof a === 'boolean') return this.t(a ? 'exams.true' : 'exams.false');
    if (typeof a === 'string') return a;
    if (q.type === 'matching' && !Array.isArray(a)) {
      return (q.matchPrompts ?? []).map((p) => `${p.text.replace(/<[^>]*>/g, '')} → ${String((a as Record<string, unknown>)[p.key] ?? '—')}`).join('；');
    }
    return this.t('exams.review.practicalAnswer');
  }
  protected letter(i: number): string {
    return String.fromCharCode(65 + i);
  }
}

import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { ActivatedRoute, RouterLink } from '@angular/router';
import type { OutputCheckKind, ReviewDetail, RubricCriterion } from '@aitrainer/contracts';
import { type ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { fieldErrorMap, problemMessage } from '../../core/notifications/problem-text';
import { FieldErrorComponent } from '../../shared/components/field-error.component';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { AnswerResultComponent } from '../prompts/answer-result.component';
import { checkKindText, checkNoteText, reviewReasonText } from '../prompts/prompt-labels';
import { PromptsApi } from '../prompts/prompts-api.service';
import { GuardReportComponent } from './guard-report.component';

/** One answer under human review: everything the machine saw and said, and the reviewer's grade. */
@Component({
  selector: 'app-review-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzInputNumberModule, RouterLink, RemoteViewComponent, FieldErrorComponent, AnswerResultComponent, GuardReportComponent],
  templateUrl: './review-detail.page.html',
  styleUrl: './review-detail.page.css',
})
export class ReviewDetailPage extends Localized {
  private readonly api = inject(PromptsApi);
  private readonly notifications = inject(NotificationService);
  private readonly id = Number(inject(ActivatedRoute).snapshot.paramMap.get('id'));

  protected readonly loaded = remote(() => this.api.reviewDetail(this.id));
  private readonly updated = signal<ReviewDetail | null>(null);
  protected readonly detail = computed(() => this.updated() ?? this.loaded.value());

  /** Typed text per criterion id ('' until the reviewer types). */
  protected readonly scores = signal<Readonly<Record<string, string>>>({});
  protected readonly comment = signal('');
  protected readonly tried = signal(false);
  protected readonly saving = signal(false);
  private readonly problem = signal<ApiProblem | null>(null);
  protected readonly serverErrors = computed(() => fieldErrorMap(this.problem(), this.i18n));
  protected readonly problemText = computed(() => {
    const problem = this.problem();
    return problem ? problemMessage(problem, this.i18n) : null;
  });

  protected readonly reason = computed(() => reviewReasonText(this.i18n, this.detail()?.answer.reviewReason ?? null));
  protected readonly kindText = (kind: OutputCheckKind) => checkKindText(this.i18n, kind);
  protected readonly note = (note: string) => checkNoteText(this.i18n, note);

  /** Judge runs' scores by criterion: `[{run: 1, score, rationale, evidence}, …]`. */
  protected judged(criterionId: string) {
    return (this.detail()?.machine?.judgeRuns ?? []).map((run, i) => ({ run: i + 1, ...run.criteria.find((c) => c.id === criterionId) }));
  }

  protected inputEntries(input: Record<string, string>): [string, string][] {
    return Object.entries(input);
  }

  protected scoreText(id: string): string {
    return this.scores()[id] ?? '';
  }

  protected scoreValue(id: string): number | null {
    const text = this.scoreText(id).trim();
    return text === '' || !Number.isFinite(Number(text)) ? null : Number(text);
  }

  protected setScore(id: string, value: number | null): void {
    this.scores.update((all) => ({ ...all, [id]: value === null || value === undefined ? '' : String(value) }));
  }

  protected setComment(event: Event): void {
    this.comment.set((event.target as HTMLTextAreaElement).value);
  }

  /** The reviewer's own check, before the server's: a number from 0 to the criterion's maximum. */
  protected scoreError(c: RubricCriterion, index: number): string | undefined {
    const server = this.serverErrors()[`criteria[${index}].score`] ?? this.serverErrors()[`criteria[${index}]`];
    if (!this.tried()) return server;
    const text = this.scoreText(c.id).trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n) || n < 0 || n > c.maxScore) return this.t('reviews.scoreRange', { max: c.maxScore });
    return server;
  }

  protected commentError(): string | undefined {
    if (this.tried() && !this.comment().trim()) return this.t('reviews.commentRequired');
    return this.serverErrors()['comment'];
  }

  protected submit(detail: ReviewDetail): void {
    this.tried.set(true);
    const rubric = detail.task.definition.rubric;
    if (this.saving() || rubric.some((c, i) => this.scoreError(c, i)) || this.commentError()) return;
    this.saving.set(true);
    this.problem.set(null);
    const body = { criteria: rubric.map((c) => ({ id: c.id, score: Number(this.scoreText(c.id)) })), comment: this.comment().trim() };
    this.api.review(this.id, body).subscribe({
      next: (result) => {
        this.saving.set(false);
        this.updated.set(result);
        this.notifications.success('reviews.saved', { score: result.answer.score ?? '—' });
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.problem.set(toApiProblem(error));
      },
    });
  }
}

import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { ExamPart, ExamResultView, ExamReviewView, MyExamState, MyRegistrationView } from '@aitrainer/contracts';
import { toApiProblem, type ApiProblem } from '../../core/http/api-problem';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import { codedProblemText, problemMessage } from '../../core/notifications/problem-text';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { ExamsApi } from './exams-api.service';
import { ExamReviewComponent } from './exam-review.component';

/** The candidate's registrations (准考证号): start or resume a part, read a published result. */
@Component({
  selector: 'app-my-exams-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, ExamReviewComponent, NzTagModule],
  template: `
    <h1 class="page-title">{{ t('exams.myExams') }}</h1>
    <app-remote-view [source]="registrations">
      @if (registrations.value(); as regs) {
        @if (!regs.length) { <p class="muted">{{ t('exams.noRegistrations') }}</p> }
        @for (r of regs; track r.id) {
          <section class="card section-gap" [attr.data-testid]="'registration-' + r.id">
            <h2>{{ r.examTitle }}</h2>
            <p>{{ levelName(r.level) }} · <span class="badge" [attr.data-testid]="'state-' + r.id">{{ stateName(r.state) }}</span></p>
            <p>{{ t('exams.window', { from: i18n.dateTime(r.startsAt), to: i18n.dateTime(r.endsAt) }) }} · {{ r.venue }}</p>
            <p>{{ t('exams.ticket') }}: <span class="mono">{{ r.ticketNumber }}</span>
              @if (r.extraMinutes) { · {{ t('exams.extraTime', { minutes: r.extraMinutes }) }} }</p>
            <ul>
              @for (p of r.parts; track p.part) {
                <li>{{ t(p.part === 'theory' ? 'exams.partTheory' : 'exams.partPractical') }}（{{ t('exams.minutes', { n: p.durationMinutes }) }}）：{{ partStateName(p.state) }}
                  @if (p.state !== 'submitted' && isOpen(r)) {
                    <button type="button" class="btn btn--primary btn--small" (click)="start(r.id, p.part)" [attr.data-testid]="'start-' + p.part + '-' + r.id">{{ t(p.state === 'in_progress' ? 'exams.continuePart' : p.part === 'theory' ? 'exams.startTheory' : 'exams.startPractical') }}</button>
                  }
                </li>
              }
            </ul>
            @if (r.state === 'published') {
              <p><button type="button" class="btn btn--small" (click)="showResult(r.id)" [attr.data-testid]="'result-' + r.id">{{ t('exams.result') }}</button></p>
            } @else if (r.provisionalResult; as pr) {
              <p data-testid="provisional-result">{{ t('exams.provisionalResult') }}：{{ pr.passed ? t('exams.passed') : t('exams.notPassed') }} ·
                @for (p of pr.parts; track p.part) { {{ t(p.part === 'theory' ? 'exams.partTheory' : 'exams.partPractical') }} {{ p.scaled }} }</p>
              <p class="muted">{{ t('exams.provisionalNote') }}</p>
            } @else if (r.state === 'submitted' || r.state === 'being_graded') {
              <p class="muted">{{ t('exams.resultPending') }}</p>
            } @else if (!isOpen(r)) {
              <p class="muted">{{ t(now() < r.startsAt ? 'exams.notYetOpen' : 'exams.closed') }}</p>
            }
            @if (results()[r.id]; as res) {
              <p data-testid="result">{{ res.passed ? t('exams.passed') : t('exams.notPassed') }} ·
                @for (p of res.parts; track p.part) { {{ t(p.part === 'theory' ? 'exams.partTheory' : 'exams.partPractical') }} {{ p.scaled }} }</p>
              @if (reviews()[r.id]; as rev) {
                <app-exam-review [review]="rev" />
              } @else {
                <p><button type="button" class="btn btn--small" (click)="showReview(r.id)" [attr.data-testid]="'review-open-' + r.id">{{ t('exams.reviewOpen') }}</button></p>
              }
            }
            @if (problem()[r.id]) { <p class="error" role="alert">{{ problem()[r.id] }}</p> }
          </section>
        }
      }
    </app-remote-view>
  `,
})
export class MyExamsPage extends Localized {
  protected readonly now = () => new Date().toISOString();
  protected readonly isOpen = (r: MyRegistrationView) => r.startsAt <= this.now() && this.now() < r.endsAt;
  protected readonly levelName = (level: number) => this.t(`level.${level}` as 'level.5');
  protected readonly stateName = (s: MyExamState) => this.t(`exams.state.${s}`);
  protected readonly partStateName = (s: 'not_started' | 'in_progress' | 'submitted') => this.t(`exams.partState.${s}`);
  private readonly api = inject(ExamsApi);
  private readonly router = inject(Router);
  protected readonly registrations = remote(() => this.api.myRegistrations());
  protected readonly results = signal<Record<number, ExamResultView>>({});
  protected readonly problem = signal<Record<number, string>>({});
  protected readonly reviews = signal<Record<number, ExamReviewView>>({});

  constructor() {
    super();
    // Submitting only acknowledges: a worker scores the paper. While one is being graded, read the list again every
    // few seconds so the provisional result appears without a reload.
    let timer: ReturnType<typeof setTimeout> | null = null;
    effect(() => {
      const regs = this.registrations.value();
      if (timer) clearTimeout(timer);
      timer = regs?.some((r) => r.state === 'being_graded' || (r.state === 'submitted' && !r.provisionalResult)) ? setTimeout(() => this.registrations.reload(), 3000) : null;
    });
    inject(DestroyRef).onDestroy(() => {
      if (timer) clearTimeout(timer);
    });
  }

  protected start(registrationId: number, part: ExamPart): void {
    this.api.start(registrationId, part).subscribe({
      next: (a) => void this.router.navigate(['/student/exams/attempts', a.id]),
      error: (e: unknown) => this.problem.update((p) => ({ ...p, [registrationId]: this.startProblem(toApiProblem(e)) })),
    });
  }

  protected showReview(registrationId: number): void {
    this.api.review(registrationId).subscribe({
      next: (rev) => this.reviews.update((r) => ({ ...r, [registrationId]: rev })),
      error: () => this.problem.update((p) => ({ ...p, [registrationId]: this.t('exams.resultNotPublished') })),
    });
  }

  /** A start refused before or after the session's window is worded with its time; anything else as usual. */
  private startProblem(problem: ApiProblem): string {
    const coded = problem.fields.find((f) => f.code === 'SESSION_NOT_STARTED' || f.code === 'SESSION_ENDED');
    if (coded) {
      const at = (v: string | number | undefined) => this.i18n.dateTime(typeof v === 'string' ? v : null);
      const text = codedProblemText({ code: coded.code, params: { startsAt: at(coded.params?.['startsAt']), endsAt: at(coded.params?.['endsAt']) } }, this.i18n);
      if (text) return text;
    }
    return problemMessage(problem, this.i18n);
  }

  protected showResult(registrationId: number): void {
    this.api.result(registrationId).subscribe({
      next: (res) => this.results.update((r) => ({ ...r, [registrationId]: res })),
      error: () => this.problem.update((p) => ({ ...p, [registrationId]: this.t('exams.resultNotPublished') })),
    });
  }
}

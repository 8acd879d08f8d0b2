import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { ExamPart, ExamResultView } from '@aitrainer/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { ExamsApi } from './exams-api.service';

/** The candidate's registrations (准考证号): start or resume a part, read a published result. */
@Component({
  selector: 'app-my-exams-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent],
  template: `
    <h1 class="page-title">{{ t('exams.myExams') }}</h1>
    <app-remote-view [state]="registrations.state()" (retry)="registrations.reload()">
      @if (registrations.value(); as regs) {
        @if (!regs.length) { <p class="muted">{{ t('exams.noRegistrations') }}</p> }
        @for (r of regs; track r.id) {
          <section class="card section-gap" [attr.data-testid]="'registration-' + r.id">
            <p>{{ t('exams.ticket') }}: <span class="mono">{{ r.ticketNumber }}</span>
              @if (r.extraMinutes) { · {{ t('exams.extraTime', { minutes: r.extraMinutes }) }} }</p>
            <p>
              @for (part of parts; track part) {
                <button type="button" class="btn btn--primary btn--small" (click)="start(r.id, part)" [attr.data-testid]="'start-' + part + '-' + r.id">{{ t(part === 'theory' ? 'exams.startTheory' : 'exams.startPractical') }}</button>
                {{ ' ' }}
              }
              <button type="button" class="btn btn--small" (click)="showResult(r.id)">{{ t('exams.result') }}</button>
            </p>
            @if (results()[r.id]; as res) {
              <p data-testid="result">{{ res.passed ? t('exams.passed') : t('exams.notPassed') }} ·
                @for (p of res.parts; track p.part) { {{ t(p.part === 'theory' ? 'exams.partTheory' : 'exams.partPractical') }} {{ p.scaled }} }</p>
            }
            @if (problem()[r.id]) { <p class="error" role="alert">{{ problem()[r.id] }}</p> }
          </section>
        }
      }
    </app-remote-view>
  `,
})
export class MyExamsPage {
  protected readonly t = inject(I18n).t;
  private readonly api = inject(ExamsApi);
  private readonly router = inject(Router);
  protected readonly parts: ExamPart[] = ['theory', 'practical'];
  protected readonly registrations = remote(() => this.api.myRegistrations());
  protected readonly results = signal<Record<number, ExamResultView>>({});
  protected readonly problem = signal<Record<number, string>>({});

  protected start(registrationId: number, part: ExamPart): void {
    this.api.start(registrationId, part).subscribe({
      next: (a) => void this.router.navigate(['/student/exams/attempts', a.id]),
      error: (e: { error?: { message?: string } }) => this.problem.update((p) => ({ ...p, [registrationId]: e.error?.message ?? this.t('exams.loadFailed') })),
    });
  }

  protected showResult(registrationId: number): void {
    this.api.result(registrationId).subscribe({
      next: (res) => this.results.update((r) => ({ ...r, [registrationId]: res })),
      error: () => this.problem.update((p) => ({ ...p, [registrationId]: this.t('exams.resultNotPublished') })),
    });
  }
}

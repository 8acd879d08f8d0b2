import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Confirm } from '../../shared/util/confirm';
import { FormsModule } from '@angular/forms';
import type { ExamSessionView, ExamView } from '@aitrainer/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import { NotificationService } from '../../core/notifications/notification.service';
import { ExamAdminApi } from './exam-admin-api.service';
import { CohortRegistrationComponent } from './cohort-registration.component';

/** The org admin's exam sessions (场次): schedule, register candidates (eligibility checked), publish results. */
@Component({
  selector: 'app-exam-sessions-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, CohortRegistrationComponent],
  template: `
    <h1 class="page-title">{{ t('sessions.title') }}</h1>
    <section class="card section-gap">
      <h2>{{ t('sessions.new') }}</h2>
      <div class="grid grid--2">
        <label class="field"><span>{{ t('sessions.exam') }}</span>
          <select [(ngModel)]="examId" name="examId" data-testid="session-exam">@for (e of exams(); track e.id) { <option [ngValue]="e.id">{{ e.title }}</option> }</select></label>
        <label class="field"><span>{{ t('sessions.venue') }}</span><input [(ngModel)]="venue" name="venue" data-testid="session-venue" /></label>
        <label class="field"><span>{{ t('sessions.startsAt') }}</span><input type="datetime-local" [(ngModel)]="startsAt" name="startsAt" data-testid="session-starts" /></label>
        <label class="field"><span>{{ t('sessions.endsAt') }}</span><input type="datetime-local" [(ngModel)]="endsAt" name="endsAt" data-testid="session-ends" /></label>
      </div>
      <p><button type="button" class="btn btn--primary" [disabled]="!examId || !venue || !startsAt || !endsAt" (click)="schedule()" data-testid="session-schedule">{{ t('sessions.schedule') }}</button></p>
    </section>
    <section class="card section-gap">
      <h2>{{ t('sessions.list') }}</h2>
      @for (s of sessions(); track s.id) {
        <article class="section-gap" [attr.data-testid]="'session-' + s.id">
          <h3>{{ s.examTitle }} · {{ levelName(s.level) }}</h3>
          <p>{{ s.venue }} · {{ i18n.dateTime(s.startsAt) }} – {{ i18n.dateTime(s.endsAt) }}</p>
          <p class="muted" [attr.data-testid]="'session-counts-' + s.id">{{ t('sessions.counts', s.counts) }}</p>
          <p>
            <label>{{ t('sessions.candidate') }} <input [(ngModel)]="candidates[s.id]" [name]="'user' + s.id" autocomplete="off" [attr.data-testid]="'candidate-' + s.id" /></label>
            <label>{{ t('sessions.extraMinutes') }} <input type="number" min="0" max="600" [(ngModel)]="extra[s.id]" [name]="'extra' + s.id" [attr.data-testid]="'extra-' + s.id" /></label>
            <button type="button" class="btn btn--small" [disabled]="!candidates[s.id]?.trim()" (click)="register(s)" [attr.data-testid]="'register-' + s.id">{{ t('sessions.register') }}</button>
            <button type="button" class="btn btn--small btn--primary" (click)="publish(s)" [attr.data-testid]="'publish-' + s.id">{{ t('sessions.publish') }}</button>
          </p>
          <app-cohort-registration [sessionId]="s.id" (changed)="reload()" />
        </article>
      } @empty {
        <p class="muted" data-testid="sessions-empty">{{ t('sessions.empty') }}</p>
      }
      @if (message()) { <p role="status">{{ message() }}</p> }
    </section>
  `,
})
export class ExamSessionsPage {
  protected readonly i18n = inject(I18n);
  private readonly confirm = inject(Confirm);
  protected readonly t = this.i18n.t;
  private readonly api = inject(ExamAdminApi);
  private readonly notifications = inject(NotificationService);
  protected readonly exams = signal<ExamView[]>([]);
  protected readonly sessions = signal<ExamSessionView[]>([]);
  protected readonly message = signal<string | null>(null);
  protected examId: number | null = null;
  protected venue = '';
  protected startsAt = '';
  protected endsAt = '';
  /** Per session: the candidate's username, or their numeric account id. */
  protected candidates: Record<number, string> = {};
  protected extra: Record<number, number | null> = {};

  constructor() {
    this.api.exams().subscribe((rows) => this.exams.set(rows));
    this.reload();
  }

  protected readonly levelName = (level: number) => this.t(`level.${level}` as 'level.5');

  protected reload(): void {
    this.api.sessions().subscribe((rows) => this.sessions.set(rows));
  }

  /** Errors in the reader's language, with the field each problem is about (eligibility, username, …). */
  private fail(e: unknown): void {
    this.message.set(null);
    this.notifications.error(e);
  }

  protected schedule(): void {
    if (this.examId === null) return;
    this.api.createSession({ examId: this.examId, venue: this.venue, startsAt: new Date(this.startsAt).toISOString(), endsAt: new Date(this.endsAt).toISOString() }).subscribe({ next: () => this.reload(), error: (e) => this.fail(e) });
  }

  protected register(s: ExamSessionView): void {
    const who = (this.candidates[s.id] ?? '').trim();
    if (!who) return;
    const candidate = /^\d+$/.test(who) ? { userId: Number(who) } : { username: who };
    this.api.register(s.id, candidate, Number(this.extra[s.id] ?? 0)).subscribe({
      next: (r) => {
        this.message.set(this.t('sessions.ticketIssued', { ticket: r.ticketNumber }));
        this.candidates[s.id] = '';
        this.reload();
      },
      error: (e) => this.fail(e),
    });
  }

  protected async publish(s: ExamSessionView): Promise<void> {
    // Ask first, naming what is still open: candidates who have not submitted and submissions not yet graded.
    const open = s.counts.registered - s.counts.submitted;
    const ungraded = s.counts.submitted - s.counts.graded;
    if (!(await this.confirm.ask(this.t('sessions.publishConfirm', { graded: s.counts.graded, open, ungraded })))) return;
    this.api.publishResults(s.id).subscribe({ next: (r) => this.message.set(this.t('sessions.publishedCount', { n: r.published, incomplete: r.stillIncomplete })), error: (e) => this.fail(e) });
  }
}

import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Confirm } from '../../shared/util/confirm';
import { FormsModule, type NgForm } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzSelectModule } from 'ng-zorro-antd/select';
import type { ExamSessionView, ExamView } from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { ExamAdminApi } from './exam-admin-api.service';
import { CohortRegistrationComponent } from './cohort-registration.component';
import { DateTimeFieldComponent } from '../../shared/components/date-time-field.component';
import { FormFieldComponent } from '../../shared/components/form-field.component';

/** The org admin's exam sessions (场次): schedule, register candidates (eligibility checked), publish results. */
@Component({
  selector: 'app-exam-sessions-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, CohortRegistrationComponent, DateTimeFieldComponent, NzButtonModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule],
  styles: `
    nz-select { width: 100%; }
    .register { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
    .register .candidate { width: 14rem; max-width: 100%; }
  `,
  template: `
    <h1 class="page-title">{{ t('sessions.title') }}</h1>
    <section class="card section-gap">
      <h2>{{ t('sessions.new') }}</h2>
      <form nz-form nzLayout="vertical" #form="ngForm" (ngSubmit)="schedule(form)" data-testid="session-form">
        <div class="grid grid--2">
          <app-form-field required [label]="t('sessions.exam')" fieldId="session-exam" [invalidTip]="t('sessions.examRequired')">
            <nz-select nzId="session-exam" [(ngModel)]="examId" name="examId" required [nzPlaceHolder]="t('sessions.exam')" data-testid="session-exam">
              @for (e of exams(); track e.id) { <nz-option [nzValue]="e.id" [nzLabel]="e.title" /> }
            </nz-select>
          </app-form-field>
          <app-form-field required [label]="t('sessions.venue')" fieldId="session-venue" [invalidTip]="t('sessions.venueRequired')">
            <input nz-input id="session-venue" [(ngModel)]="venue" name="venue" required maxlength="200" data-testid="session-venue" />
          </app-form-field>
          <app-date-time-field fieldId="session-starts" testId="session-starts" [label]="t('sessions.startsAt')" required [requiredMessage]="t('sessions.startsRequired')" [showErrors]="submitted()" [(ngModel)]="startsAt" name="startsAt" />
          <app-date-time-field fieldId="session-ends" testId="session-ends" [label]="t('sessions.endsAt')" required [requiredMessage]="t('sessions.endsRequired')" [showErrors]="submitted()" [problem]="endsBeforeStart() ? t('sessions.endsBeforeStart') : null" [(ngModel)]="endsAt" name="endsAt" />
        </div>
        <button nz-button nzType="primary" type="submit" data-testid="session-schedule">{{ t('sessions.schedule') }}</button>
      </form>
    </section>
    <section class="card section-gap">
      <h2>{{ t('sessions.list') }}</h2>
      @for (s of sessions(); track s.id) {
        <article class="section-gap" [attr.data-testid]="'session-' + s.id">
          <h3>{{ s.examTitle }} · {{ levelName(s.level) }}</h3>
          <p>{{ s.venue }} · {{ i18n.dateTime(s.startsAt) }} – {{ i18n.dateTime(s.endsAt) }}</p>
          <p class="muted" [attr.data-testid]="'session-counts-' + s.id">{{ t('sessions.counts', s.counts) }}</p>
          <p class="register">
            <label>{{ t('sessions.candidate') }} <input nz-input class="candidate" [(ngModel)]="candidates[s.id]" [name]="'user' + s.id" autocomplete="off" [attr.data-testid]="'candidate-' + s.id" /></label>
            <label>{{ t('sessions.extraMinutes') }} <nz-input-number [nzMin]="0" [nzMax]="600" [nzStep]="5" [(ngModel)]="extra[s.id]" [name]="'extra' + s.id" [attr.data-testid]="'extra-' + s.id" /></label>
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
export class ExamSessionsPage extends Localized {
  private readonly confirm = inject(Confirm);
  private readonly api = inject(ExamAdminApi);
  private readonly notifications = inject(NotificationService);
  private readonly toast = inject(NzMessageService);
  protected readonly exams = signal<ExamView[]>([]);
  protected readonly sessions = signal<ExamSessionView[]>([]);
  protected readonly message = signal<string | null>(null);
  protected examId: number | null = null;
  protected venue = '';
  /** Instants (ISO); the fields show and take them as a wall clock in the display time zone. */
  protected startsAt: string | null = null;
  protected endsAt: string | null = null;
  /** After a first try at scheduling: every missing field says so. */
  protected readonly submitted = signal(false);
  /** Per session: the candidate's username, or their numeric account id. */
  protected candidates: Record<number, string> = {};
  protected extra: Record<number, number | null> = {};

  constructor() {
    super();
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

  protected endsBeforeStart(): boolean {
    return !!this.startsAt && !!this.endsAt && Date.parse(this.endsAt) <= Date.parse(this.startsAt);
  }

  protected schedule(form: NgForm): void {
    const { startsAt, endsAt } = this;
    this.submitted.set(true);
    if (form.invalid || this.examId === null || !startsAt || !endsAt || this.endsBeforeStart()) {
      // Show every field's message at once.
      Object.values(form.controls).forEach((c) => {
        c.markAsDirty();
        c.updateValueAndValidity();
      });
      return;
    }
    this.api.createSession({ examId: this.examId, venue: this.venue.trim(), startsAt, endsAt }).subscribe({
      next: () => {
        this.toast.success(this.t('sessions.scheduled'));
        this.reload();
      },
      error: (e) => this.fail(e),
    });
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

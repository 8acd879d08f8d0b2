import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzStepsModule } from 'ng-zorro-antd/steps';
import { type Subscription, interval, startWith, switchMap } from 'rxjs';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { ExamAdminApi } from '../exams/exam-admin-api.service';
import { CertificatesApi, type IssueSessionView, type SessionProgressView } from './certificates-api.service';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

/** Batch issuance for an exam session: progress polled from the server; pressing again resumes without duplicates. */
@Component({
  selector: 'app-batch-issuance',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, NzSelectModule, NzStepsModule, RemoteViewComponent, NzFormModule, NzButtonModule],
  styles: `.progress-label { display: grid; gap: 0.3rem; } progress { width: 100%; height: 1.25rem; } .steps { display: block; margin-bottom: 1rem; } .batch-session nz-select { min-width: 18rem; max-width: 100%; }`,
  template: `
    <app-remote-view [source]="sessions" [emptyText]="t('certs.batch.noSessions')">
      <nz-steps class="steps" nzSize="small" [nzCurrent]="step()" data-testid="batch-steps">
        <nz-step [nzTitle]="t('certs.batch.stepSession')" />
        <nz-step [nzTitle]="t('certs.batch.stepIssue')" />
        <nz-step [nzTitle]="t('certs.batch.stepDone')" />
      </nz-steps>
      <div nz-form nzLayout="inline" class="inline-form">
        <app-form-field class="batch-session" [label]="t('certs.batch.session')" fieldId="batch-session">
          <nz-select nzId="batch-session" [ngModel]="sessionId()" (ngModelChange)="choose($event)" nzAllowClear [nzPlaceHolder]="t('certs.batch.session')" data-testid="batch-session">
          @for (s of sessions.value() ?? []; track s.id) {
            <nz-option [nzValue]="s.id" [nzLabel]="'#' + s.id + ' ' + s.venue + ' · ' + i18n.dateTime(s.startsAt)" />
          }
          </nz-select>
        </app-form-field>
        <button nz-button nzType="primary" type="button" [disabled]="sessionId() === null || running()" (click)="issue()" data-testid="batch-issue">
          {{ running() ? t('certs.batch.running') : progress() && progress()!.certified > 0 && progress()!.certified < progress()!.passed ? t('certs.batch.resume') : t('certs.batch.issue') }}
        </button>
      </div>
      @if (progress(); as p) {
        <div class="section-gap" data-testid="batch-progress">
          <label class="progress-label">
            <span>{{ t('certs.batch.progress', { certified: p.certified, passed: p.passed }) }}</span>
            <progress [value]="p.certified" [max]="p.passed || 1" [attr.aria-valuetext]="percent() + '%'"></progress>
          </label>
        </div>
      }
      @if (result(); as r) {
        <p role="status" data-testid="batch-result">{{ t('certs.batch.result', { issued: r.issued, existing: r.existing, failed: r.failed.length }) }}</p>
        @if (r.failed.length) {
          <ul class="small">
            @for (f of r.failed; track f.resultId) { <li>#{{ f.resultId }}: {{ f.error }}</li> }
          </ul>
          <p class="muted small">{{ t('certs.batch.resumeHelp') }}</p>
        }
      }
    </app-remote-view>
  `,
})
export class BatchIssuanceComponent extends Localized {
  private readonly api = inject(CertificatesApi);
  private readonly examApi = inject(ExamAdminApi);
  private readonly notifications = inject(NotificationService);

  protected readonly sessions = remote(() => this.examApi.sessions());
  protected readonly sessionId = signal<number | null>(null);
  protected readonly progress = signal<SessionProgressView | null>(null);
  protected readonly result = signal<IssueSessionView | null>(null);
  protected readonly running = signal(false);
  /** Choose a session, issue, done (every passed candidate holds a certificate and nothing failed). */
  protected readonly step = computed(() => {
    if (this.sessionId() === null) return 0;
    const p = this.progress();
    const r = this.result();
    return p && p.passed > 0 && p.certified >= p.passed && !this.running() && (!r || r.failed.length === 0) ? 2 : 1;
  });
  protected readonly percent = computed(() => {
    const p = this.progress();
    return p && p.passed ? Math.round((100 * p.certified) / p.passed) : 0;
  });
  private poll?: Subscription;

  constructor() {
    super();
    inject(DestroyRef).onDestroy(() => this.poll?.unsubscribe());
  }

  protected choose(id: number | null): void {
    this.sessionId.set(id);
    this.result.set(null);
    this.progress.set(null);
    if (id !== null) this.refresh(id);
  }

  private refresh(id: number): void {
    this.api.progress(id).subscribe({ next: (p) => this.sessionId() === id && this.progress.set(p), error: () => undefined });
  }

  protected issue(): void {
    const id = this.sessionId();
    if (id === null) return;
    this.running.set(true);
    this.result.set(null);
    this.poll?.unsubscribe();
    this.poll = interval(1000)
      .pipe(startWith(0), switchMap(() => this.api.progress(id)))
      .subscribe({ next: (p) => this.progress.set(p), error: () => undefined });
    this.api.issueSession(id).subscribe({
      next: (r) => {
        this.result.set(r);
        this.stop(id);
      },
      error: (e: unknown) => {
        this.notifications.error(e);
        this.stop(id);
      },
    });
  }

  private stop(id: number): void {
    this.poll?.unsubscribe();
    this.running.set(false);
    this.refresh(id);
  }
}

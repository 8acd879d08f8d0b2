import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import type { CalibrationReportView, ExerciseView, LabellingReviewDetail, LabellingReviewSummary } from '@aitrainer/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { NotificationService } from '../../core/notifications/notification.service';
import { LabellingApi } from './labelling-api.service';
import { GuardReportComponent } from '../reviews/guard-report.component';
import { FormsModule } from '@angular/forms';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { FilePickComponent } from '../../shared/components/file-pick.component';
import { UploadProgressComponent } from '../../shared/components/upload-progress.component';
import { trackUpload, type UploadProgress } from '../../shared/util/upload-progress';

/** Calibration of the judge on one open-ended exercise: import double-marked answers (CSV), read the agreement report. */
@Component({
  selector: 'app-judge-calibration',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FilePickComponent, UploadProgressComponent],
  template: `
    <div class="calibration" [attr.data-testid]="'calibration-' + exercise().id">
      <app-file-pick accept=".csv,text/csv" [label]="t('labelling.calibrate')" (picked)="upload($event)" [testId]="'calibration-file-' + exercise().id" />
      <span class="muted small">{{ t('upload.limit', { mb: 10 }) }}</span>
      <button type="button" class="btn btn--small" (click)="load()">{{ t('labelling.calibrationReport') }}</button>
      <app-upload-progress [progress]="progress()" />
      @if (report(); as r) {
        <div class="report">
          @switch (r.state) {
            @case ('running') { <p class="muted" role="status">{{ t('labelling.calibrationRunning', { count: r.answers }) }}</p> }
            @case ('failed') { <p class="state state--error" role="alert">{{ r.failureReason }}</p> }
            @default {
              <p class="muted small">{{ t('labelling.calibrationSummary', { graded: r.graded, total: r.answers, model: r.model ?? '—' }) }}</p>
              <table class="table">
                <thead><tr><th>{{ t('labelling.criterion') }}</th><th>κw {{ t('labelling.modelVsHumans') }}</th><th>{{ t('labelling.exactAgreement') }}</th><th>{{ t('labelling.adjacentAgreement') }}</th><th>κw {{ t('labelling.humanVsHuman') }}</th></tr></thead>
                <tbody>@for (c of r.criteria; track c.criterionId) {
                  <tr><td>{{ c.name }}</td><td>{{ kappa(c.modelVsHumans.qwk) }}</td><td>{{ pct(c.modelVsHumans.exact) }}</td><td>{{ pct(c.modelVsHumans.adjacent) }}</td><td>{{ kappa(c.humanVsHuman.qwk) }}</td></tr>
                }</tbody>
              </table>
            }
          }
        </div>
      }
      <p class="muted small">{{ t('labelling.calibrationHelp') }}</p>
    </div>
  `,
  styles: `
    .calibration { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; width: 100%; }
    .report { width: 100%; }
  `,
})
export class JudgeCalibrationComponent {
  private readonly api = inject(LabellingApi);
  private readonly notify = inject(NotificationService);
  protected readonly t = inject(I18n).t;
  readonly exercise = input.required<ExerciseView>();
  protected readonly report = signal<CalibrationReportView | null>(null);
  protected readonly progress = signal<UploadProgress>(undefined);

  protected upload(files: File[]): void {
    const file = files[0];
    if (!file) return;
    trackUpload(this.api.calibrate(this.exercise().id, file), this.progress).subscribe({ next: (r) => this.watch(r), error: (err) => this.notify.error(err) });
  }

  protected load(): void {
    this.api.calibration(this.exercise().id).subscribe({ next: (r) => this.watch(r), error: (err) => this.notify.error(err) });
  }

  private watch(r: CalibrationReportView): void {
    this.report.set(r);
    if (r.state === 'running') setTimeout(() => this.load(), 1500);
  }

  protected kappa(v: number | null): string {
    return v === null ? '—' : v.toFixed(2);
  }
  protected pct(v: number): string {
    return `${Math.round(v * 100)}%`;
  }
}

/** Open-ended labelling work waiting for a person: the queue, the machine's judge runs, a per-criterion grade. */
@Component({
  selector: 'app-labelling-reviews',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, GuardReportComponent, NzFormModule, NzInputModule, NzInputNumberModule],
  template: `
    <h2>{{ t('labelling.reviews') }}</h2>
    @if (queue().length === 0) { <p class="muted">{{ t('labelling.reviewsEmpty') }}</p> }
    <ul class="list">
      @for (q of queue(); track q.submissionId) {
        <li><button type="button" class="btn btn--small" (click)="open(q.submissionId)" [attr.data-testid]="'review-' + q.submissionId">{{ q.exerciseTitle }} · {{ q.studentName }}</button>
          <span class="muted small"> {{ reason(q.reason) }}</span></li>
      }
    </ul>
    @if (detail(); as d) {
      @if (d.machine?.guards; as guards) { <app-guard-report [report]="guards" /> }
      <form nz-form nzLayout="vertical" class="review" (submit)="send($event, d)">
        @for (item of d.items; track item.id) {
          <fieldset>
            <legend>{{ t('labelling.item') }} {{ item.id }}</legend>
            <pre class="answer">{{ answerOf(d, item.id) }}</pre>
            @for (run of machineRuns(d, item.id); track $index) {
              <p class="muted small">{{ t('labelling.judgeRun') }} {{ $index + 1 }}: @for (c of run.criteria; track c.id) { {{ c.id }}={{ c.score }} }</p>
            }
            @for (c of d.exercise.openGrading?.rubric ?? []; track c.id) {
              <nz-form-item>
                <nz-form-label [nzFor]="'score-' + item.id + '-' + c.id">{{ c.name }} (0–{{ c.maxScore }})</nz-form-label>
                <nz-form-control>
                  <nz-input-number [nzId]="'score-' + item.id + '-' + c.id" [nzMin]="0" [nzMax]="c.maxScore" [nzStep]="0.5" [ngModel]="scoreOf(item.id, c.id)" (ngModelChange)="setScore(item.id, c.id, $event)" [ngModelOptions]="{ standalone: true }" />
                </nz-form-control>
              </nz-form-item>
            }
          </fieldset>
        }
        <nz-form-item>
          <nz-form-label nzFor="review-comment" nzRequired>{{ t('labelling.reviewerComment') }}</nz-form-label>
          <nz-form-control>
            <textarea nz-input id="review-comment" name="comment" required rows="3"></textarea>
          </nz-form-control>
        </nz-form-item>
        <button class="btn btn--primary" type="submit">{{ t('labelling.submitReview') }}</button>
      </form>
    }
  `,
  styles: `
    .list { list-style: none; padding: 0; display: grid; gap: 0.4rem; }
    .review { display: grid; gap: 0.75rem; margin-top: 1rem; }
    nz-form-item { margin-bottom: 0; }
    /* Ant styles a form's legends as faint headings; the item's number must stay readable. */
    legend { color: var(--text); font-size: inherit; }
    .answer { white-space: pre-wrap; background: var(--brand-soft); padding: 0.5rem; }
  `,
})
export class LabellingReviewsComponent {
  private readonly api = inject(LabellingApi);
  private readonly notify = inject(NotificationService);
  protected readonly t = inject(I18n).t;
  protected readonly queue = signal<LabellingReviewSummary[]>([]);
  protected readonly detail = signal<LabellingReviewDetail | null>(null);

  constructor() {
    this.reload();
  }

  private reload(): void {
    this.api.reviews().subscribe({ next: (q) => this.queue.set(q), error: (e) => this.notify.error(e) });
  }

  protected reason(r: string | null): string {
    return this.t(`prompts.reason.${r ?? 'unknown'}` as MessageKey);
  }

  /** The reviewer's scores, by `itemId::criterionId`. */
  private readonly scores = signal<Record<string, number | null>>({});

  protected open(id: number): void {
    this.scores.set({});
    this.api.reviewDetail(id).subscribe({ next: (d) => this.detail.set(d), error: (e) => this.notify.error(e) });
  }

  protected scoreOf(itemId: string, criterionId: string): number | null {
    return this.scores()[`${itemId}::${criterionId}`] ?? null;
  }

  protected setScore(itemId: string, criterionId: string, score: number | null): void {
    this.scores.update((all) => ({ ...all, [`${itemId}::${criterionId}`]: score }));
  }

  protected answerOf(d: LabellingReviewDetail, itemId: string): string {
    const a = d.submission.answers.find((x) => x.itemId === itemId);
    return a ? JSON.stringify(a.value, null, 2) : '—';
  }

  protected machineRuns(d: LabellingReviewDetail, itemId: string) {
    return d.machine?.items.find((i) => i.itemId === itemId)?.judgeRuns ?? [];
  }

  protected send(e: Event, d: LabellingReviewDetail): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const rubric = d.exercise.openGrading?.rubric ?? [];
    if (d.items.some((item) => rubric.some((c) => this.scoreOf(item.id, c.id) === null))) return this.notify.info('labelling.scoresMissing');
    const items = d.items.map((item) => ({ itemId: item.id, criteria: rubric.map((c) => ({ id: c.id, score: this.scoreOf(item.id, c.id) ?? 0 })) }));
    this.api.review(d.submission.id, { items, comment: String(data.get('comment') ?? '') }).subscribe({
      next: () => {
        this.detail.set(null);
        this.notify.success('labelling.reviewSaved');
        this.reload();
      },
      error: (err) => this.notify.error(err),
    });
  }
}

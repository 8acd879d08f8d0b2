import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Localized } from '../../core/i18n/localized';
import { PageHeaderComponent } from '../../shared/components/page-header.component';
import { NotificationService } from '../../core/notifications/notification.service';
import { DataTableComponent, type TableColumn, by } from '../../shared/components/data-table.component';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { type FailedJob, type QueueCounts, QueuesApi } from './queues-api.service';

const REFRESH_MS = 5000;
const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Platform admins: jobs by state per queue, failed jobs with their reasons, and retry. */
@Component({
  selector: 'app-queues-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, DataTableComponent, NzTagModule, PageHeaderComponent],
  template: `
    <app-page-header [title]="t('queues.title')" testId="queues-title">
      <span class="muted small" data-testid="queues-refreshed">{{ t('queues.autoRefresh', { seconds: refreshSeconds, time: refreshedAt() }) }}</span>
      <button type="button" class="btn btn--small" (click)="refresh()">{{ t('common.refresh') }}</button>
    </app-page-header>
    <section class="card">
      <h2>{{ t('queues.counts') }}</h2>
      @if (overview.value(); as o) {
        <p class="small">{{ t('queues.driver') }} <nz-tag data-testid="queues-driver">{{ o.driver === 'bull' ? t('admin.health.bull') : t('admin.health.in-process') }}</nz-tag>
          @if (o.driver === 'bull') {
            <button type="button" class="btn btn--small" data-testid="open-bull-board" (click)="openDashboard()">{{ t('queues.openDashboard') }}</button>
          }
        </p>
      }
      <app-data-table [state]="overview.state()" [rows]="overview.value()?.queues" [columns]="countColumns()" [trackBy]="trackByQueue"
                      [emptyText]="t('queues.noQueues')" testId="queue-counts" rowTestId="queue-row" (retry)="overview.reload()">
        <ng-template let-q>
          <td class="mono">{{ q.queue }}</td>
          @for (s of states; track s) {
            <td class="num" [attr.data-testid]="'count-' + s" [class.bad]="s === 'failed' && q[s] > 0">{{ q[s] }}</td>
          }
        </ng-template>
      </app-data-table>
    </section>

    <section class="card section-gap">
      <div class="card__head">
        <h2>{{ t('queues.failed') }}</h2>
        @if (failed.value(); as list) { <span class="muted small">{{ t('common.total', { count: list.length }) }}</span> }
      </div>
      <app-remote-view [source]="failed" [emptyText]="t('queues.noFailed')">
        <ul class="jobs" data-testid="failed-jobs">
          @for (job of failed.value(); track job.queue + job.jobId) {
            <li class="job" data-testid="failed-job">
              <div class="job__head">
                <span><span class="mono">{{ job.name }}</span> · <span class="mono small">{{ job.jobId }}</span></span>
                <button type="button" class="btn btn--small btn--primary" data-testid="job-retry" [disabled]="retrying().has(key(job))" (click)="retry(job)">
                  {{ retrying().has(key(job)) ? t('queues.retrying') : t('queues.retry') }}
                </button>
              </div>
              <p class="reason" data-testid="job-reason">{{ job.reason }}</p>
              <p class="muted small">{{ t('queues.jobMeta', { queue: job.queue, attempts: job.attemptsMade, time: i18n.dateTime(job.failedAt) }) }}</p>
              <details class="small">
                <summary>{{ t('queues.payload') }}</summary>
                <pre>{{ json(job.payload) }}</pre>
              </details>
            </li>
          }
        </ul>
      </app-remote-view>
    </section>
  `,
  styles: `
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    .bad { color: var(--danger); font-weight: 700; }
    .jobs { list-style: none; margin: 0; padding: 0; }
    .job { padding: 0.75rem 0; border-bottom: 1px solid var(--border); }
    .job:last-child { border-bottom: 0; }
    .job__head { display: flex; justify-content: space-between; align-items: center; gap: 0.75rem; flex-wrap: wrap; }
    .reason { margin: 0.35rem 0; color: #8a1f14; word-break: break-word; }
    pre { margin: 0.35rem 0 0; padding: 0.5rem 0.7rem; background: #f8fafc; border: 1px solid var(--border); border-radius: var(--radius); white-space: pre-wrap; word-break: break-word; }
    summary { cursor: pointer; }
    @media (max-width: 640px) { .num { text-align: left; } }
  `,
})
export class QueuesPage extends Localized {
  private readonly api = inject(QueuesApi);
  private readonly notifications = inject(NotificationService);
  protected readonly states = STATES;
  protected readonly refreshSeconds = REFRESH_MS / 1000;

  protected readonly overview = remote(() => this.api.overview());
  protected readonly failed = remote(() => this.api.failed());
  protected readonly refreshedAt = signal(this.clock());
  protected readonly retrying = signal<ReadonlySet<string>>(new Set());
  protected readonly trackByQueue = (q: QueueCounts) => q.queue;
  protected readonly countColumns = computed((): TableColumn<QueueCounts>[] => [
    { label: this.t('queues.queue'), sort: by.text((q) => q.queue) },
    ...STATES.map((state) => ({ label: this.stateLabel(state), numeric: true, sort: by.number((q: QueueCounts) => q[state]) })),
  ]);

  constructor() {
    super();
    const timer = setInterval(() => this.refresh(), REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected refresh(): void {
    this.overview.reload();
    this.failed.reload();
    this.refreshedAt.set(this.clock());
  }

  protected stateLabel(state: (typeof STATES)[number]): string {
    return this.t(`queues.state.${state}`);
  }

  protected key(job: FailedJob): string {
    return `${job.queue}/${job.jobId}`;
  }

  protected json(value: unknown): string {
    return JSON.stringify(value, null, 2);
  }

  protected retry(job: FailedJob): void {
    const key = this.key(job);
    this.retrying.update((keys) => new Set(keys).add(key));
    const done = () => this.retrying.update((keys) => { const next = new Set(keys); next.delete(key); return next; });
    this.api.retry(job.queue, job.jobId).subscribe({
      next: () => {
        done();
        this.notifications.success('queues.retried', { job: job.jobId });
        this.refresh();
      },
      error: (error: unknown) => {
        done();
        this.notifications.error(error);
        this.refresh();
      },
    });
  }

  /** Bull's own dashboard: the server sets an HttpOnly cookie scoped to it, then the page opens in a new tab. */
  protected openDashboard(): void {
    this.api.dashboardSession().subscribe({
      next: ({ url }) => window.open(url, '_blank', 'noopener'),
      error: (error: unknown) => this.notifications.error(error),
    });
  }

  private clock(): string {
    return this.i18n.clockTime(new Date());
  }
}

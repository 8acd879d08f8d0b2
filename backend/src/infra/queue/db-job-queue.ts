import { Logger } from '@nestjs/common';
import { In, LessThan, LessThanOrEqual, type DataSource, type Repository } from 'typeorm';
import { isUniqueViolation } from '../database/unique-violation';
import { JOB_QUEUE_OF, QUEUES, retryPolicy, type JobName, type QueueName } from './queue.constants';
import { randomUUID } from 'node:crypto';
import { currentRequestId, runWithRequestContext } from '../observability/request-context';
import { backoffDelay, PermanentJobError, unwrapJobPayload, wrapJobPayload, type EnqueueOptions, type FailedJob, type JobHandler, type JobQueue, type QueueCounts } from './job-queue';
import { QueueJob } from './queue-job.entity';

interface Registered {
  name: JobName;
  concurrency: number;
  handler: JobHandler<unknown>;
  running: number;
}

/**
 * The in-process driver of the embedded default. Jobs are rows in `queue_jobs`, claimed with a conditional
 * UPDATE and leased for `leaseMs`, renewed by a heartbeat while the handler runs. A crash leaves nothing lost
 * (the lease runs out, the job runs again) and a second process on the same database does not run a job
 * twice. Completed jobs are deleted.
 */
export class DbJobQueue implements JobQueue {
  readonly driver = 'in-process' as const;
  private readonly logger = new Logger('JobQueue');
  private readonly jobs: Repository<QueueJob>;
  private readonly handlers = new Map<JobName, Registered>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(db: DataSource, private readonly options: { pollMs?: number; leaseMs?: number; backoffMs?: number | null } = {}) {
    this.jobs = db.getRepository(QueueJob);
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 30_000;
  }

  async add<P>(name: JobName, payload: P, options: EnqueueOptions): Promise<void> {
    const retry = retryPolicy(name, this.options.backoffMs ?? null);
    try {
      await this.jobs.insert({
        id: options.jobId,
        queue: JOB_QUEUE_OF[name],
        name,
        payload: JSON.stringify(wrapJobPayload(payload, { requestId: currentRequestId() })),
        state: 'waiting',
        attemptsMade: 0,
        maxAttempts: retry.attempts,
        backoffMs: retry.backoffMs,
        runAt: Date.now() + (options.delayMs ?? 0),
        lockedUntil: null,
        lastError: null,
        createdAt: new Date(),
        finishedAt: null,
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // the same job is already queued: nothing to do
    }
    this.kick();
  }

  process<P>(name: JobName, concurrency: number, handler: JobHandler<P>): void {
    this.handlers.set(name, { name, concurrency, handler: handler as JobHandler<unknown>, running: 0 });
    if (!this.timer) {
      // Not unref'd: in a worker process this timer is what keeps the process alive.
      this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 250);
    }
    this.kick();
  }

  private kick(): void {
    if (this.polling || this.closed || this.handlers.size === 0) return;
    this.polling = true;
    this.poll()
      .catch((e) => this.logger.error(`Polling failed: ${(e as Error).message}`))
      .finally(() => (this.polling = false));
  }

  private async poll(): Promise<void> {
    const now = Date.now();
    // Jobs whose process died mid-run come back once their lease has run out.
    await this.jobs.update({ state: 'active', lockedUntil: LessThan(now) }, { state: 'waiting', lockedUntil: null });
    for (const reg of this.handlers.values()) {
      const free = reg.concurrency - reg.running;
      if (free <= 0) continue;
      const due = await this.jobs.find({
        select: { id: true },
        where: { name: reg.name, state: 'waiting', runAt: LessThanOrEqual(now) },
        order: { runAt: 'ASC' },
        take: free,
      });
      for (const { id } of due) {
        const claimed = await this.jobs
          .createQueryBuilder()
          .update(QueueJob)
          .set({ state: 'active', lockedUntil: Date.now() + this.leaseMs, attemptsMade: () => 'attempts_made + 1' })
          .where('id = :id AND state = :state', { id, state: 'waiting' })
          .execute();
        if (!claimed.affected) continue; // another process took it
        const job = await this.jobs.findOneByOrFail({ id });
        reg.running++;
        const run = this.run(reg, job).finally(() => {
          reg.running--;
          this.inFlight.delete(run);
          this.kick();
        });
        this.inFlight.add(run);
      }
    }
  }

  private async run(reg: Registered, job: QueueJob): Promise<void> {
    const heartbeat = setInterval(() => {
      this.jobs.update({ id: job.id, state: 'active' }, { lockedUntil: Date.now() + this.leaseMs }).catch(() => undefined);
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    heartbeat.unref();
    try {
      const { payload, meta } = unwrapJobPayload(JSON.parse(job.payload));
      // The handler's logs carry the id of the request that created the job.
      await runWithRequestContext({ requestId: meta.requestId ?? randomUUID(), job: { name: job.name, id: job.id } }, () =>
        reg.handler(payload, { jobId: job.id, attempt: job.attemptsMade, maxAttempts: job.maxAttempts }),
      );
      await this.jobs.delete({ id: job.id, state: 'active' });
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      const permanent = e instanceof PermanentJobError;
      if (permanent || job.attemptsMade >= job.maxAttempts) {
        this.logger.warn(`${job.name} ${job.id} failed for good: ${message}`);
        await this.jobs.update({ id: job.id }, { state: 'failed', lockedUntil: null, lastError: message.slice(0, 2000), finishedAt: new Date() });
      } else {
        this.logger.warn(`${job.name} ${job.id} try ${job.attemptsMade} failed, retrying: ${message}`);
        await this.jobs.update(
          { id: job.id },
          { state: 'waiting', lockedUntil: null, lastError: message.slice(0, 2000), runAt: Date.now() + backoffDelay(job.backoffMs, job.attemptsMade) },
        );
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  async counts(): Promise<QueueCounts[]> {
    const rows = await this.jobs
      .createQueryBuilder('j')
      .select('j.queue', 'queue')
      .addSelect('j.state', 'state')
      .addSelect('j.run_at > :now', 'delayed')
      .addSelect('COUNT(*)', 'n')
      .setParameter('now', Date.now())
      .groupBy('j.queue')
      .addGroupBy('j.state')
      .addGroupBy('j.run_at > :now')
      .getRawMany<{ queue: string; state: string; delayed: number | string; n: number | string }>();
    return Object.values(QUEUES).map((queue) => {
      const c: QueueCounts = { queue, waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
      for (const r of rows.filter((x) => x.queue === queue)) {
        const n = Number(r.n);
        if (r.state === 'waiting' && Number(r.delayed)) c.delayed += n;
        else if (r.state === 'waiting') c.waiting += n;
        else if (r.state === 'active') c.active += n;
        else if (r.state === 'failed') c.failed += n;
      }
      return c;
    });
  }

  async failed(limit: number): Promise<FailedJob[]> {
    const rows = await this.jobs.find({ where: { state: 'failed' }, order: { finishedAt: 'DESC' }, take: limit });
    return rows.map((j) => ({
      queue: j.queue as QueueName,
      jobId: j.id,
      name: j.name,
      reason: j.lastError ?? 'unknown',
      attemptsMade: j.attemptsMade,
      failedAt: j.finishedAt ? j.finishedAt.toISOString() : null,
      payload: unwrapJobPayload(JSON.parse(j.payload)).payload,
    }));
  }

  async retry(queue: QueueName, jobId: string): Promise<boolean> {
    const result = await this.jobs.update(
      { id: jobId, queue, state: 'failed' },
      { state: 'waiting', attemptsMade: 0, runAt: Date.now(), lastError: null, finishedAt: null },
    );
    this.kick();
    return Boolean(result.affected);
  }

  /**
   * Stops polling and waits a while for running handlers, so a shutdown does not cut a grade in half. A handler
   * still running after the grace period is left to its lease: another worker runs it again.
   */
  async close(graceMs = 10_000): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }

  /** For tests and shutdown: resolves when nothing is due or running. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const busy = await this.jobs.count({ where: { state: In(['waiting', 'active']), runAt: LessThanOrEqual(Date.now()) } });
      if (busy === 0 && this.inFlight.size === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('queue did not drain in time');
  }
}

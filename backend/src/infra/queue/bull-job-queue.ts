import { Logger } from '@nestjs/common';
import Bull from 'bull';
import { Redis, type RedisOptions } from 'ioredis';
import { JOB_QUEUE_OF, QUEUES, retryPolicy, type JobName, type QueueName } from './queue.constants';
import { randomUUID } from 'node:crypto';
import { currentRequestId, runWithRequestContext } from '../observability/request-context';
import { PermanentJobError, type EnqueueOptions, type FailedJob, type JobHandler, type JobQueue, type QueueCounts } from './job-queue';

/** Bull on Redis: shared by every API and worker process. Completed jobs are removed; failed ones kept. */
export class BullJobQueue implements JobQueue {
  readonly driver = 'bull' as const;
  private readonly logger = new Logger('BullJobQueue');
  private readonly queues = new Map<QueueName, Bull.Queue>();
  private readonly clients: Redis[] = [];

  constructor(
    private readonly redisUrl: string,
    private readonly prefix = 'aitrainer',
    private readonly backoffMs: number | null = null,
    /** Bull renews a running job's lock every half of this; a dead worker's job is re-run after it. */
    private readonly lockMs = 30_000,
  ) {}

  queue(name: QueueName): Bull.Queue {
    let q = this.queues.get(name);
    if (!q) {
      const url = this.redisUrl;
      q = new Bull(name, {
        prefix: this.prefix,
        settings: { lockDuration: this.lockMs, stalledInterval: this.lockMs, maxStalledCount: 3 },
        createClient: (type) => {
          // Blocking and subscriber connections must not limit retries (Bull's requirement). The command connection
          // auto-pipelines: jobs added in one turn of the event loop (a storm's deadline and scoring jobs) leave in one write.
          const opts: RedisOptions = type === 'client' ? { enableAutoPipelining: true } : { maxRetriesPerRequest: null, enableReadyCheck: false };
          const client = new Redis(url, opts);
          this.clients.push(client);
          return client;
        },
      });
      this.queues.set(name, q);
    }
    return q;
  }

  async add<P>(name: JobName, payload: P, options: EnqueueOptions): Promise<void> {
    const retry = retryPolicy(name, this.backoffMs);
    await this.queue(JOB_QUEUE_OF[name]).add(name, payload, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: true,
      removeOnFail: false,
      // Bull keeps unknown options with the job: the id of the request that created it, for the worker's logs.
      ...(currentRequestId() && { requestId: currentRequestId() }),
    } as Bull.JobOptions);
  }

  process<P>(name: JobName, concurrency: number, handler: JobHandler<P>): void {
    void this.queue(JOB_QUEUE_OF[name]).process(name, concurrency, async (job) => {
      try {
        const requestId = (job.opts as { requestId?: string }).requestId ?? randomUUID();
        await runWithRequestContext({ requestId, job: { name, id: String(job.id) } }, () =>
          handler(job.data as P, { jobId: String(job.id), attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 }),
        );
      } catch (e) {
        if (e instanceof PermanentJobError) await job.discard();
        else this.logger.warn(`${name} ${job.id} try ${job.attemptsMade + 1} failed: ${(e as Error).message}`);
        throw e;
      }
    });
  }

  async counts(): Promise<QueueCounts[]> {
    return Promise.all(
      Object.values(QUEUES).map(async (queue) => {
        const c = await this.queue(queue).getJobCounts();
        return { queue, waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed, completed: c.completed };
      }),
    );
  }

  async failed(limit: number): Promise<FailedJob[]> {
    const all: FailedJob[] = [];
    for (const queue of Object.values(QUEUES)) {
      const jobs = await this.queue(queue).getFailed(0, limit - 1);
      for (const job of jobs) {
        all.push({
          queue,
          jobId: String(job.id),
          name: job.name,
          reason: job.failedReason ?? 'unknown',
          attemptsMade: job.attemptsMade,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
          payload: job.data,
        });
      }
    }
    return all.slice(0, limit);
  }

  async retry(queue: QueueName, jobId: string): Promise<boolean> {
    const job = await this.queue(queue).getJob(jobId);
    if (!job || !(await job.isFailed())) return false;
    await job.retry();
    return true;
  }

  async close(): Promise<void> {
    // Bull waits for active jobs; past the grace period their locks run out and another worker re-runs them.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.queues.values()].map((q) => q.close())), new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    // Bull leaves connections made through createClient to their maker.
    await Promise.all(this.clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

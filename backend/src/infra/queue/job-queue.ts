import type { JobName, QueueName } from './queue.constants';

/** Thrown by a handler when retrying cannot help (e.g. an invalid task definition): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
}

export type JobHandler<P> = (payload: P, ctx: JobContext) => Promise<void>;

export interface EnqueueOptions {
  /** Derived from what the job is about (e.g. answer id + version), so a duplicate enqueue is a no-op. */
  jobId: string;
  delayMs?: number;
}

export interface QueueCounts {
  queue: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface FailedJob {
  queue: QueueName;
  jobId: string;
  name: string;
  reason: string;
  attemptsMade: number;
  failedAt: string | null;
  payload: unknown;
}

/** One interface, two drivers: Bull on Redis, or the in-process driver backed by the database. */
export interface JobQueue {
  readonly driver: 'bull' | 'in-process';
  add<P>(name: JobName, payload: P, options: EnqueueOptions): Promise<void>;
  /** Registers a handler; only worker processes call this. */
  process<P>(name: JobName, concurrency: number, handler: JobHandler<P>): void;
  counts(): Promise<QueueCounts[]>;
  failed(limit: number): Promise<FailedJob[]>;
  /** Puts a failed job back to waiting; false when there is no such failed job. */
  retry(queue: QueueName, jobId: string): Promise<boolean>;
  close(): Promise<void>;
}

export const JOB_QUEUE = Symbol('JOB_QUEUE');

/** How a job try ended, for metrics. */
export type JobOutcome = 'completed' | 'failure' | 'permanent-failure';

/** Optional observer of job runs (the Prometheus metrics); the worker calls it after each try. */
export interface JobMetricsSink {
  jobFinished(job: string, durationMs: number, outcome: JobOutcome): void;
}
export const JOB_METRICS = Symbol('JOB_METRICS');

/** What travels with a job besides its payload: the id of the HTTP request that created it. */
export interface JobMeta {
  requestId?: string;
}

interface StoredEnvelope<P> {
  __job: 1;
  payload: P;
  meta: JobMeta;
}

/** The in-process driver stores `meta` beside the payload in one JSON text; without meta the payload is stored as is. */
export function wrapJobPayload<P>(payload: P, meta: JobMeta): P | StoredEnvelope<P> {
  return meta.requestId ? { __job: 1, payload, meta } : payload;
}

export function unwrapJobPayload(stored: unknown): { payload: unknown; meta: JobMeta } {
  if (stored && typeof stored === 'object' && (stored as StoredEnvelope<unknown>).__job === 1 && 'payload' in stored) {
    const envelope = stored as StoredEnvelope<unknown>;
    return { payload: envelope.payload, meta: envelope.meta ?? {} };
  }
  return { payload: stored, meta: {} };
}

export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return backoffMs * 2 ** Math.max(0, attemptsMade - 1);
}

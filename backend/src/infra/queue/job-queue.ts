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

export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return backoffMs * 2 ** Math.max(0, attemptsMade - 1);
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';
import { Metrics } from '../observability/metrics';
import { isUniqueViolation } from '../database/unique-violation';
import { JOB_QUEUE, type JobQueue } from './job-queue';
import { JOBS, type JobName } from './queue.constants';
import { QueueJob, type QueueJobState } from './queue-job.entity';
import { deadlineJobId } from '../../exams/jobs/submit-attempt-at-deadline.job';
import { scoreJobId } from '../../exams/jobs/score-exam-attempt.job';
import { examItemJobId, EXAM_ITEM_ANSWER_VERSION, MACHINE_GRADED_TYPES } from '../../exams/jobs/grade-exam-item.job';
import { gradingJobId } from '../../labelling/practice.service';
import { explanationJobId } from '../../labelling/labelling-grader.service';
import { calibrationJobId } from '../../labelling/calibration.service';
import { promptAnswerJobId } from '../../prompts/prompt-practice.service';
import { resultCertificatesJobId } from '../../certificates/jobs/issue-result-certificates.job';

/** One job the database says is owed: enqueued with its usual deterministic id, so a job still queued is not added again. */
export interface OwedJob {
  name: JobName;
  payload: object;
  jobId: string;
  delayMs?: number;
}

export interface ReconcileReport {
  /** False when another worker held the lock: this one did nothing. */
  ran: boolean;
  /** Jobs offered to the queue, by kind (the queue drops those it still holds). */
  enqueued: Partial<Record<JobName, number>>;
  total: number;
}

const LOCK_KEY = 'work-reconciler';
/** A run that dies keeps the others out this long at most. */
const LOCK_TTL_MS = 5 * 60_000;
const BATCH = 500;

/**
 * The database is the source of truth for work; Redis only carries it. At worker start-up and every
 * RECONCILE_INTERVAL_MS (one worker at a time: a lock with expiry in Redis, or in `queue_jobs` on the in-process
 * driver) this finds what the database says is owed and enqueues it under the job's deterministic id: a job the
 * queue still holds (waiting, delayed, running or failed) is not added twice, and a job lost with Redis's memory is
 * added again. Every handler is idempotent, so a job that completed just before it was offered again changes nothing.
 */
@Injectable()
export class WorkReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkReconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Optional() @Inject(REDIS) private readonly redis: Redis | null = null,
    @Optional() @Inject(APP_CONFIG) private readonly config: AppConfig | null = null,
    @Optional() @Inject(Metrics) private readonly metrics: Metrics | null = null,
  ) {}

  private get intervalMs(): number {
    return this.config?.reconcileIntervalMs ?? 60_000;
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.reconcile()
      .catch((e) => this.logger.error(`Reconciliation failed: ${(e as Error).message}`))
      .finally(() => (this.running = null));
  }

  /** One pass under the lock. */
  async reconcile(now = Date.now()): Promise<ReconcileReport> {
    const token = await this.lock();
    if (!token) return { ran: false, enqueued: {}, total: 0 };
    try {
      const enqueued: Partial<Record<JobName, number>> = {};
      for await (const job of this.owed(now)) {
        await this.queue.add(job.name, job.payload, { jobId: job.jobId, delayMs: job.delayMs });
        enqueued[job.name] = (enqueued[job.name] ?? 0) + 1;
        this.metrics?.reconcilerEnqueued.inc({ job: job.name });
      }
      const total = Object.values(enqueued).reduce((s, n) => s + n, 0);
      const summary = Object.entries(enqueued).map(([k, n]) => `${k} ${n}`).join(', ');
      if (total) this.logger.log(`Offered ${total} owed job(s) to the ${this.queue.driver} queue (${summary}); jobs it still held were not added twice`);
      return { ran: true, enqueued, total };
    } finally {
      await this.unlock(token);
    }
  }

  /** Everything the database says is owed now. */
  async *owed(now: number): AsyncGenerator<OwedJob> {
    // Attempts in progress whose deadline has passed or falls before the next pass: their deadline job
    // (finish time = deadline, submitted by the deadline). Later deadlines are taken by a later pass.
    const horizon = now + 2 * Math.max(this.intervalMs, 1000);
    for await (const r of this.rows<{ id: number; deadline_ms: number }>("SELECT id, deadline_ms FROM exam_attempts WHERE state = 'in_progress' AND deadline_ms <= ?", [horizon])) {
      yield { name: JOBS.submitExamAttemptAtDeadline, payload: { attemptId: Number(r.id) }, jobId: deadlineJobId(Number(r.id)), delayMs: Math.max(0, Number(r.deadline_ms) - now) };
    }
    // Submitted attempts not yet scored.
    for await (const r of this.rows<{ id: number }>("SELECT id FROM exam_attempts WHERE state = 'submitted' AND score IS NULL")) {
      yield { name: JOBS.scoreExamAttempt, payload: { attemptId: Number(r.id) }, jobId: scoreJobId(Number(r.id)) };
    }
    // Practical items of scored attempts still pending with no machine grade yet (one sent to review has one).
    const types = MACHINE_GRADED_TYPES.map(() => '?').join(', ');
    for await (const r of this.rows<{ attempt_id: number; question_id: number }>(
      `SELECT s.id, s.attempt_id, s.question_id FROM exam_item_scores s JOIN exam_attempts a ON a.id = s.attempt_id JOIN question_versions v ON v.id = s.version_id
       WHERE s.source = 'pending' AND a.state = 'submitted' AND a.score IS NOT NULL AND a.pending_items > 0 AND v.type IN (${types})`,
      [...MACHINE_GRADED_TYPES],
      's.id',
    )) {
      const attemptId = Number(r.attempt_id);
      const questionId = Number(r.question_id);
      const graded = (await this.db.query('SELECT 1 AS x FROM grades WHERE subject_type = ? AND subject_id = ? AND subject_version = ? LIMIT 1', ['exam_item', `${attemptId}:${questionId}`, EXAM_ITEM_ANSWER_VERSION])) as unknown[];
      if (graded.length) continue;
      yield { name: JOBS.gradeExamItem, payload: { attemptId, questionId }, jobId: examItemJobId(attemptId, questionId) };
    }
    // Labelling submissions waiting for their grade, and graded ones whose explanation is still to come.
    for await (const r of this.rows<{ id: number; version: number }>("SELECT id, version FROM labelling_submissions WHERE state = 'submitted'")) {
      yield { name: JOBS.gradeLabellingSubmission, payload: { submissionId: Number(r.id), version: Number(r.version) }, jobId: gradingJobId(Number(r.id), Number(r.version)) };
    }
    for await (const r of this.rows<{ id: number; version: number; explanation: string | null }>("SELECT id, version, explanation FROM labelling_submissions WHERE state = 'graded' AND explanation LIKE ?", ['%"pending"%'])) {
      if (!isPendingExplanation(r.explanation)) continue;
      yield { name: JOBS.explainLabellingMistakes, payload: { submissionId: Number(r.id), version: Number(r.version) }, jobId: explanationJobId(Number(r.id), Number(r.version)) };
    }
    for await (const r of this.rows<{ id: number }>("SELECT id FROM labelling_calibrations WHERE state = 'running'")) {
      yield { name: JOBS.calibrateLabellingJudge, payload: { calibrationId: Number(r.id) }, jobId: calibrationJobId(Number(r.id)) };
    }
    // Prompt answers still being graded.
    for await (const r of this.rows<{ id: number }>("SELECT id FROM prompt_answers WHERE status = 'grading'")) {
      yield { name: JOBS.gradePromptAnswer, payload: { answerId: Number(r.id) }, jobId: promptAnswerJobId(Number(r.id)) };
    }
    // Published passes without their certificate pair, where the session's organisation can issue (an interrupted
    // publish or session batch).
    for await (const r of this.rows<{ id: number }>(
      `SELECT r.id FROM exam_results r JOIN exam_registrations g ON g.id = r.registration_id JOIN exam_sessions s ON s.id = g.session_id
       WHERE r.status = 'published' AND r.passed = ? AND EXISTS (SELECT 1 FROM issuer_settings i WHERE i.organisation_id = s.organisation_id)
       AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.result_id = r.id)`,
      [true],
      'r.id',
    )) {
      yield { name: JOBS.issueResultCertificates, payload: { resultId: Number(r.id) }, jobId: resultCertificatesJobId(Number(r.id)) };
    }
  }

  /** A query read in pages of BATCH rows by id (keyset), so a large backlog never sits in memory at once. */
  private async *rows<R>(sql: string, params: unknown[] = [], idColumn = 'id'): AsyncGenerator<R> {
    let after = 0;
    for (;;) {
      const page = (await this.db.query(`${sql} AND ${idColumn} > ? ORDER BY ${idColumn} LIMIT ${BATCH}`, [...params, after])) as (R & { id: number })[];
      for (const row of page) yield row as Awaited<R>;
      if (page.length < BATCH) return;
      after = Number(page[page.length - 1].id);
    }
  }

  /** Takes the cross-process lock; null when another worker holds it. */
  private async lock(): Promise<string | null> {
    const token = randomUUID();
    if (this.redis) {
      const ok = await this.redis.set(this.redisKey, token, 'PX', LOCK_TTL_MS, 'NX');
      return ok === 'OK' ? token : null;
    }
    const jobs = this.db.getRepository(QueueJob);
    const now = Date.now();
    const taken = await jobs
      .createQueryBuilder()
      .update(QueueJob)
      .set({ payload: token, lockedUntil: now + LOCK_TTL_MS })
      .where('id = :id AND state = :state AND locked_until < :now', { id: this.dbKey, state: LOCK_STATE, now })
      .execute();
    if (taken.affected) return token;
    try {
      await jobs.insert({ id: this.dbKey, queue: 'locks', name: LOCK_KEY, payload: token, state: LOCK_STATE, attemptsMade: 0, maxAttempts: 0, backoffMs: 0, runAt: 0, lockedUntil: now + LOCK_TTL_MS, lastError: null, createdAt: new Date(), finishedAt: null });
      return token;
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
  }

  private async unlock(token: string): Promise<void> {
    try {
      if (this.redis) {
        await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, this.redisKey, token);
      } else {
        await this.db.getRepository(QueueJob).delete({ id: this.dbKey, payload: token });
      }
    } catch (e) {
      this.logger.warn(`Lock not released (it expires by itself): ${(e as Error).message}`);
    }
  }

  private get redisKey(): string {
    return `${this.config?.queuePrefix ?? 'aitrainer'}:lock:${LOCK_KEY}`;
  }

  private get dbKey(): string {
    return `lock:${LOCK_KEY}`;
  }
}

/** A row of `queue_jobs` in this state is a lock, never a job: the in-process driver only runs waiting ones. */
const LOCK_STATE = 'lock' as QueueJobState;

function isPendingExplanation(text: string | null): boolean {
  if (!text) return false;
  try {
    return (JSON.parse(text) as { status?: string }).status === 'pending';
  } catch {
    return false;
  }
}

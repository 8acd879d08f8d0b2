import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2';
import type { AppConfig } from '../infra/config/app-config';
import { APP_CONFIG } from '../infra/config/config.module';
import { Metrics } from '../infra/observability/metrics';

export type UpsertOutcome = 'inserted' | 'replaced' | 'unchanged-or-closed';

const UPSERT_MYSQL = `INSERT INTO exam_answers (attempt_id, question_id, seq, value, updated_at_ms)
  SELECT ?, ?, ?, ?, ? FROM exam_attempts WHERE id = ? AND state = 'in_progress' AND deadline_ms >= ?
  ON DUPLICATE KEY UPDATE value = IF(VALUES(seq) > seq, VALUES(value), value),
    updated_at_ms = IF(VALUES(seq) > seq, VALUES(updated_at_ms), updated_at_ms), seq = GREATEST(seq, VALUES(seq))`;

const UPSERT_SQLITE = `INSERT INTO exam_answers (attempt_id, question_id, seq, value, updated_at_ms)
  SELECT ?, ?, ?, ?, ? FROM exam_attempts WHERE id = ? AND state = 'in_progress' AND deadline_ms >= ?
  ON CONFLICT (attempt_id, question_id) DO UPDATE SET value = excluded.value, seq = excluded.seq, updated_at_ms = excluded.updated_at_ms
  WHERE excluded.seq > exam_answers.seq`;

// The same upsert, written only while the caller's login session is live: the fast path's one statement does the work
// of the access guard's session lookup too. Columns of the target table are qualified (the SELECT joins two tables).
// Sent as text in batches: integers written out, strings as hex literals (no escaping to get wrong).
const UPSERT_IN_SESSION_BATCHED = `INSERT INTO exam_answers (attempt_id, question_id, seq, value, updated_at_ms)
  SELECT {attempt}, {question}, {seq}, {value}, {now} FROM exam_attempts a
    JOIN sessions s ON s.id = {session} AND s.user_id = a.user_id AND s.revoked_at IS NULL AND s.expires_at > UTC_TIMESTAMP()
  WHERE a.id = {attempt} AND a.user_id = {user} AND a.state = 'in_progress' AND a.deadline_ms >= {now}
  ON DUPLICATE KEY UPDATE exam_answers.value = IF(VALUES(seq) > exam_answers.seq, VALUES(value), exam_answers.value),
    exam_answers.updated_at_ms = IF(VALUES(seq) > exam_answers.seq, VALUES(updated_at_ms), exam_answers.updated_at_ms),
    exam_answers.seq = GREATEST(exam_answers.seq, VALUES(seq))`;
// The storm's submit, also sent in the batches (it sorts after the attempt's saves in the same batch).
const SUBMIT_IN_SESSION_BATCHED = `UPDATE exam_attempts a
  JOIN sessions s ON s.id = {session} AND s.user_id = a.user_id AND s.revoked_at IS NULL AND s.expires_at > UTC_TIMESTAMP()
  SET a.state = 'submitted', a.finished_at_ms = {finished}, a.submitted_by = 'candidate'
  WHERE a.id = {attempt} AND a.user_id = {user} AND a.state = 'in_progress'`;
/** The submit's place in a batch's key order: after every save of its attempt. */
const SUBMIT_ORDER = Number.MAX_SAFE_INTEGER;

/** Statements in one batch, and batches on their way at once (the pool has 10 connections). */
const BATCH_MAX = 64;
const BATCHES_IN_FLIGHT = 4;

interface PendingSave {
  /** The answer row's key (a submit: its attempt, after every question): a batch writes its rows in this order. */
  attemptId: number;
  questionId: number;
  sql: string;
  /** The rows the statement changed; null when its batch failed (the caller then takes the full route). */
  resolve: (affectedRows: number | null) => void;
}

/**
 * A statement InnoDB rolled back to break a lock cycle. MariaDB reports a victim that waited for a table's AUTO-INC lock
 * as "Failed to read auto-increment value from storage engine" (1467), not 1213: exam_answers had such a column until
 * migration 1765400000000 (INSERT … SELECT holds that lock to the statement's end), and a database not migrated yet may.
 */
function isDeadlock(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_AUTOINC_READ_FAILED';
}

/** A UTF-8 string as a MySQL hex literal with its character set: `_utf8mb4 X'…'` (empty: ''). */
function hexText(text: string): string {
  return text ? `_utf8mb4 X'${Buffer.from(text, 'utf8').toString('hex')}'` : "''";
}

/** A batched statement's text: each `{name}` replaced by its literal (checked integers, hex literals). */
function fill(template: string, literals: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => literals[name]!);
}

/** A template on one line: the batches carry one copy per save, so the indentation would be most of their bytes. */
const oneLine = (template: string) => template.replace(/\s+/g, ' ').trim();
/** mysql2's queryFormat for the batches' pool: the text as it is; values are refused. */
function literalOnly(sql: string, values: unknown): string {
  if (Array.isArray(values) ? values.length : values !== undefined && values !== null) throw new Error('the answer store sends complete SQL text: no values to format');
  return sql;
}
const UPSERT_BATCHED_TEXT = oneLine(UPSERT_IN_SESSION_BATCHED);
const SUBMIT_BATCHED_TEXT = oneLine(SUBMIT_IN_SESSION_BATCHED);

/**
 * The answer save, the hottest statement of the product. On MySQL it runs as a prepared statement on a small pool of
 * its own, opened without CLIENT_FOUND_ROWS so the affected-row count says what happened (1 inserted, 2 replaced, 0
 * nothing: an older seq, or the attempt closed) and the common case needs no second query. MySQL applies the
 * assignments left to right, so `value` is decided before `seq` changes.
 */
@Injectable()
export class ExamAnswerStore implements OnModuleDestroy {
  private readonly pool: Pool | null;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    // multipleStatements: the fast path's saves leave in batches (see upsertInSession); every value in them is an integer
    // checked here or a hex literal, so nothing a client sends is ever SQL text.
    // queryFormat: the batches are complete SQL text (query() gets no values on this pool; single statements use
    // execute()), so mysql2 need not scan kilobytes of it for placeholders on every batch. Values given here would be a
    // mistake, and fail loudly instead of being dropped.
    this.pool =
      config.database.kind === 'mysql'
        ? createPool({ uri: config.database.url, connectionLimit: 10, flags: ['-FOUND_ROWS'], timezone: 'Z', multipleStatements: true, queryFormat: literalOnly })
        : null;
  }

  /** Saves waiting for the next batch, and how many batches are on their way. */
  private queue: PendingSave[] = [];
  private batchesInFlight = 0;
  private flushScheduled = false;

  async upsert(attemptId: number, questionId: number, seq: number, json: string, nowMs: number): Promise<UpsertOutcome> {
    const params = [attemptId, questionId, seq, json, nowMs, attemptId, nowMs];
    if (this.pool) {
      const res = await this.run<ResultSetHeader>(UPSERT_MYSQL, params);
      return res.affectedRows === 1 ? 'inserted' : res.affectedRows === 2 ? 'replaced' : 'unchanged-or-closed';
    }
    // SQLite: the statement is cheap in-process; the caller reads the stored seq back.
    await this.db.query(UPSERT_SQLITE, params);
    return 'unchanged-or-closed';
  }

  /** True where upsertInSession is available (MySQL); elsewhere every save takes the full route. */
  get supportsSessionUpsert(): boolean {
    return this.pool !== null;
  }

  /**
   * The upsert, done only if session `sessionId` of user `userId` is live and the attempt is theirs, open and before its
   * deadline. 'unchanged-or-closed' covers everything else (an older seq too): the caller then takes the full route.
   */
  async upsertInSession(sessionId: string, userId: number, attemptId: number, questionId: number, seq: number, json: string, nowMs: number): Promise<UpsertOutcome> {
    if (!this.pool) return 'unchanged-or-closed';
    const ints = [attemptId, questionId, seq, nowMs, userId];
    if (!ints.every(Number.isSafeInteger)) return 'unchanged-or-closed';
    const sql = fill(UPSERT_BATCHED_TEXT, { attempt: String(attemptId), question: String(questionId), seq: String(seq), value: hexText(json), now: String(nowMs), session: hexText(sessionId), user: String(userId) });
    return new Promise<UpsertOutcome>((resolve) => {
      this.queue.push({ attemptId, questionId, sql, resolve: (affected) => resolve(affected === 1 ? 'inserted' : affected === 2 ? 'replaced' : 'unchanged-or-closed') });
      this.scheduleFlush();
    });
  }

  /**
   * The candidate's submit, done only while their login session is live and the attempt is theirs and in progress: one
   * statement, sent with the saves and submits that arrive together (a session's submit storm). False when it moved
   * nothing or its batch failed (the caller then takes the usual path, which submits it alone).
   */
  async submitInSession(sessionId: string, userId: number, attemptId: number, finishedAtMs: number): Promise<boolean> {
    if (!this.pool) return false;
    if (![attemptId, userId, finishedAtMs].every(Number.isSafeInteger)) return false;
    const sql = fill(SUBMIT_BATCHED_TEXT, { session: hexText(sessionId), finished: String(finishedAtMs), attempt: String(attemptId), user: String(userId) });
    return new Promise<boolean>((resolve) => {
      this.queue.push({ attemptId, questionId: SUBMIT_ORDER, sql, resolve: (affected) => resolve(affected === 1) });
      this.scheduleFlush();
    });
  }

  /**
   * Saves (and storm submits) arriving together leave together: the ones queued while the event loop ran (and while
   * earlier batches were on their way) go as one transaction of up to BATCH_MAX statements in one round trip, so
   * MariaDB reads, parses and flushes its log once for many candidates. Alone, a save leaves at once (one tick later).
   * A batch that fails (a deadlock, a lost connection) is rolled back whole, its connection closed, and each of its
   * statements answers null: the caller then takes the full route, which saves (or submits) it alone. Nothing is
   * acknowledged before its batch commits.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.batchesInFlight >= BATCHES_IN_FLIGHT) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      while (this.queue.length && this.batchesInFlight < BATCHES_IN_FLIGHT) {
        this.batchesInFlight++;
        this.sendBatch(this.queue.splice(0, BATCH_MAX));
      }
    });
  }

  private sendBatch(batch: PendingSave[], tries = 2): void {
    const pool = this.pool;
    const done = (affected: (number | null)[] | null) => {
      this.batchesInFlight--;
      batch.forEach((save, i) => save.resolve(affected?.[i] ?? null));
      if (this.queue.length) this.scheduleFlush();
    };
    if (!pool) return done(null);
    pool.getConnection((err, connection) => {
      if (err) return done(null);
      // Rows in key order, so two batches on their way lock the unique index in the same order (no deadlock between them).
      const ordered = batch.map((save, i) => ({ save, i })).sort((a, b) => a.save.attemptId - b.save.attemptId || a.save.questionId - b.save.questionId);
      const sql = batch.length === 1 ? batch[0].sql : `START TRANSACTION;${ordered.map(({ save }) => save.sql).join(';')};COMMIT`;
      connection.query(sql, (error, results) => {
        if (error) {
          // The transaction may still be open on this connection: closing it rolls it back.
          connection.destroy();
          // A deadlock victim was rolled back whole: send it once more before giving its saves to the full route.
          if (isDeadlock(error) && tries > 1) return this.sendBatch(batch, tries - 1);
          this.metrics.answerSaveBatchFailures.inc();
          return done(null);
        }
        connection.release();
        this.metrics.answerSaveBatch.observe(batch.length);
        const headers = (batch.length === 1 ? [results] : (results as ResultSetHeader[]).slice(1, -1)) as ResultSetHeader[];
        const affected: (number | null)[] = [];
        // Committed: a header this code cannot read answers null, and the full route reads the row back.
        ordered.forEach(({ i }, k) => (affected[i] = typeof headers[k]?.affectedRows === 'number' ? headers[k].affectedRows : null));
        done(affected);
      });
    });
  }

  async storedSeq(attemptId: number, questionId: number): Promise<number | null> {
    if (this.pool) {
      const rows = await this.run<RowDataPacket[]>('SELECT seq FROM exam_answers WHERE attempt_id = ? AND question_id = ?', [attemptId, questionId]);
      return rows.length ? Number(rows[0]!['seq']) : null;
    }
    const rows = (await this.db.query('SELECT seq FROM exam_answers WHERE attempt_id = ? AND question_id = ?', [attemptId, questionId])) as { seq: number | string }[];
    return rows.length ? Number(rows[0]!.seq) : null;
  }

  async onModuleDestroy(): Promise<void> {
    const pool = this.pool;
    if (pool) await new Promise<void>((resolve) => pool.end(() => resolve()));
  }

  /**
   * A prepared statement through mysql2's callback API (its promise wrapper captures a stack trace per query). Each is
   * one autocommit statement, so a deadlock victim (InnoDB rolled it back whole: concurrent upserts of one row can
   * meet that way) is simply run again, up to five times, a few milliseconds apart.
   */
  private run<T extends ResultSetHeader | RowDataPacket[]>(sql: string, params: (string | number)[], tries = 5): Promise<T> {
    const pool = this.pool!;
    return new Promise<T>((resolve, reject) => pool.execute<T>(sql, params, (err, res) => (err ? reject(err) : resolve(res)))).catch(async (err: unknown) => {
      if (tries <= 1 || !isDeadlock(err)) throw err;
      // A few milliseconds apart, so the same two writers do not meet again at once.
      await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 8));
      return this.run<T>(sql, params, tries - 1);
    });
  }
}

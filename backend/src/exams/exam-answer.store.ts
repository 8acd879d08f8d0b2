import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2';
import type { AppConfig } from '../infra/config/app-config';
import { APP_CONFIG } from '../infra/config/config.module';

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
const UPSERT_IN_SESSION_MYSQL = `INSERT INTO exam_answers (attempt_id, question_id, seq, value, updated_at_ms)
  SELECT ?, ?, ?, ?, ? FROM exam_attempts a
    JOIN sessions s ON s.id = ? AND s.user_id = a.user_id AND s.revoked_at IS NULL AND s.expires_at > UTC_TIMESTAMP()
  WHERE a.id = ? AND a.user_id = ? AND a.state = 'in_progress' AND a.deadline_ms >= ?
  ON DUPLICATE KEY UPDATE exam_answers.value = IF(VALUES(seq) > exam_answers.seq, VALUES(value), exam_answers.value),
    exam_answers.updated_at_ms = IF(VALUES(seq) > exam_answers.seq, VALUES(updated_at_ms), exam_answers.updated_at_ms),
    exam_answers.seq = GREATEST(exam_answers.seq, VALUES(seq))`;

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
  ) {
    this.pool = config.database.kind === 'mysql' ? createPool({ uri: config.database.url, connectionLimit: 10, flags: ['-FOUND_ROWS'], timezone: 'Z' }) : null;
  }

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
    const res = await this.run<ResultSetHeader>(UPSERT_IN_SESSION_MYSQL, [attemptId, questionId, seq, json, nowMs, sessionId, attemptId, userId, nowMs]);
    return res.affectedRows === 1 ? 'inserted' : res.affectedRows === 2 ? 'replaced' : 'unchanged-or-closed';
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

  /** A prepared statement through mysql2's callback API: its promise wrapper captures a stack trace per query. */
  private run<T extends ResultSetHeader | RowDataPacket[]>(sql: string, params: (string | number)[]): Promise<T> {
    const pool = this.pool!;
    return new Promise<T>((resolve, reject) => pool.execute<T>(sql, params, (err, res) => (err ? reject(err) : resolve(res))));
  }
}

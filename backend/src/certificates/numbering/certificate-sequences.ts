import type { DataSource, EntityManager } from 'typeorm';
import { MAX_SKILL_CERTIFICATE_SERIAL, type SkillLevel } from '@aitrainer/certificates';

export interface SequenceKey {
  /** The issuing organisation. */
  issuerId: number;
  /** Four-digit issue year. */
  year: number;
  level: SkillLevel;
}

export class SequenceExhaustedError extends Error {
  constructor(key: SequenceKey) {
    super(`certificate serials for issuer ${key.issuerId}, ${key.year}, level ${key.level} are exhausted (${MAX_SKILL_CERTIFICATE_SERIAL})`);
    this.name = 'SequenceExhaustedError';
  }
}

/**
 * Hands out certificate serials inside the caller's (issuing) transaction: unique and gap-free per issuer, year and
 * level. The sequence row stays locked until that transaction ends, so concurrent issuances on any number of API
 * processes queue on it; a rollback returns the serials.
 *
 * `prepare` creates the row ahead, outside any transaction (an autocommit `INSERT IGNORE`/`INSERT OR IGNORE`); then
 * `next` locks it with `SELECT ... FOR UPDATE` and updates it. Creating the row inside concurrent issuing transactions
 * would deadlock on InnoDB (concurrent inserts of one new unique key: shared locks upgraded to exclusive; measured in
 * the MySQL test), so when `next` finds no row it still creates it with one upsert, which is safe for a single issuer
 * but may be chosen as a deadlock victim under concurrency: batch issuance calls `prepare` first. SQLite has one
 * writer at a time, so there the same statements simply serialise.
 */
export class CertificateSequences {
  /** Creates the sequence row if missing; call outside the issuing transaction (idempotent). */
  async prepare(dataSource: DataSource, key: SequenceKey, now: Date = new Date()): Promise<void> {
    const mysql = dataSource.options.type === 'mysql';
    await dataSource.query(
      `INSERT ${mysql ? 'IGNORE' : 'OR IGNORE'} INTO certificate_sequences (issuer_id, year, level, last_serial, updated_at) VALUES (?, ?, ?, 0, ?)`,
      [key.issuerId, key.year, key.level, utc(now)],
    );
  }

  async next(manager: EntityManager, key: SequenceKey, count = 1, now: Date = new Date()): Promise<number[]> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('CertificateSequences.next must run inside the issuing transaction');
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    const mysql = manager.connection.options.type === 'mysql';
    const at = utc(now);
    const params = [key.issuerId, key.year, key.level];
    const where = 'issuer_id = ? AND year = ? AND level = ?';
    const rows = (await manager.query(`SELECT last_serial FROM certificate_sequences WHERE ${where}${mysql ? ' FOR UPDATE' : ''}`, params)) as { last_serial: number | string }[];
    let last: number;
    if (rows.length === 1) {
      last = Number(rows[0].last_serial);
      if (last + count > MAX_SKILL_CERTIFICATE_SERIAL) throw new SequenceExhaustedError(key);
      await manager.query(`UPDATE certificate_sequences SET last_serial = ?, updated_at = ? WHERE ${where}`, [last + count, at, ...params]);
    } else {
      const upsert = mysql
        ? 'INSERT INTO certificate_sequences (issuer_id, year, level, last_serial, updated_at) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE last_serial = last_serial + ?, updated_at = ?'
        : 'INSERT INTO certificate_sequences (issuer_id, year, level, last_serial, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (issuer_id, year, level) DO UPDATE SET last_serial = certificate_sequences.last_serial + ?, updated_at = ?';
      await manager.query(upsert, [...params, count, at, count, at]);
      const after = (await manager.query(`SELECT last_serial FROM certificate_sequences WHERE ${where}`, params)) as { last_serial: number | string }[];
      last = Number(after[0].last_serial) - count;
      if (last + count > MAX_SKILL_CERTIFICATE_SERIAL) throw new SequenceExhaustedError(key); // the caller's rollback undoes the upsert
    }
    return Array.from({ length: count }, (_, i) => last + 1 + i);
  }
}

/** UTC `YYYY-MM-DD HH:MM:SS`, as the application stores every timestamp (both drivers bind it as text). */
function utc(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

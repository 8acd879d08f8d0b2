import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

const LOCK = 'aitrainer_migrations';

/**
 * Applies pending migrations. On MySQL a named lock serialises processes starting together,
 * so only one of them runs each migration.
 */
export async function runMigrations(db: DataSource, logger = new Logger('Migrations')): Promise<string[]> {
  const mysql = db.options.type === 'mysql';
  const runner = mysql ? db.createQueryRunner() : null;
  let lock = LOCK;
  try {
    if (runner) {
      // Named locks are server-wide: name the database, so databases on one server never wait for each other.
      const [current] = (await runner.query('SELECT DATABASE() AS db')) as { db: string | null }[];
      lock = `${LOCK}:${current?.db ?? ''}`.slice(0, 64);
      const [row] = await runner.query('SELECT GET_LOCK(?, 120) AS got', [lock]);
      if (Number(row.got) !== 1) throw new Error('Could not take the migration lock within 120 s');
    }
    const applied = await db.runMigrations({ transaction: 'each' });
    for (const m of applied) logger.log(`Applied ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    if (runner) {
      await runner.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
      await runner.release();
    }
  }
}

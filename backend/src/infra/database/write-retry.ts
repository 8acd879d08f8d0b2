import { isUniqueViolation } from './unique-violation';

/** InnoDB chose this transaction as a deadlock victim, or waited too long for a lock; SQLite was busy. */
export function isTransientLockError(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const code = e?.driverError?.code ?? e?.code;
  const errno = e?.driverError?.errno ?? e?.errno;
  return code === 'ER_LOCK_DEADLOCK' || errno === 1213 || code === 'ER_LOCK_WAIT_TIMEOUT' || errno === 1205 || code === 'SQLITE_BUSY';
}

/** Thrown by an operation that found its reads overtaken by a concurrent writer: run it again. */
export class ConcurrentChange extends Error {}

export interface WriteRetryOptions {
  /** Tries in all (default 4). */
  attempts?: number;
  /** Also retry a unique-key clash: right when the operation re-reads what it numbers (the next version). */
  onUniqueViolation?: boolean;
}

/**
 * Runs a write (a whole transaction, with the reads it depends on) again when the database refused it for
 * concurrency: a deadlock victim, a lock wait timeout, or (when asked) a concurrent writer taking the same number.
 * Short randomised pauses so two retrying writers do not collide again. Any other error passes straight through.
 */
export async function withWriteRetry<T>(operation: () => Promise<T>, options: WriteRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (e) {
      const retriable = e instanceof ConcurrentChange || isTransientLockError(e) || (options.onUniqueViolation === true && isUniqueViolation(e));
      if (!retriable || attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}

import type { DataSource, EntityManager } from 'typeorm';

/**
 * Transactions of one owner (a service). SQLite (the embedded default) has one connection per DataSource, which
 * cannot hold two transactions at once: this owner's transactions queue. MySQL runs them concurrently; conditional
 * updates and row locks order them.
 */
export class SerialTransactions {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: DataSource) {}

  run<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const start = () => this.db.transaction(work);
    if (this.db.options.type === 'mysql') return start();
    const next = this.tail.then(start, start);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

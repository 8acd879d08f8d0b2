/**
 * Lookups by a unique key that arrive together leave together: the keys asked for while the event loop ran (and while
 * earlier statements were on their way) go as one `WHERE key IN (…)` statement, and each caller gets its own row. At
 * thousands of lookups a second the database parses, plans and answers once for many callers, and the process writes
 * one packet instead of many (on a small machine a loopback write costs as much as the rest of the lookup). Alone, a
 * lookup leaves at once (one turn of the event loop later); nothing waits for a timer.
 */
export interface CoalescedLookupOptions<R> {
  /** Runs one statement for these distinct keys (at most `max`), resolving the rows found (any order). */
  run: (keys: string[]) => Promise<R[]>;
  /** The key of a row, compared exactly with the key asked for. */
  keyOf: (row: R) => string;
  /** Keys in one statement. */
  max: number;
  /** Statements on their way at once; further lookups wait for the next one (and so leave in bigger groups). */
  inFlight: number;
  /** Told the size of every statement sent (metrics). */
  onBatch?: (size: number) => void;
}

interface Waiting<R> {
  key: string;
  resolve: (row: R | undefined) => void;
  reject: (error: unknown) => void;
}

export class CoalescedLookup<R> {
  private queue: Waiting<R>[] = [];
  private scheduled = false;
  private running = 0;

  constructor(private readonly options: CoalescedLookupOptions<R>) {}

  /** The row whose key is exactly `key`, or undefined. A failed statement fails every lookup in it. */
  get(key: string): Promise<R | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.options.inFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length && this.running < this.options.inFlight) this.send(this.take());
    });
  }

  /** The next waiting lookups holding at most `max` distinct keys (a key asked for twice is looked up once). */
  private take(): Waiting<R>[] {
    const keys = new Set<string>();
    let n = 0;
    while (n < this.queue.length && (keys.size < this.options.max || keys.has(this.queue[n]!.key))) keys.add(this.queue[n++]!.key);
    return this.queue.splice(0, n);
  }

  private send(group: Waiting<R>[]): void {
    this.running++;
    const keys = [...new Set(group.map((w) => w.key))];
    this.options.onBatch?.(keys.length);
    let statement: Promise<R[]>;
    try {
      statement = this.options.run(keys);
    } catch (error) {
      statement = Promise.reject(error);
    }
    statement.then(
      (rows) => {
        const byKey = new Map(rows.map((row) => [this.options.keyOf(row), row]));
        this.finish();
        for (const w of group) w.resolve(byKey.get(w.key));
      },
      (error: unknown) => {
        this.finish();
        for (const w of group) w.reject(error);
      },
    );
  }

  private finish(): void {
    this.running--;
    if (this.queue.length) this.schedule();
  }
}

/** mysql2's callback pool under TypeORM's MySQL driver (prepared statements without the promise wrapper's cost). */
export interface MysqlCallbackPool {
  execute: (sql: string, params: unknown[], cb: (err: Error | null, rows: unknown) => void) => void;
}

/** The DataSource's mysql2 pool when it runs on MySQL; null on SQLite (in-process: nothing to coalesce). */
export function mysqlPoolOf(dataSource: { options: { type: string }; driver: unknown }): MysqlCallbackPool | null {
  const pool = (dataSource.driver as { pool?: Partial<MysqlCallbackPool> }).pool;
  return dataSource.options.type === 'mysql' && typeof pool?.execute === 'function' ? (pool as MysqlCallbackPool) : null;
}

const GROUP_SIZES = [1, 2, 4, 8, 16, 32];

/**
 * A CoalescedLookup over one prepared statement `select WHERE column IN (?, …)` on MySQL: groups of up to 32 keys,
 * padded to 1, 2, 4, … 32 placeholders with the last key repeated, so each connection prepares at most six statements.
 */
export function coalescedSelect<R>(
  pool: MysqlCallbackPool,
  select: string,
  column: string,
  keyOf: (row: R) => string,
  options: { inFlight?: number; onBatch?: (size: number) => void } = {},
): CoalescedLookup<R> {
  const sqlBySize = new Map(GROUP_SIZES.map((n) => [n, `${select} WHERE ${column} ${n === 1 ? '= ?' : `IN (${new Array<string>(n).fill('?').join(', ')})`}`]));
  return new CoalescedLookup<R>({
    run: (keys) => {
      const size = GROUP_SIZES.find((n) => n >= keys.length)!;
      const params = keys.concat(new Array<string>(size - keys.length).fill(keys[keys.length - 1]!));
      return new Promise((resolve, reject) => pool.execute(sqlBySize.get(size)!, params, (err, rows) => (err ? reject(err) : resolve(rows as R[]))));
    },
    keyOf,
    max: GROUP_SIZES[GROUP_SIZES.length - 1]!,
    inFlight: options.inFlight ?? 4,
    onBatch: options.onBatch,
  });
}

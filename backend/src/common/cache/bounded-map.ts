/**
 * A Map that holds at most `limit` entries: adding a new key when full drops the oldest one. For the per-process
 * copies of rows that never change once written (see docs/architecture.md, "What each process may keep").
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

import type { AdmitResult, LimitPolicy, LimitStore } from './limit-store';

interface LogEntry {
  id: string;
  at: number;
  tokens: number;
}

/**
 * The limits in this process's memory, for the embedded default (one process, no Redis). Stores are
 * shared per key prefix, so two clients in one process still share one budget, as they would on Redis.
 */
export class MemoryLimitStore implements LimitStore {
  private static readonly byPrefix = new Map<string, MemoryLimitStore>();

  static shared(prefix: string): MemoryLimitStore {
    let store = MemoryLimitStore.byPrefix.get(prefix);
    if (!store) MemoryLimitStore.byPrefix.set(prefix, (store = new MemoryLimitStore()));
    return store;
  }

  /** slot id -> lease expiry (ms) */
  private readonly slots = new Map<string, number>();
  /** admissions in time order */
  private log: LogEntry[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  async tryAdmit(id: string, tokens: number, policy: LimitPolicy): Promise<AdmitResult> {
    const now = this.now();
    for (const [slot, expiry] of this.slots) if (expiry <= now) this.slots.delete(slot);
    const firstLive = this.log.findIndex((e) => e.at > now - policy.windowMs);
    this.log = firstLive < 0 ? [] : this.log.slice(firstLive);

    if (this.slots.size >= policy.concurrency) return { admitted: false, retryInMs: null };
    if (this.log.length >= policy.requestsPerWindow) {
      // The window frees a request when the entry that would make the count too high leaves it.
      const blocker = this.log[this.log.length - policy.requestsPerWindow];
      return { admitted: false, retryInMs: blocker.at + policy.windowMs - now };
    }
    let used = this.log.reduce((sum, e) => sum + e.tokens, 0);
    if (used + tokens > policy.tokensPerWindow) {
      for (const e of this.log) {
        used -= e.tokens;
        if (used + tokens <= policy.tokensPerWindow) return { admitted: false, retryInMs: e.at + policy.windowMs - now };
      }
      return { admitted: false, retryInMs: policy.windowMs };
    }
    this.slots.set(id, now + policy.slotLeaseMs);
    this.log.push({ id, at: now, tokens });
    return { admitted: true };
  }

  async releaseSlot(id: string): Promise<void> {
    this.slots.delete(id);
  }

  async settleTokens(id: string, _reserved: number, actual: number): Promise<void> {
    const entry = this.log.find((e) => e.id === id);
    if (entry) entry.tokens = actual;
  }
}

import { randomUUID } from 'node:crypto';
import { LlmPermanentError, LlmTransientError } from '../llm.errors';
import type { LimitPolicy, LimitStore } from './limit-store';

/** How often a caller waiting for a slot held by another process looks again. */
const SLOT_POLL_MS = 50;

/** One admitted HTTP attempt: a concurrency slot (until released) and its place in the rate windows. */
export class Permit {
  private released = false;

  constructor(
    readonly id: string,
    readonly reservedTokens: number,
    private readonly store: LimitStore,
    private readonly onRelease: () => void,
  ) {}

  /** Idempotent; a failure to reach Redis only leaves the slot until its lease expires. */
  async releaseSlot(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.store.releaseSlot(this.id).catch(() => undefined);
    this.onRelease();
  }

  /** Corrects the reservation to what the provider billed (0 when it refused the request). */
  async settleTokens(actual: number): Promise<void> {
    await this.store.settleTokens(this.id, this.reservedTokens, actual).catch(() => undefined);
  }
}

/**
 * Makes each HTTP attempt wait until it fits the concurrency, requests-per-window and tokens-per-window
 * limits, for at most `maxWaitMs`; a caller waiting longer gets a transient error so its job is retried
 * later instead of holding a worker forever.
 */
export class LlmGate {
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly store: LimitStore,
    readonly policy: LimitPolicy,
    private readonly maxWaitMs: number,
  ) {}

  async acquire(tokens: number): Promise<Permit> {
    if (tokens > this.policy.tokensPerWindow) {
      throw new LlmPermanentError(
        'request_too_large',
        `The request needs about ${tokens} tokens, more than the ${this.policy.tokensPerWindow} allowed per window (LLM_TPM)`,
      );
    }
    const id = randomUUID();
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      let result;
      try {
        result = await this.store.tryAdmit(id, tokens, this.policy);
      } catch (err) {
        throw new LlmTransientError('limiter_unavailable', 'Cannot check the LLM rate limits (Redis unreachable?)', { cause: err });
      }
      if (result.admitted) return new Permit(id, tokens, this.store, () => this.wakeAll());
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new LlmTransientError('limit_wait_exceeded', `Waited ${this.maxWaitMs} ms for the LLM concurrency and rate limits`);
      }
      await this.pause(Math.min(left, result.retryInMs ?? SLOT_POLL_MS + Math.random() * SLOT_POLL_MS));
    }
  }

  /** Sleeps, but wakes early when a slot is released in this process (other processes are polled). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

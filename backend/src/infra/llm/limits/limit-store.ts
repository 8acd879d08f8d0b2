/** The limits every call to the provider must fit in, whichever process makes it. */
export interface LimitPolicy {
  concurrency: number;
  /** Requests allowed in any window of `windowMs`. */
  requestsPerWindow: number;
  /** Tokens allowed in any window of `windowMs`. */
  tokensPerWindow: number;
  windowMs: number;
  /** How long a slot stays taken if its holder dies without releasing it. */
  slotLeaseMs: number;
}

export type AdmitResult =
  | { admitted: true }
  /** `retryInMs` is when the rate windows allow it; `null` means "when a slot is released" (unknown). */
  | { admitted: false; retryInMs: number | null };

/**
 * One atomic check-and-take of a concurrency slot, one request and `tokens` in the sliding windows.
 * Implementations: Redis (shared by every process) and memory (the embedded single-process default).
 */
export interface LimitStore {
  tryAdmit(id: string, tokens: number, policy: LimitPolicy): Promise<AdmitResult>;
  releaseSlot(id: string): Promise<void>;
  /** Replaces the reserved token count of admission `id` by what the provider actually billed. */
  settleTokens(id: string, reserved: number, actual: number): Promise<void>;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import OpenAI, { type ClientOptions } from 'openai';
import type { LlmGate, Permit } from './limits/llm-gate';
import { estimateRequestTokens } from './token-estimate';

type FetchArgs = Parameters<OpenAI['fetchWithTimeout']>;

/** What one logical chat call learns from the HTTP attempts the SDK makes on its behalf. */
export class CallContext {
  readonly abort = new AbortController();
  attempts = 0;
  /** The permit of the latest attempt: the one whose tokens the final usage settles. */
  permit: Permit | null = null;
  /** Why the gate refused to admit an attempt; the call is aborted so the SDK does not retry that. */
  gateError: unknown = null;
}

/**
 * The real openai client with every HTTP attempt, retries included, passed through the limits gate.
 * The gate sits in `fetchWithTimeout` (a public SDK method) rather than in a custom `fetch` because
 * the SDK starts its timeout clock before calling `fetch`: time spent waiting for a slot must not
 * count against the provider's answer time.
 */
export class GatedOpenAI extends OpenAI {
  private readonly calls = new AsyncLocalStorage<CallContext>();

  constructor(
    options: ClientOptions,
    private readonly gate: LlmGate,
  ) {
    super(options);
  }

  inCall<T>(call: CallContext, fn: () => Promise<T>): Promise<T> {
    return this.calls.run(call, fn);
  }

  override async fetchWithTimeout(...args: FetchArgs): Promise<Response> {
    const [url, init, ms, controller] = args;
    const call = this.calls.getStore();
    // Calls outside chat() (listing models for a health check) cost no tokens and are not limited.
    if (!call) return super.fetchWithTimeout(url, init, ms, controller);
    let permit: Permit;
    try {
      permit = await this.gate.acquire(estimateRequestTokens(init?.body));
    } catch (err) {
      // Aborting turns the SDK's "connection failed, retry" into an immediate stop.
      call.gateError = err;
      call.abort.abort();
      throw err;
    }
    call.attempts += 1;
    call.permit = permit;
    try {
      const response = await super.fetchWithTimeout(url, init, ms, controller);
      // A refused request consumed no tokens at the provider; give the reservation back.
      if (!response.ok) void permit.settleTokens(0);
      return response;
    } catch (err) {
      // The SDK recognises its own timeout by the error's name. When fetch's DOMException comes from
      // another realm (Jest's VM context) the SDK cannot read it and would report a connection error.
      if (controller.signal.aborted && !call.abort.signal.aborted) throw Object.assign(new Error(`Request timed out after ${ms} ms`), { name: 'AbortError' });
      throw err;
    } finally {
      // The non-streaming body follows the headers at once; the slot is for waiting on the model.
      await permit.releaseSlot();
    }
  }
}

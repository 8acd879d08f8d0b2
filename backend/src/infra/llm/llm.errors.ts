import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from 'openai';

/** Worth trying again later (the job queue's backoff): the provider was busy, slow, down or unreachable. */
export type LlmTransientCode =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'connection'
  | 'limit_wait_exceeded'
  | 'limiter_unavailable'
  | 'bad_response';

/** Trying again cannot help: the request, the key or the model name is wrong. */
export type LlmPermanentCode = 'invalid_request' | 'unauthorized' | 'forbidden' | 'model_not_found' | 'request_too_large';

export abstract class LlmError extends Error {
  abstract readonly transient: boolean;
  abstract readonly code: LlmTransientCode | LlmPermanentCode;
  /** The provider's HTTP status, when there was one. */
  readonly status?: number;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

export class LlmTransientError extends LlmError {
  readonly transient = true;
  /** What the provider asked for in Retry-After on the last 429/5xx, so a job can delay that long. */
  readonly retryAfterMs?: number;

  constructor(
    readonly code: LlmTransientCode,
    message: string,
    options: { status?: number; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, options);
    this.name = 'LlmTransientError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class LlmPermanentError extends LlmError {
  readonly transient = false;

  constructor(
    readonly code: LlmPermanentCode,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'LlmPermanentError';
  }
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Classifies what the openai SDK throws once its own retries are spent. Anything that is not an SDK
 * error (a bug in our code) is returned unchanged so that it is never mistaken for a provider hiccup.
 */
export function toLlmError(err: unknown): unknown {
  if (err instanceof LlmError || !(err instanceof OpenAIError)) return err;
  if (err instanceof APIConnectionTimeoutError) return new LlmTransientError('timeout', 'The LLM did not answer in time', { cause: err });
  if (err instanceof APIConnectionError) return new LlmTransientError('connection', `Cannot reach the LLM: ${err.message}`, { cause: err });
  if (err instanceof APIUserAbortError) return new LlmTransientError('connection', 'The LLM call was aborted', { cause: err });
  if (!(err instanceof APIError) || err.status === undefined) {
    return new LlmTransientError('bad_response', `Unexpected answer from the LLM: ${err.message}`, { cause: err });
  }
  const status = err.status;
  const message = `LLM provider answered ${err.message}`;
  const headers = err.headers instanceof Headers ? err.headers : undefined;
  if (status === 429) return new LlmTransientError('rate_limited', message, { status, cause: err, retryAfterMs: retryAfterMs(headers) });
  if (status >= 500 || status === 408 || status === 409) {
    return new LlmTransientError('server_error', message, { status, cause: err, retryAfterMs: retryAfterMs(headers) });
  }
  if (status === 401) return new LlmPermanentError('unauthorized', message, { status, cause: err });
  if (status === 403) return new LlmPermanentError('forbidden', message, { status, cause: err });
  if (status === 404) return new LlmPermanentError('model_not_found', message, { status, cause: err });
  if (status === 413) return new LlmPermanentError('request_too_large', message, { status, cause: err });
  return new LlmPermanentError('invalid_request', message, { status, cause: err });
}

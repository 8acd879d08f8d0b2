import { HttpErrorResponse } from '@angular/common/http';
import { ErrorCode, type ErrorBody, type FieldProblem } from '@aitrainer/contracts';

/** Codes the portal adds for failures that never reached the API. */
export type ClientProblemCode = 'NETWORK' | 'UNKNOWN';

/** Any failed request, normalised so that pages never inspect raw HTTP errors. */
export interface ApiProblem {
  status: number;
  code: ErrorCode | ClientProblemCode;
  /** The server's own message (English, for logs); the UI shows a translated text instead. */
  serverMessage: string | null;
  fields: FieldProblem[];
  /** From the Retry-After header of a 429 (or the body's `params.retryAfter`). */
  retryAfterSeconds: number | null;
  /** The body's `params`, for wording the code (e.g. a sign-in throttle's `scope`). */
  params?: Record<string, string | number>;
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ErrorBody>;
  return typeof candidate.code === 'string' && KNOWN_CODES.has(candidate.code);
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export function toApiProblem(error: unknown): ApiProblem {
  if (!(error instanceof HttpErrorResponse)) {
    return { status: 0, code: 'UNKNOWN', serverMessage: String(error), fields: [], retryAfterSeconds: null };
  }
  if (error.status === 0) {
    return { status: 0, code: 'NETWORK', serverMessage: error.message, fields: [], retryAfterSeconds: null };
  }
  const body: unknown = error.error;
  const retryAfterSeconds = parseRetryAfter(error.headers.get('Retry-After'));
  if (isErrorBody(body)) {
    const params = typeof body.params === 'object' && body.params !== null ? body.params : undefined;
    const fromParams = typeof params?.['retryAfter'] === 'number' ? params['retryAfter'] : null;
    return {
      status: error.status,
      code: body.code,
      serverMessage: body.message,
      fields: Array.isArray(body.fields) ? body.fields : [],
      retryAfterSeconds: retryAfterSeconds ?? fromParams,
      ...(params ? { params } : {}),
    };
  }
  // A proxy or an old server answered without our error body: fall back on the status.
  const byStatus: Record<number, ErrorCode> = {
    400: ErrorCode.ValidationFailed,
    401: ErrorCode.Unauthenticated,
    403: ErrorCode.Forbidden,
    404: ErrorCode.NotFound,
    409: ErrorCode.Conflict,
    413: ErrorCode.PayloadTooLarge,
    429: ErrorCode.TooManyAttempts,
  };
  return {
    status: error.status,
    code: byStatus[error.status] ?? (error.status >= 500 ? ErrorCode.Internal : 'UNKNOWN'),
    serverMessage: error.message,
    fields: [],
    retryAfterSeconds,
  };
}

export function errorCodeOf(error: unknown): ApiProblem['code'] {
  return toApiProblem(error).code;
}

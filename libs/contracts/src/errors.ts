/** Every error body the API returns has this shape. */
export interface FieldProblem {
  /** Dotted path of the offending field in the request, e.g. `idNumber` or `body`. */
  field: string;
  /** What is wrong with it, in plain words. */
  problem: string;
  /** A stable code for the problem (the portal words it from its catalogue with `params`), where one is defined. */
  code?: string;
  params?: Record<string, string | number>;
}

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  fields?: FieldProblem[];
  /** Values the portal words the code with (e.g. `scope` and `retryAfter` of a sign-in throttle), where the code has any. */
  params?: Record<string, string | number>;
}

/**
 * Which sign-in limit answered 429: `address` — this address failed too often for this account (growing delay);
 * `account` — too many addresses failed for this account (only addresses the owner has not signed in from wait);
 * `ip` — this address failed too often across accounts.
 */
export type LoginThrottleScope = 'address' | 'account' | 'ip';

export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  MalformedJson: 'MALFORMED_JSON',
  Unauthenticated: 'UNAUTHENTICATED',
  TokenExpired: 'TOKEN_EXPIRED',
  SessionRevoked: 'SESSION_REVOKED',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  /** The account exists but has been disabled by an administrator. */
  AccountDisabled: 'ACCOUNT_DISABLED',
  RefreshTokenReused: 'REFRESH_TOKEN_REUSED',
  TooManyAttempts: 'TOO_MANY_ATTEMPTS',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  /** The candidate does not meet the exam's eligibility rules (each reason a field problem with a code). */
  NotEligible: 'NOT_ELIGIBLE',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** A limit per person or per day was reached (not a login throttle). */
  LimitReached: 'LIMIT_REACHED',
  /** A dependency such as the LLM is not configured or not reachable. */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

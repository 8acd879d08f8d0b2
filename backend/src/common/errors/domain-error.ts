import { ErrorCode, type FieldProblem } from '@aitrainer/contracts';

/** An error the product expects and explains; the exception filter maps its code to an HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldProblem[],
    readonly headers?: Record<string, string>,
    /** Sent as the body's `params`, for the portal to word the code with. */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(field: string, problem: string): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, `${field} ${problem}`, [{ field, problem }]);
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }

  static forbidden(message = 'You are not allowed to do this'): DomainError {
    return new DomainError(ErrorCode.Forbidden, message);
  }

  static conflict(field: string, problem: string): DomainError {
    return new DomainError(ErrorCode.Conflict, `${field} ${problem}`, [{ field, problem }]);
  }

  static unauthenticated(code: ErrorCode = ErrorCode.Unauthenticated, message = 'Sign in required'): DomainError {
    return new DomainError(code, message);
  }
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  SESSION_REVOKED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_DISABLED: 403,
  REFRESH_TOKEN_REUSED: 401,
  TOO_MANY_ATTEMPTS: 429,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  NOT_ELIGIBLE: 409,
  PAYLOAD_TOO_LARGE: 413,
  LIMIT_REACHED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

import { ErrorCode, PROBLEM_TEXT, fillProblemText, type CodedProblem, type FieldProblem, type ProblemArgs, type ProblemCode, type ProblemParamValue } from '@aitrainer/contracts';

/** A field problem from a code (with the params its text takes) or from a validator's coded problem. */
function fieldProblem(field: string, problem: ProblemCode | CodedProblem, params?: Record<string, ProblemParamValue>): FieldProblem {
  if (typeof problem !== 'string') return { field, problem: problem.problem, code: problem.code, ...(problem.params && { params: problem.params }) };
  return { field, problem: fillProblemText(PROBLEM_TEXT[problem], params), code: problem, ...(params && { params }) };
}

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

  /**
   * A 400 naming one field, with a stable problem code (worded by the portal from `problem.<CODE>`) and the params its
   * text takes, e.g. `DomainError.validation('name', 'TOO_LONG', { max: 100 })`; or a validator's coded problem.
   */
  static validation<C extends ProblemCode>(field: string, code: C, ...params: ProblemArgs<C>): DomainError;
  static validation(field: string, problem: CodedProblem): DomainError;
  static validation(field: string, problem: ProblemCode | CodedProblem, params?: Record<string, ProblemParamValue>): DomainError {
    const f = fieldProblem(field, problem, params);
    return new DomainError(ErrorCode.ValidationFailed, `${field} ${f.problem}`, [f]);
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }

  static forbidden(message = 'You are not allowed to do this'): DomainError {
    return new DomainError(ErrorCode.Forbidden, message);
  }

  /** A 409 naming one field, coded like `validation`. */
  static conflict<C extends ProblemCode>(field: string, code: C, ...params: ProblemArgs<C>): DomainError;
  static conflict(field: string, problem: CodedProblem): DomainError;
  static conflict(field: string, problem: ProblemCode | CodedProblem, params?: Record<string, ProblemParamValue>): DomainError {
    const f = fieldProblem(field, problem, params);
    return new DomainError(ErrorCode.Conflict, `${field} ${f.problem}`, [f]);
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

import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorCode, PROBLEM_TEXT, type ErrorBody } from '@aitrainer/contracts';
import { DomainError, STATUS_BY_CODE } from './domain-error';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  429: ErrorCode.TooManyAttempts,
};

/** Turns anything thrown into an ErrorBody. Unknown errors are logged and answered with a bare 500. */
export function toErrorResponse(error: unknown, logger: Logger, req?: Request): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (error instanceof DomainError) {
    const status = STATUS_BY_CODE[error.code];
    const body: ErrorBody = { statusCode: status, code: error.code, message: error.message };
    if (error.fields) body.fields = error.fields;
    if (error.params) body.params = error.params;
    return { status, body, headers: error.headers };
  }
  // body-parser errors: malformed JSON, too large, wrong charset
  const parserError = error as { type?: string; status?: number };
  if (parserError?.type === 'entity.parse.failed') {
    return {
      status: 400,
      body: { statusCode: 400, code: ErrorCode.MalformedJson, message: 'The request body is not valid JSON', fields: [{ field: 'body', problem: 'is not valid JSON', code: 'NOT_JSON' }] },
    };
  }
  if (parserError?.type === 'entity.too.deep') {
    return {
      status: 400,
      body: { statusCode: 400, code: ErrorCode.MalformedJson, message: error instanceof Error ? error.message : 'The request body nests too deep', fields: [{ field: 'body', problem: PROBLEM_TEXT.BODY_TOO_DEEP, code: 'BODY_TOO_DEEP' }] },
    };
  }
  if (parserError?.type === 'entity.too.large') {
    return { status: 413, body: { statusCode: 413, code: ErrorCode.PayloadTooLarge, message: 'The request body is too large' } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) {
      const code = CODE_BY_STATUS[status] ?? ErrorCode.ValidationFailed;
      const message = status === 404 ? `No route for ${req?.method ?? ''} ${req?.path ?? ''}`.trim() : error.message;
      return { status, body: { statusCode: status, code, message } };
    }
  }
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return { status: parserError.status, body: { statusCode: parserError.status, code: CODE_BY_STATUS[parserError.status] ?? ErrorCode.ValidationFailed, message: 'The request could not be read' } };
  }
  logger.error(
    `Unhandled error on ${req?.method ?? '?'} ${req?.originalUrl ?? '?'}: ${error instanceof Error ? error.stack : String(error)}`,
  );
  return { status: 500, body: { statusCode: 500, code: ErrorCode.Internal, message: 'Something went wrong on our side. Please try again.' } };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const { status, body, headers } = toErrorResponse(exception, this.logger, req);
    if (res.headersSent) return;
    // A route's own @Header (a CSV or xlsx download) must not dress the error up as a file.
    res.removeHeader('Content-Disposition');
    res.type('application/json');
    if (headers) res.set(headers);
    res.status(status).json(body);
  }
}

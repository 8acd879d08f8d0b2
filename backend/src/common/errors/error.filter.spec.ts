import { BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { toErrorResponse } from './error.filter';

class RecordingLogger extends Logger {
  readonly lines: string[] = [];
  override error(message: unknown): void {
    this.lines.push(String(message));
  }
}

describe('toErrorResponse', () => {
  it('maps a domain error code to its status with the fields', () => {
    const r = toErrorResponse(DomainError.validation('idNumber', 'INVALID'), new RecordingLogger());
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'idNumber is not valid', fields: [{ field: 'idNumber', problem: 'is not valid', code: 'INVALID' }] });
  });

  it.each([
    [DomainError.notFound('User'), 404],
    [DomainError.forbidden(), 403],
    [DomainError.conflict('username', 'ALREADY_USED'), 409],
    [DomainError.unauthenticated(), 401],
  ])('%s -> %i', (error, status) => {
    expect(toErrorResponse(error, new RecordingLogger()).status).toBe(status);
  });

  it('logs an unknown error and keeps its details out of the body', () => {
    const logger = new RecordingLogger();
    const r = toErrorResponse(new Error('connect ECONNREFUSED 10.0.0.5:3306 password=hunter2'), logger);
    expect(r.status).toBe(500);
    expect(r.body.code).toBe('INTERNAL');
    expect(JSON.stringify(r.body)).not.toMatch(/ECONNREFUSED|hunter2|at /);
    expect(logger.lines.join()).toContain('ECONNREFUSED');
  });

  it('turns a body-parser syntax error into MALFORMED_JSON', () => {
    const err = Object.assign(new SyntaxError('Unexpected end of JSON input'), { type: 'entity.parse.failed', status: 400 });
    expect(toErrorResponse(err, new RecordingLogger()).body.code).toBe('MALFORMED_JSON');
  });

  it('keeps Nest HTTP exceptions below 500 in the error shape', () => {
    expect(toErrorResponse(new NotFoundException(), new RecordingLogger()).body.code).toBe('NOT_FOUND');
    expect(toErrorResponse(new BadRequestException('Validation failed (numeric string is expected)'), new RecordingLogger()).status).toBe(400);
  });
});

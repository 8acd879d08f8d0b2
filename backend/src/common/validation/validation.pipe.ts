import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldProblem } from '@aitrainer/contracts';
import { ErrorCode } from '@aitrainer/contracts';
import { DomainError } from '../errors/domain-error';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem: problem.replace(new RegExp(`^${e.property} `), '') }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** DTO validation: unknown fields are refused, every bad field is named in the 400. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new DomainError(
        ErrorCode.ValidationFailed,
        fields.map((f) => `${f.field} ${f.problem}`).join('; '),
        fields,
      );
    },
  });
}

/**
 * A JSON object sent as one text field of a multipart upload (e.g. `tags`), checked against its DTO like a JSON
 * body: a 400 names `<field>` when it is not JSON, `<field>.<property>` for each bad property.
 */
export function jsonFormField<T extends object>(field: string, value: unknown, dto: new () => T): T {
  if (typeof value !== 'string' || value.trim() === '') throw DomainError.validation(field, 'JSON_FIELD_REQUIRED');
  let plain: unknown;
  try {
    plain = JSON.parse(value);
  } catch {
    throw DomainError.validation(field, 'NOT_JSON');
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) throw DomainError.validation(field, 'NOT_JSON_OBJECT');
  const instance = plainToInstance(dto, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const fields = flatten(errors, field);
    throw new DomainError(ErrorCode.ValidationFailed, fields.map((f) => `${f.field} ${f.problem}`).join('; '), fields);
  }
  return instance;
}

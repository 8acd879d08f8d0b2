import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldProblem } from '@aitrainer/contracts';
import { ErrorCode } from '@aitrainer/contracts';
import { DomainError } from '../errors/domain-error';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
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

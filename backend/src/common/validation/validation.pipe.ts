import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { codedProblem, isProblemCode, type CodedProblem, type FieldProblem, type IdDocumentType } from '@aitrainer/contracts';
import { ErrorCode } from '@aitrainer/contracts';
import { passwordCodedProblem, validateCreditCode, validateIdDocument, type ValidationResult } from '@aitrainer/domain';
import { DomainError } from '../errors/domain-error';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';

/** The constraints (e.g. `[200]` of `@MaxLength(200)`) a decorator named `name` set on the failed property. */
function constraintsOf(e: ValidationError, name: string): unknown[] {
  const target = e.target?.constructor;
  if (!target) return [];
  const meta = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find((m) => m.propertyName === e.property && m.name === name);
  return meta?.constraints ?? [];
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const invalidFrom = (r: ValidationResult): CodedProblem | null => (r.valid ? null : { code: r.code, ...(r.params && { params: r.params }), problem: r.reason });

/**
 * The stable code of a class-validator failure, by its constraint name (a decorator's `context: { problem: CODE }`
 * wins, for custom messages such as a `@Matches` pattern's), with the params the code's text takes.
 */
export function constraintProblem(e: ValidationError, name: string, message: string): CodedProblem {
  const context = e.contexts?.[name] as { problem?: unknown; params?: CodedProblem['params'] } | undefined;
  if (context && isProblemCode(context.problem)) return { code: context.problem, ...(context.params && { params: context.params }), problem: message };
  const [first, second] = constraintsOf(e, name);
  const value = e.value as unknown;
  const owner = (e.target ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'isNotEmpty':
    case 'isDefined':
      return codedProblem('REQUIRED');
    case 'isString':
      return codedProblem('NOT_TEXT');
    case 'maxLength':
      return codedProblem('TOO_LONG', { max: num(first) });
    case 'minLength':
      return num(first) <= 1 ? codedProblem('REQUIRED') : codedProblem('TOO_SHORT', { min: num(first) });
    case 'length':
      return typeof value === 'string' && value.length < num(first) ? codedProblem('TOO_SHORT', { min: num(first) }) : codedProblem('TOO_LONG', { max: num(second) });
    case 'min':
      return codedProblem('TOO_SMALL', { min: num(first) });
    case 'max':
      return codedProblem('TOO_LARGE', { max: num(first) });
    case 'isInt':
      return codedProblem('NOT_AN_INTEGER');
    case 'isNumber':
    case 'isNumberString':
      return codedProblem('NOT_A_NUMBER');
    case 'isBoolean':
      return codedProblem('NOT_A_BOOLEAN');
    case 'isIn':
      return codedProblem('MUST_BE_ONE_OF', { allowed: Array.isArray(first) ? first.join(', ') : String(first) });
    case 'isEnum':
      return codedProblem('MUST_BE_ONE_OF', { allowed: first && typeof first === 'object' ? Object.values(first).join(', ') : String(first) });
    case 'isArray':
      return codedProblem('NOT_A_LIST');
    case 'arrayMaxSize':
      return codedProblem('TOO_MANY', { max: num(first) });
    case 'arrayMinSize':
    case 'arrayNotEmpty':
      return name === 'arrayNotEmpty' || num(first) <= 1 ? codedProblem('EMPTY_LIST') : codedProblem('TOO_FEW', { min: num(first) });
    case 'isObject':
    case 'nestedValidation':
      return codedProblem('NOT_AN_OBJECT');
    case 'whitelistValidation':
      return codedProblem('UNKNOWN_FIELD');
    case 'isTimeZone':
      return codedProblem('NOT_A_TIME_ZONE');
    case 'isCreditCode':
      return (typeof value === 'string' && invalidFrom(validateCreditCode(value))) || codedProblem('CREDIT_CODE_LENGTH');
    case 'isIdNumberFor': {
      const type = owner[String(first)] as IdDocumentType;
      return (typeof value === 'string' && invalidFrom(validateIdDocument(type, value))) || codedProblem('NOT_TEXT');
    }
    case 'isAcceptablePassword':
      return (typeof value === 'string' && passwordCodedProblem(value, owner['username'] as string | undefined)) || codedProblem('NOT_TEXT');
    case 'matches':
      return codedProblem('BAD_FORMAT');
    default:
      return codedProblem('INVALID');
  }
}

/** Every failed constraint as a field problem: the code and params for the portal, class-validator's English for API readers. */
export function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([name, message]): FieldProblem => {
      const problem = message.replace(new RegExp(`^${e.property} `), '');
      const coded = constraintProblem(e, name, problem);
      return { field, problem, code: coded.code, ...(coded.params && { params: coded.params }) };
    });
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** DTO validation: unknown fields are refused, every bad field is named in the 400. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // The failed object and value let each failure be mapped to its code (the constraint's numbers, the ID type).
    validationError: { target: true, value: true },
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
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: true, value: true } });
  if (errors.length) {
    const fields = flatten(errors, field);
    throw new DomainError(ErrorCode.ValidationFailed, fields.map((f) => `${f.field} ${f.problem}`).join('; '), fields);
  }
  return instance;
}

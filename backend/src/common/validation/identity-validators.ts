import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { ID_DOCUMENT_TYPES, type IdDocumentType } from '@aitrainer/contracts';
import { passwordProblem, validateCreditCode, validateIdDocument } from '@aitrainer/domain';

/** 统一社会信用代码 with its GB 32100 check character. */
export function IsCreditCode(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCreditCode',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && validateCreditCode(value).valid,
        defaultMessage: (args: ValidationArguments) => {
          const value = args.value;
          if (typeof value !== 'string') return 'must be a string of 18 characters';
          const result = validateCreditCode(value);
          return result.valid ? '' : `is not a valid unified social credit code: ${result.reason}`;
        },
      },
    });
}

/** An ID number valid for the document type named by `typeProperty` on the same object. */
export function IsIdNumberFor(typeProperty: string, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIdNumberFor',
      target: object.constructor,
      propertyName,
      constraints: [typeProperty],
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const type = (args.object as Record<string, unknown>)[typeProperty] as IdDocumentType | undefined;
          if (typeof value !== 'string') return false;
          if (!type || !ID_DOCUMENT_TYPES.includes(type)) return true; // the type's own error is reported instead
          return validateIdDocument(type, value).valid;
        },
        defaultMessage: (args: ValidationArguments) => {
          const type = (args.object as Record<string, unknown>)[typeProperty] as IdDocumentType;
          if (typeof args.value !== 'string') return 'must be a string';
          const result = validateIdDocument(type, args.value);
          return result.valid ? '' : `is not a valid ${type} number: ${result.reason}`;
        },
      },
    });
}

export function IsAcceptablePassword(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAcceptablePassword',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          typeof value === 'string' && passwordProblem(value, (args.object as { username?: string }).username) === null,
        defaultMessage: (args: ValidationArguments) =>
          typeof args.value === 'string'
            ? passwordProblem(args.value, (args.object as { username?: string }).username) ?? ''
            : 'must be a string',
      },
    });
}

/** Is this an IANA time zone name the runtime knows (e.g. Asia/Shanghai, UTC)? */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || !value || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name (e.g. Asia/Shanghai). */
export function IsTimeZone(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => isTimeZone(value),
        defaultMessage: () => 'must be an IANA time zone name such as Asia/Shanghai',
      },
    });
}

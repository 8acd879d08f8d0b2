/** GB 11643-1999 citizen identity number: 6-digit area, YYYYMMDD birth date, 3-digit sequence, check character. */
import { codedProblem, type ProblemArgs, type ProblemCode, type ProblemParamValue } from '@aitrainer/contracts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** Invalid: the English reason, and its stable code and params (the portal and the roster report word the code). */
export type ValidationResult =
  | { valid: true; normalized: string }
  | { valid: false; reason: string; code: ProblemCode; params?: Record<string, ProblemParamValue> };

/** An invalid result with the code's English text as its reason. */
export function invalidResult<C extends ProblemCode>(code: C, ...args: ProblemArgs<C>): ValidationResult {
  const p = codedProblem(code, ...args);
  return { valid: false, reason: p.problem, code: p.code, ...(p.params && { params: p.params }) };
}

export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Validates an 18-character resident ID. A trailing lower-case `x` is accepted and upper-cased.
 * `today` is injectable so that the "birth date in the future" rule is testable.
 */
export function validateResidentId(input: string, today: Date = new Date()): ValidationResult {
  const value = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) {
    return invalidResult('ID_FORMAT');
  }
  if (value[0] === '0') return invalidResult('ID_AREA_CODE');
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (year < 1900 || !isRealDate(year, month, day)) {
    return invalidResult('ID_BIRTH_DATE_INVALID');
  }
  if (Date.UTC(year, month - 1, day) > today.getTime()) {
    return invalidResult('ID_BIRTH_DATE_FUTURE');
  }
  if (residentIdCheckCharacter(value.slice(0, 17)) !== value[17]) {
    return invalidResult('ID_CHECK_CHARACTER');
  }
  return { valid: true, normalized: value };
}

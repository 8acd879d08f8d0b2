/** GB 11643-1999 citizen identity number: 6-digit area, YYYYMMDD birth date, 3-digit sequence, check character. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type ValidationResult = { valid: true; normalized: string } | { valid: false; reason: string };

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
    return { valid: false, reason: 'must be 18 characters: 17 digits and a final digit or X' };
  }
  if (value[0] === '0') return { valid: false, reason: 'area code is not valid' };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (year < 1900 || !isRealDate(year, month, day)) {
    return { valid: false, reason: 'birth date is not a real date' };
  }
  if (Date.UTC(year, month - 1, day) > today.getTime()) {
    return { valid: false, reason: 'birth date is in the future' };
  }
  if (residentIdCheckCharacter(value.slice(0, 17)) !== value[17]) {
    return { valid: false, reason: 'check character does not match (GB 11643)' };
  }
  return { valid: true, normalized: value };
}

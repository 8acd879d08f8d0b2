import { invalidResult, type ValidationResult } from './resident-id';

/** GB 32100-2015 Unified Social Credit Code (统一社会信用代码). */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return CHARSET[(31 - (sum % 31)) % 31];
}

export function validateCreditCode(input: string): ValidationResult {
  const value = input.trim().toUpperCase();
  if (value.length !== 18) return invalidResult('CREDIT_CODE_LENGTH');
  for (const ch of value) {
    if (!CHARSET.includes(ch)) {
      return invalidResult('CREDIT_CODE_CHARACTER', { char: ch });
    }
  }
  // Positions 3-8 are the administrative area code: digits only.
  if (!/^\d{6}$/.test(value.slice(2, 8))) return invalidResult('CREDIT_CODE_AREA');
  if (creditCodeCheckCharacter(value.slice(0, 17)) !== value[17]) {
    return invalidResult('CREDIT_CODE_CHECK');
  }
  return { valid: true, normalized: value };
}

import type { ValidationResult } from './resident-id';

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
  if (value.length !== 18) return { valid: false, reason: 'must be 18 characters' };
  for (const ch of value) {
    if (!CHARSET.includes(ch)) {
      return { valid: false, reason: `contains "${ch}", which is not allowed (I, O, S, V and Z are never used)` };
    }
  }
  // Positions 3-8 are the administrative area code: digits only.
  if (!/^\d{6}$/.test(value.slice(2, 8))) return { valid: false, reason: 'area code (positions 3-8) must be digits' };
  if (creditCodeCheckCharacter(value.slice(0, 17)) !== value[17]) {
    return { valid: false, reason: 'check character does not match (GB 32100)' };
  }
  return { valid: true, normalized: value };
}

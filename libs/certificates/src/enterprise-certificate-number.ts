import { randomBytes } from 'node:crypto';

/**
 * The enterprise certificate number: `<PREFIX>-<YYYY>-<RANDOM>-<C>`, e.g. `AIT-2026-7KQ3M9XW2P-H`.
 * - PREFIX: the issuer's own 2-8 letters/digits;
 * - RANDOM: 10 characters of Crockford base32 (50 random bits), so numbers cannot be guessed in sequence;
 * - C: an ISO/IEC 7064 MOD 37,36 check character over PREFIX+YYYY+RANDOM (hyphens excluded). The hybrid system
 *   (rather than MOD 37-2) keeps the check character alphanumeric, so it never needs escaping in URLs or CSV, and
 *   still catches every single-character error and every adjacent transposition.
 */
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ENTERPRISE_RANDOM_LENGTH = 10;
export const ENTERPRISE_CERTIFICATE_NUMBER_PATTERN = /^([A-Z0-9]{2,8})-(\d{4})-([0-9A-HJKMNP-TV-Z]{10})-([0-9A-Z])$/;

/** ISO/IEC 7064 MOD 37,36 check character for a string of 0-9 and A-Z. */
export function mod3736CheckCharacter(input: string): string {
  const m = 36;
  let p = m;
  for (const ch of input) {
    const value = ALPHANUMERIC.indexOf(ch);
    if (value < 0) throw new RangeError(`"${ch}" is not 0-9 or A-Z`);
    let s = (p + value) % m;
    if (s === 0) s = m;
    p = (s * 2) % (m + 1);
  }
  return ALPHANUMERIC[(m + 1 - p) % m];
}

export function isValidMod3736(input: string): boolean {
  if (input.length < 2 || !/^[0-9A-Z]+$/.test(input)) return false;
  return mod3736CheckCharacter(input.slice(0, -1)) === input[input.length - 1];
}

export interface EnterpriseNumberParts {
  prefix: string;
  year: number;
  random: string;
}

/** Draws a new enterprise number; `random` is injectable (n bytes) for deterministic tests. */
export function generateEnterpriseCertificateNumber(
  prefix: string,
  year: number,
  random: (size: number) => Uint8Array = randomBytes,
): string {
  const bytes = random(ENTERPRISE_RANDOM_LENGTH);
  let part = '';
  for (let i = 0; i < ENTERPRISE_RANDOM_LENGTH; i++) part += CROCKFORD[bytes[i] & 31]; // 256 = 8 × 32: no bias
  return formatEnterpriseCertificateNumber({ prefix, year, random: part });
}

export function formatEnterpriseCertificateNumber(parts: EnterpriseNumberParts): string {
  const prefix = parts.prefix.toUpperCase();
  if (!/^[A-Z0-9]{2,8}$/.test(prefix)) throw new RangeError('prefix must be 2-8 letters or digits');
  if (!Number.isInteger(parts.year) || parts.year < 2000 || parts.year > 9999) throw new RangeError('year must be four digits');
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(parts.random)) throw new RangeError('random part must be 10 Crockford base32 characters');
  const body = `${prefix}${parts.year}${parts.random}`;
  return `${prefix}-${parts.year}-${parts.random}-${mod3736CheckCharacter(body)}`;
}

export type EnterpriseNumberResult = { valid: true; normalized: string; parts: EnterpriseNumberParts } | { valid: false; reason: string };

export function parseEnterpriseCertificateNumber(input: string): EnterpriseNumberResult {
  const value = input.trim().toUpperCase();
  const m = ENTERPRISE_CERTIFICATE_NUMBER_PATTERN.exec(value);
  if (!m) return { valid: false, reason: 'must look like PREFIX-YYYY-XXXXXXXXXX-C (random part in Crockford base32)' };
  if (mod3736CheckCharacter(`${m[1]}${m[2]}${m[3]}`) !== m[4]) return { valid: false, reason: 'check character does not match (ISO 7064 MOD 37,36)' };
  return { valid: true, normalized: value, parts: { prefix: m[1], year: Number(m[2]), random: m[3] } };
}

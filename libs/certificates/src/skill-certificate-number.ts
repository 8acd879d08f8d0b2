import { isSkillLevel, type SkillLevel } from './levels';

/**
 * The national vocational skill level certificate number (人社鉴发〔2019〕2号): 22 characters, one letter and
 * 21 digits, no check digit.
 *
 *   Y 0001 33 010001 26 5 000001
 *   │ │    │  │      │  │ └ serial assigned by the evaluation body (17-22)
 *   │ │    │  │      │  └ level digit 1-5, 5 = 五级 (16)
 *   │ │    │  │      └ issue year, two digits (14-15)
 *   │ │    │  └ site serial assigned by the provincial bureau (8-13)
 *   │ │    └ province code (6-7)
 *   │ └ evaluation-body code, `0000` when filed with a province (2-5)
 *   └ `Y` employer (用人单位) or `S` social training/evaluation organisation (1)
 */
export type EvaluationBodyKind = 'Y' | 'S';

export interface SkillCertificateNumberParts {
  kind: EvaluationBodyKind;
  /** 4 digits. */
  evaluationBodyCode: string;
  /** 2 digits. */
  provinceCode: string;
  /** 6 digits. */
  siteSerial: string;
  /** Full year (2026) or two digits (26); printed as two digits. */
  year: number;
  level: SkillLevel;
  /** 1 to 999,999 within an issuer, year and level. */
  serial: number;
}

/** The issuer's configured codes: everything in a number but the year, the level and the serial. */
export type SkillNumberIssuerCodes = Pick<SkillCertificateNumberParts, 'kind' | 'evaluationBodyCode' | 'provinceCode' | 'siteSerial'>;

export const SKILL_CERTIFICATE_NUMBER_PATTERN = /^([YS])(\d{4})(\d{2})(\d{6})(\d{2})([1-5])(\d{6})$/;
export const MAX_SKILL_CERTIFICATE_SERIAL = 999_999;

export type SkillNumberResult = { valid: true; parts: SkillCertificateNumberParts & { year: number }; normalized: string } | { valid: false; reason: string };

export class CertificateNumberError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateNumberError';
  }
}

/** Builds the 22-character number; throws CertificateNumberError naming the part that is wrong. */
export function formatSkillCertificateNumber(parts: SkillCertificateNumberParts): string {
  const problem = skillNumberPartsProblem(parts);
  if (problem) throw new CertificateNumberError(problem);
  const yy = String(parts.year % 100).padStart(2, '0');
  return `${parts.kind}${parts.evaluationBodyCode}${parts.provinceCode}${parts.siteSerial}${yy}${parts.level}${String(parts.serial).padStart(6, '0')}`;
}

/** Checks the issuer's configured codes (kind letter, evaluation body, province, site serial). */
export function skillNumberCodesProblem(codes: SkillNumberIssuerCodes): string | null {
  if (codes.kind !== 'Y' && codes.kind !== 'S') return 'kind must be Y (employer) or S (social organisation)';
  if (!/^\d{4}$/.test(codes.evaluationBodyCode)) return 'evaluationBodyCode must be 4 digits';
  if (!/^\d{2}$/.test(codes.provinceCode)) return 'provinceCode must be 2 digits';
  if (!/^\d{6}$/.test(codes.siteSerial)) return 'siteSerial must be 6 digits';
  return null;
}

function skillNumberPartsProblem(parts: SkillCertificateNumberParts): string | null {
  const codes = skillNumberCodesProblem(parts);
  if (codes) return codes;
  if (!Number.isInteger(parts.year) || parts.year < 0 || (parts.year > 99 && (parts.year < 2000 || parts.year > 2099))) {
    return 'year must be 2000-2099 or two digits';
  }
  if (!isSkillLevel(parts.level)) return 'level must be 1-5';
  if (!Number.isInteger(parts.serial) || parts.serial < 1 || parts.serial > MAX_SKILL_CERTIFICATE_SERIAL) {
    return `serial must be 1-${MAX_SKILL_CERTIFICATE_SERIAL}`;
  }
  return null;
}

/**
 * Parses and validates a number (also one assigned from outside, e.g. by a provincial bureau). Spaces are ignored
 * and a lower-case letter is upper-cased; the year comes back as 20yy.
 */
export function parseSkillCertificateNumber(input: string): SkillNumberResult {
  const value = input.replace(/\s+/g, '').toUpperCase();
  if (value.length !== 22) return { valid: false, reason: 'must be 22 characters (one letter and 21 digits)' };
  if (value[0] !== 'Y' && value[0] !== 'S') return { valid: false, reason: 'must start with Y (employer) or S (social organisation)' };
  if (!/^\d{21}$/.test(value.slice(1))) return { valid: false, reason: 'positions 2-22 must be digits' };
  const m = SKILL_CERTIFICATE_NUMBER_PATTERN.exec(value);
  if (!m) return { valid: false, reason: 'level digit (position 16) must be 1-5' };
  const serial = Number(m[7]);
  if (serial === 0) return { valid: false, reason: 'serial (positions 17-22) must not be 000000' };
  return {
    valid: true,
    normalized: value,
    parts: {
      kind: m[1] as EvaluationBodyKind,
      evaluationBodyCode: m[2],
      provinceCode: m[3],
      siteSerial: m[4],
      year: 2000 + Number(m[5]),
      level: Number(m[6]) as SkillLevel,
      serial,
    },
  };
}

export function isSkillCertificateNumber(input: string): boolean {
  return parseSkillCertificateNumber(input).valid;
}

/**
 * Checks a number assigned from outside (some provinces assign numbers themselves) before it is recorded for a
 * certificate: well-formed, and its level digit and year agree with the certificate. With `codes`, the kind letter,
 * evaluation-body code and province must be the issuer's own too (the site serial may differ per exam site).
 */
export function recordedSkillNumberProblem(
  input: string,
  expected: { level: SkillLevel; year: number; codes?: Pick<SkillNumberIssuerCodes, 'kind' | 'evaluationBodyCode' | 'provinceCode'> },
): string | null {
  const parsed = parseSkillCertificateNumber(input);
  if (!parsed.valid) return parsed.reason;
  const p = parsed.parts;
  if (p.level !== expected.level) return `level digit ${p.level} does not match the certificate's level ${expected.level}`;
  if (p.year !== expected.year) return `year ${p.year} does not match the issue year ${expected.year}`;
  const codes = expected.codes;
  if (codes && (p.kind !== codes.kind || p.evaluationBodyCode !== codes.evaluationBodyCode || p.provinceCode !== codes.provinceCode)) {
    return "kind letter, evaluation-body code or province is not the issuer's";
  }
  return null;
}

import type { BitstringStatusListEntry, CertificateCredential, CertificateFields } from './credential';
import { parseEnterpriseCertificateNumber } from './enterprise-certificate-number';
import { SKILL_LEVEL_NAMES, isSkillLevel } from './levels';
import { parseSkillCertificateNumber } from './skill-certificate-number';
import { decodeStatusList, getStatusBit, type StatusPurpose } from './status-list';
import { credentialFromPayload, isCompactJws, LEGACY_VC_JWT_TYPE, VC_JWT_TYPE, verifyCompactJws, type Jwks } from './vc-jwt';

/**
 * Offline verification: a VC-JWT (or QR content carrying one), a saved JWKS and saved status-list credentials in;
 * an answer out. No network: every input is given.
 *
 * Order: signature (key by kid) → credential shape and the printed fields' consistency → validity dates → status.
 * `revoked` wins over `suspended`; a status list that is not supplied is a warning (the answer says so), not an
 * error, because a bureau may check signatures first and lists later.
 */
export type VerificationStatus = 'valid' | 'revoked' | 'suspended' | 'invalid';

export interface OfflineVerificationResult {
  status: VerificationStatus;
  /** Why the answer is not `valid` (empty when valid). */
  reasons: string[];
  /** Things a verifier should know that do not change the answer (e.g. status not checked). */
  warnings: string[];
  kid?: string;
  /** Present when the signature verified. */
  credential?: CertificateCredential;
  /** The signed printed fields: compare every one with the paper/PDF. */
  fields?: CertificateFields;
  /** Per status entry: whether it was checked and the bit found. */
  statusChecks: { purpose: StatusPurpose; index: number; list: string; checked: boolean; set?: boolean }[];
}

export interface OfflineVerificationInput {
  /** A compact VC-JWT, or QR/URL content holding one in `vc=` (query or fragment). */
  credential: string;
  jwks: Jwks;
  /** Signed status-list credentials (compact VC-JWTs). */
  statusLists?: readonly string[];
  /** Lists already checked by `prepareStatusLists` (for many credentials: verify and decompress each list once). */
  preparedStatusLists?: PreparedStatusLists;
  now?: Date;
}

/** Status lists whose signatures were checked against a JWKS and whose bitstrings are decoded. */
export interface PreparedStatusLists {
  lists: readonly VerifiedStatusList[];
  /** Lists that were ignored, and why. */
  warnings: readonly string[];
}

export interface VerifiedStatusList {
  id: string;
  issuer: string;
  purpose: StatusPurpose;
  bits: Uint8Array;
  validUntil?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Finds the VC-JWT in what a QR code or a file holds; null when there is none (e.g. a lookup-only URL). */
export function extractCredentialJwt(content: string): string | null {
  const value = content.trim();
  if (isCompactJws(value)) return value;
  if (/^https?:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      const candidates = [url.searchParams.get('vc'), new URLSearchParams(url.hash.replace(/^#/, '')).get('vc')];
      for (const candidate of candidates) if (candidate && isCompactJws(candidate)) return candidate;
    } catch {
      return null;
    }
  }
  return null;
}

function credentialProblems(credential: Record<string, unknown>, payload: Record<string, unknown> | null): string[] {
  const problems: string[] = [];
  const types = credential['type'];
  if (!Array.isArray(types) || !types.includes('VerifiableCredential') || !types.includes('OpenBadgeCredential')) {
    problems.push('type must include VerifiableCredential and OpenBadgeCredential');
  }
  const context = credential['@context'];
  if (!Array.isArray(context) || context[0] !== 'https://www.w3.org/ns/credentials/v2') problems.push('@context must start with the VC 2.0 context');
  const issuer = credential['issuer'];
  const subject = credential['credentialSubject'];
  if (!isObject(issuer) || typeof issuer['id'] !== 'string') problems.push('issuer.id is missing');
  else if (payload && payload['iss'] !== issuer['id']) problems.push('JWT iss does not match issuer.id');
  if (payload && payload['jti'] !== undefined && payload['jti'] !== credential['id']) problems.push('JWT jti does not match the credential id');
  if (payload && payload['sub'] !== undefined && (!isObject(subject) || payload['sub'] !== subject['id'])) problems.push('JWT sub does not match credentialSubject.id');
  const fields = isObject(subject) ? subject['certificate'] : undefined;
  if (!isObject(fields)) return [...problems, 'credentialSubject.certificate (the printed fields) is missing'];
  const f = fields as unknown as CertificateFields;
  for (const key of ['number', 'holderName', 'idDocumentType', 'idNumberMasked', 'occupationName', 'occupationCode', 'trade', 'evaluationBody', 'issueDate'] as const) {
    if (typeof f[key] !== 'string' || !f[key].trim()) problems.push(`certificate.${key} is missing or blank`);
  }
  if (!isSkillLevel(f.level)) problems.push('certificate.level must be 1-5');
  if (typeof f.idNumberMasked === 'string' && !f.idNumberMasked.includes('*')) problems.push('certificate.idNumberMasked is not masked');
  if (f.kind === 'skill_level') {
    const parsed = parseSkillCertificateNumber(String(f.number));
    if (!parsed.valid) problems.push(`certificate number: ${parsed.reason}`);
    else {
      if (parsed.parts.level !== f.level) problems.push('the level digit of the number does not match the level');
      if (typeof f.issueDate === 'string' && String(parsed.parts.year) !== f.issueDate.slice(0, 4)) problems.push('the year in the number does not match the issue date');
    }
  } else if (f.kind === 'enterprise') {
    const parsed = parseEnterpriseCertificateNumber(String(f.number));
    if (!parsed.valid) problems.push(`certificate number: ${parsed.reason}`);
  } else problems.push('certificate.kind must be skill_level or enterprise');
  const achievement = isObject(subject) ? subject['achievement'] : undefined;
  if (isSkillLevel(f.level) && (!isObject(achievement) || typeof achievement['name'] !== 'string' || !achievement['name'].includes(SKILL_LEVEL_NAMES[f.level]))) {
    problems.push('achievement name does not carry the level');
  }
  if (!isObject(credential['credentialStatus']) && !Array.isArray(credential['credentialStatus'])) problems.push('credentialStatus is missing');
  return problems;
}

/** Verifies each status-list VC-JWT against the JWKS and decodes its bitstring; a bad list becomes a warning. */
export function prepareStatusLists(tokens: readonly string[], jwks: Jwks): PreparedStatusLists {
  const warnings: string[] = [];
  const lists: VerifiedStatusList[] = [];
  for (const [i, token] of tokens.entries()) {
    const checked = verifyCompactJws(token, jwks);
    if (!checked.ok) {
      warnings.push(`status list #${i + 1} ignored: ${checked.reason}`);
      continue;
    }
    const c = credentialFromPayload(checked.payload);
    const subject = c['credentialSubject'];
    const issuer = c['issuer'];
    const types = c['type'];
    if (!Array.isArray(types) || !types.includes('BitstringStatusListCredential') || !isObject(subject) || typeof c['id'] !== 'string') {
      warnings.push(`status list #${i + 1} ignored: not a BitstringStatusListCredential`);
      continue;
    }
    const purpose = subject['statusPurpose'];
    if ((purpose !== 'revocation' && purpose !== 'suspension') || typeof subject['encodedList'] !== 'string') {
      warnings.push(`status list #${i + 1} ignored: statusPurpose or encodedList missing`);
      continue;
    }
    try {
      lists.push({
        id: c['id'],
        issuer: isObject(issuer) ? String(issuer['id']) : String(issuer),
        purpose,
        bits: decodeStatusList(subject['encodedList']),
        validUntil: typeof c['validUntil'] === 'string' ? c['validUntil'] : undefined,
      });
    } catch (error) {
      warnings.push(`status list #${i + 1} ignored: ${(error as Error).message}`);
    }
  }
  return { lists, warnings };
}

export function verifyCertificateOffline(input: OfflineVerificationInput): OfflineVerificationResult {
  const result: OfflineVerificationResult = { status: 'invalid', reasons: [], warnings: [], statusChecks: [] };
  const jwt = extractCredentialJwt(input.credential);
  if (!jwt) {
    result.reasons.push('no VC-JWT found: give the signed credential (the QR code on the PDF holds only the lookup address; download the credential from the verification page)');
    return result;
  }
  const checked = verifyCompactJws(jwt, input.jwks);
  if (!checked.ok) {
    result.reasons.push(checked.reason);
    return result;
  }
  result.kid = checked.kid;
  if (checked.header.typ !== undefined && checked.header.typ !== VC_JWT_TYPE && checked.header.typ !== LEGACY_VC_JWT_TYPE) {
    result.reasons.push(`header typ ${String(checked.header.typ)} is not JWT`);
  }
  return assessVerifiedCredential(result, credentialFromPayload(checked.payload), checked.payload, input);
}

/** The sibling suspension list of a revocation list URL (`…/revocation` → `…/suspension`), or null. */
export function suspensionListFor(revocationList: string): string | null {
  return /\/revocation$/.test(revocationList) ? revocationList.replace(/\/revocation$/, '/suspension') : null;
}

/**
 * After the signature verified (VC-JWT or Data Integrity proof): the credential's shape and printed fields, the
 * dates, and the status lists. `payload` is the JWT payload (its claims are compared), null for an embedded proof.
 */
export function assessVerifiedCredential(
  result: OfflineVerificationResult,
  credential: Record<string, unknown>,
  payload: Record<string, unknown> | null,
  input: Pick<OfflineVerificationInput, 'jwks' | 'statusLists' | 'preparedStatusLists' | 'now'>,
): OfflineVerificationResult {
  const now = input.now ?? new Date();
  result.reasons.push(...credentialProblems(credential, payload));
  if (result.reasons.length) return result;
  const certificate = credential as unknown as CertificateCredential;
  result.credential = certificate;
  result.fields = certificate.credentialSubject.certificate;

  const validFrom = Date.parse(certificate.validFrom);
  if (Number.isNaN(validFrom)) result.reasons.push('validFrom is not a date');
  else if (validFrom > now.getTime()) result.reasons.push(`not yet valid (validFrom ${certificate.validFrom})`);
  if (certificate.validUntil !== undefined) {
    const validUntil = Date.parse(certificate.validUntil);
    if (Number.isNaN(validUntil) || validUntil <= now.getTime()) result.reasons.push(`expired (validUntil ${certificate.validUntil})`);
  }
  if (result.reasons.length) return result;

  const prepared = input.preparedStatusLists ?? prepareStatusLists(input.statusLists ?? [], input.jwks);
  const lists = prepared.lists;
  result.warnings.push(...prepared.warnings);
  let revoked = false;
  let suspended = false;
  const entries: BitstringStatusListEntry[] = Array.isArray(certificate.credentialStatus) ? certificate.credentialStatus : [certificate.credentialStatus];
  // One revocation entry (OB 3.0 form): suspension is the same index in the sibling list, checked when supplied.
  if (entries.length === 1 && entries[0].statusPurpose === 'revocation') {
    const sibling = suspensionListFor(entries[0].statusListCredential);
    if (sibling && lists.some((l) => l.id === sibling && l.purpose === 'suspension')) entries.push({ ...entries[0], statusPurpose: 'suspension', statusListCredential: sibling });
  }
  for (const entry of entries) {
    const index = Number(entry.statusListIndex);
    if (entry.type !== 'BitstringStatusListEntry' || !Number.isInteger(index) || index < 0) {
      result.reasons.push('a credentialStatus entry is malformed');
      continue;
    }
    const list = lists.find((l) => l.id === entry.statusListCredential && l.purpose === entry.statusPurpose);
    if (!list) {
      result.statusChecks.push({ purpose: entry.statusPurpose, index, list: entry.statusListCredential, checked: false });
      result.warnings.push(`${entry.statusPurpose} status not checked: list ${entry.statusListCredential} was not supplied`);
      continue;
    }
    if (list.issuer !== certificate.issuer.id) {
      result.reasons.push(`status list ${list.id} is from another issuer`);
      continue;
    }
    if (index >= list.bits.length * 8) {
      result.reasons.push(`status index ${index} is outside list ${list.id}`);
      continue;
    }
    if (list.validUntil && Date.parse(list.validUntil) <= now.getTime()) result.warnings.push(`status list ${list.id} is past its validUntil: fetch a fresh one`);
    const set = getStatusBit(list.bits, index);
    result.statusChecks.push({ purpose: entry.statusPurpose, index, list: list.id, checked: true, set });
    if (set && entry.statusPurpose === 'revocation') revoked = true;
    if (set && entry.statusPurpose === 'suspension') suspended = true;
  }
  if (result.reasons.length) return result;
  if (revoked) {
    result.status = 'revoked';
    result.reasons.push('the issuer has revoked this certificate');
  } else if (suspended) {
    result.status = 'suspended';
    result.reasons.push('the issuer has suspended this certificate');
  } else result.status = 'valid';
  return result;
}

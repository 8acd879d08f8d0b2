import type { SkillLevel } from './courses';

/** Issue 7: certificates, verification and bureau access (shapes shared by the API and the portal). */
export type CertificateKindName = 'skill_level' | 'enterprise';
export type CertificateStatusName = 'valid' | 'revoked' | 'suspended';

/** POST/GET /api/v1/verify when the number exists and the holder's name matches. Never the full ID number. */
export interface VerificationFound {
  status: CertificateStatusName;
  /** When it was revoked or suspended (ISO 8601), else null. */
  statusChangedAt: string | null;
  kind: CertificateKindName;
  number: string;
  holderName: string;
  idDocumentType: string;
  idNumberMasked: string;
  occupationName: string;
  occupationCode: string;
  trade: string;
  level: SkillLevel;
  levelName: string;
  evaluationBody: string;
  issuer: string;
  /** The issuer's calendar date of issue, `YYYY-MM-DD`. */
  issueDate: string;
  /** The issuer's IANA time zone: the revocation time is shown in it, as the issue date is. */
  issuerTimeZone: string;
  twin: { kind: CertificateKindName; number: string };
  /** The signed VC-JWT: check it offline against /.well-known/jwks.json and the status lists. */
  credential: string;
}

/** Not found and name mismatch are the same answer, byte for byte. */
export type VerificationAnswer = VerificationFound | { status: 'not_found' };

export interface VerifyRequest {
  number: string;
  name: string;
}

/** Per-row statuses of the bulk verification CSV. */
export type BulkVerificationStatus = CertificateStatusName | 'not_found' | 'invalid_row';

export const BUREAU_API_KEY_SCOPES = ['verify', 'bulk_verify', 'audit'] as const;
export type BureauApiKeyScope = (typeof BUREAU_API_KEY_SCOPES)[number];

export interface BureauApiKeyView {
  id: number;
  organisationId: number;
  name: string;
  keyPrefix: string;
  scopes: BureauApiKeyScope[];
  dailyQuota: number;
  usedToday: number;
  createdAt: string;
  revokedAt: string | null;
}

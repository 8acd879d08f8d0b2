import { createHash, randomBytes } from 'node:crypto';
import { AI_TRAINER_OCCUPATION, NO_TRADE, SKILL_LEVEL_NAMES, type SkillLevel } from './levels';

/**
 * Certificates as W3C Verifiable Credentials 2.0 in the Open Badges 3.0 shape.
 *
 * The printed fields the national notice requires (人社鉴发〔2021〕1号) are carried together in
 * `credentialSubject.certificate`, under our own context, so a verifier reads exactly what is printed; the OB3
 * properties (`achievement`, `identifier`, `issuer`) repeat what OB3 tools display.
 *
 * The holder: `credentialSubject.id` is a stable URN per holder (no personal data); `identifier` carries the printed
 * name and the national ID number salted and hashed (`sha256$…`, OB 3.0 IdentityObject), so a bureau that holds a
 * number can check it matches. The full number is never in the credential; the masked one is printed.
 *
 * Contexts: the VC 2.0 and OB 3.0.3 contexts (both published, both bundled for offline use) and one inline context
 * object for our three extra terms: nothing in `@context` needs to be fetched from this product.
 */
export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
export const OB3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** Certificates issued before OB 3.0 conformance named this context; it never resolved (kept to recognise them). */
export const LEGACY_CERTIFICATE_CONTEXT = 'https://aitrainer.example/ns/certificate/v1';
/** Vocabulary IRIs of the national certificate fields (identifiers, not addresses to fetch). */
export const CERTIFICATE_VOCAB = 'urn:aitrainer:vocab:certificate#';
/** The inline JSON-LD context for `certificate`, `twinCredential` and `verificationUrl` (printed fields as JSON). */
export const CERTIFICATE_CONTEXT: Readonly<Record<string, unknown>> = Object.freeze({
  certificate: { '@id': `${CERTIFICATE_VOCAB}certificate`, '@type': '@json' },
  twinCredential: { '@id': `${CERTIFICATE_VOCAB}twinCredential`, '@type': '@json' },
  verificationUrl: { '@id': `${CERTIFICATE_VOCAB}verificationUrl`, '@type': '@id' },
});

export type CertificateKind = 'skill_level' | 'enterprise';

export const CERTIFICATE_TITLES: Readonly<Record<CertificateKind, string>> = {
  skill_level: '职业技能等级证书',
  enterprise: '企业认证证书',
};

/** The national query sites printed on every skill level certificate (configurable by the issuer). */
export const DEFAULT_QUERY_SITES: readonly string[] = [
  '技能人才评价证书全国联网查询 http://zscx.osta.org.cn/',
  '评价机构查询 http://pjjg.osta.org.cn/',
];

export interface IssuerProfile {
  /** A URL (or DID) naming the issuer; also the `iss` of the VC-JWT. */
  id: string;
  name: string;
  url?: string;
  /** 统一社会信用代码 (GB 32100), when known. */
  creditCode?: string;
}

export interface StatusListPointer {
  /** URL of the BitstringStatusListCredential. */
  statusListCredential: string;
  statusListIndex: number;
}

export interface CertificateFields {
  kind: CertificateKind;
  /** 证书编号: the 22-character national number, or the enterprise number. */
  number: string;
  holderName: string;
  /** e.g. `resident_id`, `passport` (contracts' IdDocumentType). */
  idDocumentType: string;
  /** Already masked (`110105********002X`): never pass a full number. */
  idNumberMasked: string;
  occupationName: string;
  occupationCode: string;
  /** 工种/职业方向; `--` when none. */
  trade: string;
  level: SkillLevel;
  /** 评价机构名称 (for the enterprise certificate: the issuing enterprise). */
  evaluationBody: string;
  /** 发证日期, `YYYY-MM-DD`. */
  issueDate: string;
  querySites: readonly string[];
}

export interface CertificateCredentialInput {
  /** `urn:uuid:…` or a URL; unique per certificate. */
  id: string;
  kind: CertificateKind;
  issuer: IssuerProfile;
  number: string;
  holder: {
    name: string;
    idDocumentType: string;
    idNumberMasked: string;
    /** Stable URN of the holder (`urn:uuid:…`): credentialSubject.id and the JWT `sub`. */
    subjectId?: string;
    /** The full ID number, only to be hashed (never stored in the credential). */
    idNumber?: string | null;
    /** Salt for the hash; random when omitted. */
    idNumberSalt?: string;
  };
  level: SkillLevel;
  /** Defaults to 人工智能训练师 4-04-05-05. */
  occupation?: { name: string; code: string };
  /** Omitted, null or blank → `--`. */
  trade?: string | null;
  /** Defaults to the issuer's name. */
  evaluationBody?: string;
  /** `YYYY-MM-DD` (China date of issue). */
  issueDate: string;
  /** Exact instant the credential becomes valid; defaults to the issue date at 00:00 China time (+08:00). */
  validFrom?: string;
  validUntil?: string;
  querySites?: readonly string[];
  /**
   * The bit in the issuer's revocation list: the credential's one `credentialStatus`. Suspension is the same index
   * in the sibling suspension list (`…/suspension`), checked online and by aitrainer-verify (docs/verification.md).
   */
  status: { revocation: StatusListPointer };
  /** The other certificate of the pair (一试双证). */
  twin?: { id: string; kind: CertificateKind; number: string };
  /** Page where this number can be checked (the PDF's QR code opens it). */
  verificationUrl?: string;
}

export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation' | 'suspension';
  statusListIndex: string;
  statusListCredential: string;
}

export interface IdentityObject {
  type: 'IdentityObject';
  identityType: 'name' | 'nationalIdentityNumber';
  hashed: boolean;
  identityHash: string;
  salt?: string;
}

export interface CertificateCredential {
  '@context': (string | Record<string, unknown>)[];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  issuer: { id: string; type: ['Profile']; name: string; url?: string; otherIdentifier?: { type: 'IdentifierEntry'; identifier: string; identifierType: string }[] };
  name: string;
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    id?: string;
    type: ['AchievementSubject'];
    identifier: IdentityObject[];
    achievement: {
      id: string;
      type: ['Achievement'];
      achievementType: 'Certificate';
      name: string;
      description: string;
      criteria: { narrative: string };
      humanCode: string;
      fieldOfStudy: string;
      specialization?: string;
    };
    certificate: CertificateFields;
  };
  /** One object (OB 3.0 schema); certificates issued before OB 3.0 conformance carry an array of two. */
  credentialStatus: BitstringStatusListEntry | BitstringStatusListEntry[];
  twinCredential?: { id: string; kind: CertificateKind; number: string };
  verificationUrl?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function statusListEntry(purpose: 'revocation' | 'suspension', pointer: StatusListPointer): BitstringStatusListEntry {
  if (!Number.isInteger(pointer.statusListIndex) || pointer.statusListIndex < 0) throw new RangeError('statusListIndex must be a non-negative integer');
  return {
    id: `${pointer.statusListCredential}#${pointer.statusListIndex}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(pointer.statusListIndex),
    statusListCredential: pointer.statusListCredential,
  };
}

/** Normalised ID number for hashing: no spaces, upper case (the check character X). */
export function normaliseIdNumber(idNumber: string): string {
  return idNumber.replace(/\s+/g, '').toUpperCase();
}

/** OB 3.0 IdentityHash of an ID number: `sha256$` + hex SHA-256 of the UTF-8 number followed by the salt. */
export function hashIdNumber(idNumber: string, salt: string): string {
  return `sha256$${createHash('sha256').update(normaliseIdNumber(idNumber) + salt, 'utf8').digest('hex')}`;
}

/** For a bureau holding an ID number: does the credential's hashed nationalIdentityNumber match it? */
export function idNumberMatches(credential: { credentialSubject?: { identifier?: readonly IdentityObject[] } }, idNumber: string): boolean {
  const entry = credential.credentialSubject?.identifier?.find((i) => i.identityType === 'nationalIdentityNumber' && i.hashed);
  return !!entry && entry.identityHash.toLowerCase() === hashIdNumber(idNumber, entry.salt ?? '');
}

/** Builds the unsigned credential for one certificate of the pair. */
export function buildCertificateCredential(input: CertificateCredentialInput): CertificateCredential {
  if (!DATE.test(input.issueDate)) throw new RangeError('issueDate must be YYYY-MM-DD');
  if (!input.holder.name.trim()) throw new RangeError('holder name is required');
  if (/^\d{15,}[\dX]?$/i.test(input.holder.idNumberMasked)) throw new RangeError('idNumberMasked looks unmasked');
  const occupation = input.occupation ?? AI_TRAINER_OCCUPATION;
  const trade = input.trade?.trim() ? input.trade.trim() : NO_TRADE;
  const title = CERTIFICATE_TITLES[input.kind];
  const certificate: CertificateFields = {
    kind: input.kind,
    number: input.number,
    holderName: input.holder.name,
    idDocumentType: input.holder.idDocumentType,
    idNumberMasked: input.holder.idNumberMasked,
    occupationName: occupation.name,
    occupationCode: occupation.code,
    trade,
    level: input.level,
    evaluationBody: input.evaluationBody ?? input.issuer.name,
    issueDate: input.issueDate,
    querySites: [...(input.querySites ?? DEFAULT_QUERY_SITES)],
  };
  const identifier: IdentityObject[] = [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: input.holder.name }];
  if (input.holder.idNumber?.trim()) {
    const salt = input.holder.idNumberSalt ?? randomBytes(16).toString('hex');
    identifier.push({ type: 'IdentityObject', identityType: 'nationalIdentityNumber', hashed: true, identityHash: hashIdNumber(input.holder.idNumber, salt), salt });
  }
  const credential: CertificateCredential = {
    '@context': [VC_CONTEXT_V2, OB3_CONTEXT, { ...CERTIFICATE_CONTEXT }],
    id: input.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: {
      id: input.issuer.id,
      type: ['Profile'],
      name: input.issuer.name,
      ...(input.issuer.url ? { url: input.issuer.url } : {}),
      ...(input.issuer.creditCode
        ? { otherIdentifier: [{ type: 'IdentifierEntry' as const, identifier: input.issuer.creditCode, identifierType: 'identifier' }] }
        : {}),
    },
    name: title,
    validFrom: input.validFrom ?? `${input.issueDate}T00:00:00+08:00`,
    ...(input.validUntil ? { validUntil: input.validUntil } : {}),
    credentialSubject: {
      ...(input.holder.subjectId ? { id: input.holder.subjectId } : {}),
      type: ['AchievementSubject'],
      identifier,
      achievement: achievementFor(input.issuer.id, input.kind, input.level, occupation, trade),
      certificate,
    },
    credentialStatus: statusListEntry('revocation', input.status.revocation),
    ...(input.twin ? { twinCredential: { ...input.twin } } : {}),
    ...(input.verificationUrl ? { verificationUrl: input.verificationUrl } : {}),
  };
  return credential;
}

/**
 * The OB 3.0 Achievement of a certificate kind, occupation and level; its id is a URL under the issuer that the API
 * serves (`<issuer.id>/achievements/<kind>/<occupation code>/<level>`). `trade` (工种) is the credential's
 * specialization; the served Achievement omits it (it is per holder).
 */
export function achievementFor(issuerId: string, kind: CertificateKind, level: SkillLevel, occupation: { name: string; code: string } = AI_TRAINER_OCCUPATION, trade?: string) {
  const levelName = SKILL_LEVEL_NAMES[level];
  const title = CERTIFICATE_TITLES[kind];
  return {
    id: `${issuerId}/achievements/${kind}/${occupation.code}/${level}`,
    type: ['Achievement'] as ['Achievement'],
    achievementType: 'Certificate' as const,
    name: `${title}：${occupation.name} ${levelName}`,
    description: `${occupation.name}（${occupation.code}）${levelName}`,
    criteria: { narrative: '理论知识与技能考核均达到 60 分及以上' },
    humanCode: occupation.code,
    fieldOfStudy: occupation.name,
    ...(trade === undefined ? {} : { specialization: trade }),
  };
}

/** The page that checks a number (pre-filled); the PDF's QR code encodes this. */
export function verificationPageUrl(baseUrl: string, number: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/verify?number=${encodeURIComponent(number)}`;
}

/** 证件类型 as printed, by the contracts' IdDocumentType value. */
export const ID_DOCUMENT_TYPE_NAMES: Readonly<Record<string, string>> = {
  resident_id: '居民身份证',
  hmt_residence_permit: '港澳台居民居住证',
  hk_macao_permit: '港澳居民来往内地通行证',
  taiwan_permit: '台湾居民来往大陆通行证',
  passport: '护照',
  foreign_permanent_resident: '外国人永久居留身份证',
};

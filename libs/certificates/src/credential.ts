import { AI_TRAINER_OCCUPATION, NO_TRADE, SKILL_LEVEL_NAMES, type SkillLevel } from './levels';

/**
 * Certificates as W3C Verifiable Credentials 2.0 in the Open Badges 3.0 shape.
 *
 * The printed fields the national notice requires (人社鉴发〔2021〕1号) are carried together in
 * `credentialSubject.certificate`, under our own context, so a verifier reads exactly what is printed; the OB3
 * properties (`achievement`, `identifier`, `issuer`) repeat what OB3 tools display. The holder's ID number is
 * carried MASKED only: a salted hash of the full number would be easy to brute-force (the masked digits are a
 * birth date and a sequence), so the signed credential holds nothing that reveals it.
 */
export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
export const OB3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** Our vocabulary for the national certificate fields; served as a JSON-LD context by the API (issue 7 follow-up). */
export const CERTIFICATE_CONTEXT = 'https://aitrainer.example/ns/certificate/v1';

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
  holder: { name: string; idDocumentType: string; idNumberMasked: string };
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
  /** Bit positions in the issuer's revocation and (optionally) suspension lists. */
  status: { revocation: StatusListPointer; suspension?: StatusListPointer };
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

export interface CertificateCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  issuer: { id: string; type: ['Profile']; name: string; url?: string; otherIdentifier?: { type: 'IdentifierEntry'; identifier: string; identifierType: string }[] };
  name: string;
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    type: ['AchievementSubject'];
    identifier: { type: 'IdentityObject'; identityType: 'name'; hashed: false; identityHash: string }[];
    achievement: {
      id: string;
      type: ['Achievement'];
      achievementType: 'Certificate';
      name: string;
      description: string;
      criteria: { narrative: string };
      humanCode: string;
      fieldOfStudy: string;
      specialization: string;
    };
    certificate: CertificateFields;
  };
  credentialStatus: BitstringStatusListEntry[];
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

/** Builds the unsigned credential for one certificate of the pair. */
export function buildCertificateCredential(input: CertificateCredentialInput): CertificateCredential {
  if (!DATE.test(input.issueDate)) throw new RangeError('issueDate must be YYYY-MM-DD');
  if (!input.holder.name.trim()) throw new RangeError('holder name is required');
  if (/^\d{15,}[\dX]?$/i.test(input.holder.idNumberMasked)) throw new RangeError('idNumberMasked looks unmasked');
  const occupation = input.occupation ?? AI_TRAINER_OCCUPATION;
  const trade = input.trade?.trim() ? input.trade.trim() : NO_TRADE;
  const levelName = SKILL_LEVEL_NAMES[input.level];
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
  const credential: CertificateCredential = {
    '@context': [VC_CONTEXT_V2, OB3_CONTEXT, CERTIFICATE_CONTEXT],
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
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: input.holder.name }],
      achievement: {
        id: `${input.issuer.id}/achievements/${input.kind}/${occupation.code}/${input.level}`,
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: `${title}：${occupation.name} ${levelName}`,
        description: `${occupation.name}（${occupation.code}）${levelName}`,
        criteria: { narrative: '理论知识与技能考核均达到 60 分及以上' },
        humanCode: occupation.code,
        fieldOfStudy: occupation.name,
        specialization: trade,
      },
      certificate,
    },
    credentialStatus: [
      statusListEntry('revocation', input.status.revocation),
      ...(input.status.suspension ? [statusListEntry('suspension', input.status.suspension)] : []),
    ],
    ...(input.twin ? { twinCredential: { ...input.twin } } : {}),
    ...(input.verificationUrl ? { verificationUrl: input.verificationUrl } : {}),
  };
  return credential;
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

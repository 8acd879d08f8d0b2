export const Role = {
  Student: 'student',
  Instructor: 'instructor',
  SchoolAdmin: 'school_admin',
  OrgAdmin: 'org_admin',
  BureauVerifier: 'bureau_verifier',
  PlatformAdmin: 'platform_admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = Object.values(Role);

export const OrganisationKind = {
  /** The certifying enterprise: issues both certificates, acts as evaluation body (评价机构). */
  Issuer: 'issuer',
  School: 'school',
  Bureau: 'bureau',
} as const;
export type OrganisationKind = (typeof OrganisationKind)[keyof typeof OrganisationKind];
export const ORGANISATION_KINDS: readonly OrganisationKind[] = Object.values(OrganisationKind);

/** The organisation kind a role belongs to (platform admins belong to none). */
export const ROLE_ORGANISATION_KIND: Record<Role, OrganisationKind | null> = {
  student: 'school',
  instructor: null, // a school teacher or an enterprise trainer
  school_admin: 'school',
  org_admin: 'issuer',
  bureau_verifier: 'bureau',
  platform_admin: null,
};

export const IdDocumentType = {
  /** 居民身份证 (GB 11643, 18 characters with a check character). */
  ResidentId: 'resident_id',
  /** 港澳台居民居住证: same 18-character scheme as the resident ID. */
  HkMacaoTaiwanResidencePermit: 'hmt_residence_permit',
  /** 港澳居民来往内地通行证: H or M followed by 8 or 10 digits. */
  HkMacaoPermit: 'hk_macao_permit',
  /** 台湾居民来往大陆通行证: 8 or 10 digits. */
  TaiwanPermit: 'taiwan_permit',
  /** 护照. */
  Passport: 'passport',
  /** 外国人永久居留身份证. */
  ForeignPermanentResident: 'foreign_permanent_resident',
} as const;
export type IdDocumentType = (typeof IdDocumentType)[keyof typeof IdDocumentType];
export const ID_DOCUMENT_TYPES: readonly IdDocumentType[] = Object.values(IdDocumentType);

export interface LoginRequest {
  username: string;
  password: string;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface TokenPair {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
}

export interface LoginResponse extends TokenPair {
  user: UserView;
}

/** The time zone of an organisation that has not chosen one (the organisations are in mainland China). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface OrganisationRef {
  id: number;
  name: string;
  kind: OrganisationKind;
  /** IANA time zone every time of the organisation is shown in. */
  timeZone: string;
}

export interface UserView {
  id: number;
  username: string;
  realName: string;
  role: Role;
  organisation: OrganisationRef | null;
  phone: string | null;
  idDocumentType: IdDocumentType | null;
  /** Masked, e.g. `110105********002X`; the full number only via the audited endpoint. */
  idNumberMasked: string | null;
  createdAt: string;
  /** Disabled accounts cannot sign in. */
  disabled: boolean;
  /** The IANA time zone the user's times are shown in: their organisation's, or DEFAULT_TIME_ZONE. */
  timeZone: string;
}

export interface ResetPasswordRequest {
  password: string;
}

export interface CreateUserRequest {
  username: string;
  password: string;
  realName: string;
  role: Role;
  organisationId?: number;
  phone?: string;
  idDocumentType?: IdDocumentType;
  idNumber?: string;
}

export interface FullIdNumberResponse {
  userId: number;
  idDocumentType: IdDocumentType;
  idNumber: string;
}

export interface OrganisationView {
  id: number;
  kind: OrganisationKind;
  name: string;
  creditCode: string | null;
  /** IANA time zone every time of the organisation is shown in (default Asia/Shanghai). */
  timeZone: string;
  createdAt: string;
}

/** A school a certifying enterprise accepts candidates from. */
export interface PartnerSchoolView {
  id: number;
  name: string;
  /** When it became a partner. */
  since: string;
}

/** A certifying enterprise's partner schools, and the schools it could add. */
export interface OrganisationPartnersView {
  partners: PartnerSchoolView[];
  /** Every school not yet a partner (id and name), for choosing one. */
  otherSchools: { id: number; name: string }[];
}

export interface CreateOrganisationRequest {
  kind: OrganisationKind;
  name: string;
  /** 统一社会信用代码 (GB 32100); required for the issuing enterprise. */
  creditCode?: string;
  /** IANA time zone, e.g. Asia/Shanghai (the default). */
  timeZone?: string;
}

/** What the organisation's admin (or a platform admin) may change. */
export interface UpdateOrganisationRequest {
  name?: string;
  timeZone?: string;
}

export interface CohortView {
  id: number;
  organisationId: number;
  name: string;
  studentCount: number;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface CreateCohortRequest {
  name: string;
}

export interface AuditEventView {
  id: number;
  actorId: number | null;
  /** The person who acted (real name and username), so an entry reads as a sentence; null for the system. */
  actorName: string | null;
  actorUsername: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
  createdAt: string;
}

/** Demo accounts created on the embedded default; all share DEMO_PASSWORD. */
export const DEMO_PASSWORD = 'Demo@2026';
export const DEMO_USERNAMES: Record<Role, string> = {
  student: 'demo.student',
  instructor: 'demo.instructor',
  school_admin: 'demo.school',
  org_admin: 'demo.org',
  bureau_verifier: 'demo.bureau',
  platform_admin: 'demo.admin',
};

/** The sign-in page's list of demo accounts: empty unless the demo data is loaded. */
export interface DemoAccountsView {
  password: string;
  accounts: { role: Role; username: string; realName: string }[];
}

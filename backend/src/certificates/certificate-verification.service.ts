import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { DEFAULT_TIME_ZONE, ErrorCode, type VerificationAnswer, type VerificationFound } from '@aitrainer/contracts';
import {
  decodeCompactJwsUnverified,
  extractCredentialJwt,
  isDataIntegrityCredential,
  signCredentialDataIntegrity,
  SKILL_LEVEL_NAMES,
  verifyCertificateDocumentOffline,
  verifyCertificateOffline,
  type CertificateFields,
  type OfflineVerificationResult,
  type SkillLevel,
} from '@aitrainer/certificates';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../common/auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { Metrics } from '../infra/observability/metrics';
import { RateLimiters } from '../infra/limits/rate-limiters';
import { coalescedSelect, mysqlPoolOf, type CoalescedLookup } from '../infra/database/coalesced-lookup';
import { defaultCertificateFonts, renderCertificatePdf } from './pdf/certificate-pdf';
import { CertificateIssuanceService, holderNameHash } from './certificate-issuance.service';
import { IssuerSettingsService } from './issuer-settings.service';
import { SigningKeyStore } from './keys/signing-key-store';

export type { VerificationAnswer, VerificationFound };

/** The answer for a pasted or uploaded credential. */
export interface CredentialVerificationAnswer {
  form: 'vc-jwt' | 'data-integrity';
  status: 'valid' | 'revoked' | 'suspended' | 'invalid';
  statusChangedAt: string | null;
  /** The issuer's IANA time zone (the default when unknown): times are shown in it. */
  issuerTimeZone: string;
  /** Why it is invalid (empty otherwise). */
  reasons: string[];
  /** The signed printed fields (null when invalid): compare them with the paper. */
  fields: CertificateFields | null;
}

/** One answer for "no such number" and "name does not match": same bytes, same code path. */
export const NOT_FOUND_ANSWER: Readonly<{ status: 'not_found' }> = Object.freeze({ status: 'not_found' });

// Compared when no row matches, so both outcomes hash and compare the same amount.
const ABSENT_HASH = Buffer.alloc(32, 0xa5);

interface HotRow {
  id: number;
  kind: 'skill_level' | 'enterprise';
  number: string;
  holder_name: string;
  holder_name_hash: string;
  id_document_type: string;
  id_number_masked: string;
  occupation_name: string;
  occupation_code: string;
  trade: string;
  level: number;
  evaluation_body: string;
  issuer_name: string;
  issue_date: string;
  twin_number: string;
  twin_kind: 'skill_level' | 'enterprise';
  status: 'valid' | 'revoked' | 'suspended';
  status_changed_at: string | Date | null;
  jwt: string;
  issuer_time_zone: string | null;
}

const HOT_SELECT =
  'SELECT c.id, c.kind, c.number, c.holder_name, c.holder_name_hash, c.id_document_type, c.id_number_masked, c.occupation_name, c.occupation_code, c.trade, c.level, c.evaluation_body, c.issuer_name, c.issue_date, c.twin_number, c.twin_kind, c.status, c.status_changed_at, c.jwt, o.time_zone AS issuer_time_zone FROM certificates c LEFT JOIN organisations o ON o.id = c.issuer_id';
const HOT_SQL = `${HOT_SELECT} WHERE c.number = ?`;

/**
 * Public verification (number + holder name) with a per-client-IP limit shared across API processes (Redis), and
 * PDF downloads for the holder, the issuer and (audited) bureaus. The hot path is one prepared query by the unique
 * number, no entity hydration.
 */
@Injectable()
export class CertificateVerificationService implements OnModuleDestroy {
  private readonly logger = new Logger(CertificateVerificationService.name);
  private readonly limiter: RateLimiterAbstract;
  /** Verification audit rows waiting for the next multi-row insert (every 200 ms or 500 rows). */
  private pendingAudit: unknown[][] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** MySQL: the lookups of requests that arrive together go as one statement (see CoalescedLookup). */
  private readonly coalesced: CoalescedLookup<HotRow> | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    private readonly issuance: CertificateIssuanceService,
    private readonly settings: IssuerSettingsService,
    @Inject(APP_CONFIG) config: AppConfig,
    limiters: RateLimiters,
    private readonly keys: SigningKeyStore,
  ) {
    this.limiter = limiters.create({ keyPrefix: 'cert-verify:ip', points: config.verifyPerMinute, duration: 60 });
    const pool = mysqlPoolOf(dataSource);
    // Keyed by the number as stored (upper case, no spaces), which is what verify() looks up.
    this.coalesced = pool ? coalescedSelect<HotRow>(pool, HOT_SELECT, 'c.number', (row) => row.number, { onBatch: (size) => metrics.coalescedLookupKeys.observe({ lookup: 'certificate' }, size) }) : null;
  }

  /**
   * Number + holder name. `bureauKeyId` set: a bureau API key call (its quota was taken by the caller), not limited per
   * IP; otherwise the public per-IP limit applies.
   */
  async verify(numberInput: unknown, nameInput: unknown, ip: string | null, bureauKeyId: number | null = null): Promise<VerificationAnswer> {
    if (typeof numberInput !== 'string' || !numberInput.trim() || numberInput.length > 64) throw DomainError.validation('number', 'REQUIRED');
    if (typeof nameInput !== 'string' || !nameInput.trim() || nameInput.length > 100) throw DomainError.validation('name', 'REQUIRED');
    if (bureauKeyId === null) await this.throttle(ip);
    const number = numberInput.replace(/\s+/g, '').toUpperCase();
    const row = await this.lookup(number);
    const supplied = Buffer.from(holderNameHash(nameInput), 'hex');
    const stored = row ? Buffer.from(row.holder_name_hash, 'hex') : ABSENT_HASH;
    const matches = timingSafeEqual(supplied, stored.length === 32 ? stored : ABSENT_HASH) && row !== undefined;
    const outcome = matches ? row.status : 'not_found';
    this.metrics.certificateVerifications.inc({ outcome });
    this.auditLater(matches ? Number(row.id) : null, bureauKeyId === null ? { number, outcome, channel: 'public' } : { number, outcome, channel: 'bureau_api_key', keyId: bureauKeyId }, ip);
    if (!matches) return NOT_FOUND_ANSWER;
    return {
      status: row.status,
      statusChangedAt: row.status === 'valid' || row.status_changed_at === null ? null : row.status_changed_at instanceof Date ? row.status_changed_at.toISOString() : `${String(row.status_changed_at).replace(' ', 'T')}Z`,
      kind: row.kind,
      number: row.number,
      holderName: row.holder_name,
      idDocumentType: row.id_document_type,
      idNumberMasked: row.id_number_masked,
      occupationName: row.occupation_name,
      occupationCode: row.occupation_code,
      trade: row.trade,
      level: Number(row.level) as SkillLevel,
      levelName: SKILL_LEVEL_NAMES[Number(row.level) as SkillLevel],
      evaluationBody: row.evaluation_body,
      issuer: row.issuer_name,
      issueDate: row.issue_date,
      issuerTimeZone: row.issuer_time_zone ?? DEFAULT_TIME_ZONE,
      twin: { kind: row.twin_kind, number: row.twin_number },
      credential: row.jwt,
    };
  }

  private async throttle(ip: string | null): Promise<void> {
    try {
      await this.limiter.consume(ip ?? 'unknown');
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      this.metrics.certificateVerifications.inc({ outcome: 'throttled' });
      const seconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw new DomainError(ErrorCode.TooManyAttempts, `Too many verifications. Try again in ${seconds} seconds.`, undefined, { 'Retry-After': String(seconds) });
    }
  }

  /**
   * A signed credential pasted or uploaded on the verification page: the VC-JWT (text) or the wallet JSON with its
   * embedded proof (an object, or its JSON text). The signature is checked against the published keys, the printed
   * fields and dates like the offline verifier; the status is the issuer's current one (also suspension).
   */
  async verifyCredential(input: unknown, ip: string | null): Promise<CredentialVerificationAnswer> {
    let document: unknown = input;
    if (typeof input === 'string') {
      if (input.length > 200_000) throw DomainError.validation('credential', 'TOO_LONG', { max: 200_000 });
      const text = input.trim();
      if (text.startsWith('{')) {
        try {
          document = JSON.parse(text);
        } catch {
          throw DomainError.validation('credential', 'CREDENTIAL_UNREADABLE');
        }
      }
    }
    const jwt = typeof document === 'string' ? extractCredentialJwt(document) : null;
    if (!jwt && !isDataIntegrityCredential(document)) throw DomainError.validation('credential', 'CREDENTIAL_NO_PROOF');
    await this.throttle(ip);
    const jwks = await this.keys.jwks();
    const form = jwt ? 'vc-jwt' : 'data-integrity';
    const result: OfflineVerificationResult = jwt ? verifyCertificateOffline({ credential: jwt, jwks }) : await verifyCertificateDocumentOffline(document as Record<string, unknown>, { jwks });
    let status: CredentialVerificationAnswer['status'] = result.status;
    let statusChangedAt: string | null = null;
    let issuerTimeZone: string = DEFAULT_TIME_ZONE;
    if (result.status === 'valid' && result.credential) {
      const row = ((await this.dataSource.query('SELECT c.id, c.status, c.status_changed_at, o.time_zone FROM certificates c LEFT JOIN organisations o ON o.id = c.issuer_id WHERE c.credential_id = ?', [result.credential.id])) as { id: number; status: 'valid' | 'revoked' | 'suspended'; status_changed_at: string | Date | null; time_zone: string | null }[])[0];
      if (!row) {
        status = 'invalid';
        result.reasons.push('no certificate with this id was issued here');
      } else {
        status = row.status;
        issuerTimeZone = row.time_zone ?? DEFAULT_TIME_ZONE;
        statusChangedAt = row.status === 'valid' || row.status_changed_at === null ? null : row.status_changed_at instanceof Date ? row.status_changed_at.toISOString() : `${String(row.status_changed_at).replace(' ', 'T')}Z`;
        this.auditLater(Number(row.id), { number: result.fields?.number, outcome: status, channel: `credential_${form}` }, ip);
      }
    }
    this.metrics.certificateVerifications.inc({ outcome: status });
    return { form, status, statusChangedAt, issuerTimeZone, reasons: status === 'valid' || status === 'revoked' || status === 'suspended' ? [] : result.reasons, fields: status === 'invalid' ? null : (result.fields ?? null) };
  }

  /** The holder's certificate with an embedded eddsa-rdfc-2022 proof, for a wallet (OB 3.0 certificates only). */
  async walletCredential(ctx: RequestContext, certificateId: number): Promise<{ number: string; document: Record<string, unknown> }> {
    const cert = await this.issuance.byId(certificateId);
    if (!cert || ctx.principal.role !== 'student' || cert.holderUserId !== ctx.principal.userId) throw DomainError.notFound('Certificate');
    const decoded = decodeCompactJwsUnverified(cert.jwt);
    if (!decoded) throw new Error(`certificate ${certificateId} has an unreadable credential`);
    const credential: Record<string, unknown> = { ...decoded.payload };
    for (const claim of ['iss', 'sub', 'jti', 'iat', 'nbf', 'exp', 'aud']) delete credential[claim];
    if (Array.isArray(credential['credentialStatus'])) throw DomainError.conflict('certificate', 'CERTIFICATE_BEFORE_WALLET');
    const { privateKey } = await this.keys.dataIntegritySigner(cert.issuerId);
    const document = await signCredentialDataIntegrity(credential, privateKey);
    await this.audit.record({ actorId: ctx.principal.userId, action: 'certificate.wallet_downloaded', subjectType: 'certificate', subjectId: certificateId, detail: { number: cert.number }, ip: ctx.ip });
    return { number: cert.number, document };
  }

  /** Writes the verification audit rows still waiting (on shutdown, and in tests). */
  async flushAudit(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const rows = this.pendingAudit;
    this.pendingAudit = [];
    const previous = this.flushing;
    this.flushing = (async () => {
      await previous;
      if (!rows.length) return;
      try {
        await this.dataSource.query(`INSERT INTO audit_events (actor_id, action, subject_type, subject_id, detail, ip, created_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`, rows.flat());
      } catch (e) {
        this.logger.error(`verification audit insert of ${rows.length} rows failed: ${(e as Error).message}`);
      }
    })();
    await this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flushAudit();
  }

  /**
   * Every public verification is audited; at thousands per second one insert (and one log flush) per request would be
   * the bottleneck, so rows are written together every 200 ms. A crash can lose at most that window's audit rows.
   */
  private auditLater(subjectId: number | null, detail: Record<string, unknown>, ip: string | null): void {
    this.pendingAudit.push([null, 'certificate.verified', 'certificate', subjectId === null ? null : String(subjectId), JSON.stringify(detail), ip, new Date().toISOString().slice(0, 19).replace('T', ' ')]);
    if (this.pendingAudit.length >= 500) void this.flushAudit();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flushAudit(), 200);
      this.flushTimer.unref();
    }
  }

  /**
   * The hot query by the unique number, without entity hydration: on MySQL a prepared statement (mysql2 `execute`)
   * shared by the lookups that arrive together; on SQLite (in-process, one writer) a plain query each.
   */
  private async lookup(number: string): Promise<HotRow | undefined> {
    if (this.coalesced) return this.coalesced.get(number);
    const rows = (await this.dataSource.query(HOT_SQL, [number])) as HotRow[];
    return rows[0];
  }

  /** The A4 PDF of a certificate: its holder, an org admin of its issuer, or a bureau verifier (audited). */
  async pdf(ctx: RequestContext, certificateId: number): Promise<{ number: string; pdf: Buffer }> {
    const cert = await this.issuance.byId(certificateId);
    const p = ctx.principal;
    const allowed = cert && ((p.role === 'student' && cert.holderUserId === p.userId) || (p.role === 'org_admin' && cert.issuerId === p.organisationId) || p.role === 'bureau_verifier');
    if (!cert || !allowed) throw DomainError.notFound('Certificate');
    const decoded = decodeCompactJwsUnverified(cert.jwt);
    const subject = decoded?.payload['credentialSubject'] as { certificate: CertificateFields } | undefined;
    if (!subject) throw new Error(`certificate ${certificateId} has an unreadable credential`);
    const verificationUrl = String(decoded?.payload['verificationUrl'] ?? '');
    const pdf = await renderCertificatePdf({ fields: subject.certificate, verificationUrl }, defaultCertificateFonts());
    await this.audit.record({ actorId: p.userId, action: 'certificate.pdf_downloaded', subjectType: 'certificate', subjectId: certificateId, detail: { number: cert.number, role: p.role }, ip: ctx.ip });
    return { number: cert.number, pdf };
  }
}

import { SerialTransactions } from '../infra/database/serial-transactions';
import { createHash, createHmac, hkdfSync, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AI_TRAINER_OCCUPATION,
  buildCertificateCredential,
  buildStatusListCredential,
  createStatusBitstring,
  formatSkillCertificateNumber,
  generateEnterpriseCertificateNumber,
  MIN_STATUS_LIST_LENGTH,
  NO_TRADE,
  recordedSkillNumberProblem,
  setStatusBit,
  signCredentialJwt,
  verificationPageUrl,
  type CertificateKind,
  type CredentialSigner,
  type SkillLevel,
  type StatusPurpose,
} from '@aitrainer/certificates';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../common/auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { zonedDate } from '../common/text/zoned-time';
import { DEFAULT_TIME_ZONE } from '@aitrainer/contracts';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { FieldCipher } from '../infra/crypto/field-cipher';
import { Metrics } from '../infra/observability/metrics';
import { SigningKeyStore } from './keys/signing-key-store';
import { CertificateSequences } from './numbering/certificate-sequences';
import { IssuerSettingsService, utc, type IssuerSettings } from './issuer-settings.service';

/** A passed, published exam result to certify (what the exams context knows, plus the issuer). */
export interface IssuePairInput {
  resultId: number;
  holderUserId: number;
  level: SkillLevel;
  /** 工种/职业方向; null → `--`. */
  trade: string | null;
  parts: { part: string; scaled: number; passed: boolean }[];
  sessionId: number | null;
  /** The issuing organisation (the exam session's organisation). */
  issuerId: number;
  /** A skill level number assigned from outside (e.g. by a provincial bureau), recorded instead of the sequence. */
  externalSkillNumber?: string | null;
  /** Defaults to now; the issue date is the China (+08:00) date of this instant. */
  now?: Date;
}

export type CertificateStatus = 'valid' | 'revoked' | 'suspended';

export interface CertificateRecord {
  id: number;
  credentialId: string;
  resultId: number;
  kind: CertificateKind;
  generation: number;
  issuerId: number;
  issuerName: string;
  holderUserId: number;
  number: string;
  holderName: string;
  idDocumentType: string;
  idNumberMasked: string;
  occupationName: string;
  occupationCode: string;
  trade: string;
  level: SkillLevel;
  evaluationBody: string;
  issueDate: string;
  twinId: number | null;
  twinNumber: string;
  twinKind: CertificateKind;
  replacesId: number | null;
  replacedById: number | null;
  status: CertificateStatus;
  statusReason: string | null;
  statusChangedAt: string | null;
  statusListId: number;
  statusIndex: number;
  kid: string;
  jwt: string;
}

export interface IssuedPair {
  /** False when the pair existed already (a second publish, or another process won the race). */
  created: boolean;
  skill: CertificateRecord;
  enterprise: CertificateRecord;
}

/** Normalised holder name for comparison: NFKC, no whitespace (“张 三” = “张三”), upper case for Latin names. */
export function holderNameHash(name: string): string {
  return createHash('sha256').update(name.normalize('NFKC').replace(/\s+/g, '').toUpperCase()).digest('hex');
}

/** China date (UTC+8, no DST) of an instant, `YYYY-MM-DD`. */
export function chinaDate(at: Date): string {
  return zonedDate(at, DEFAULT_TIME_ZONE);
}

const SELECT_COLUMNS =
  'id, credential_id, result_id, kind, generation, issuer_id, issuer_name, holder_user_id, number, holder_name, id_document_type, id_number_masked, occupation_name, occupation_code, trade, level, evaluation_body, issue_date, twin_id, twin_number, twin_kind, replaces_id, replaced_by_id, status, status_reason, status_changed_at, status_list_id, status_index, kid, jwt';

/**
 * Issues the certificate pair of a passed result (一试双证) in one transaction: the national number from the
 * issuer-year-level sequence (locked row, gap-free) or a recorded external one, a random enterprise number, two
 * Open Badges credentials linked by id, signed with the issuer's active key, two status-list slots, two rows.
 * Exactly-once per result: the unique key (result_id, kind, generation) makes a concurrent second issuance fail its
 * insert and roll back (returning its serial), after which it returns the winner's pair.
 */
@Injectable()
export class CertificateIssuanceService {
  private readonly logger = new Logger(CertificateIssuanceService.name);
  private readonly sequences = new CertificateSequences();
  /** SQLite holds one transaction at a time: issuing transactions of this process queue (see SerialTransactions). */
  private readonly transactions: SerialTransactions;

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: SigningKeyStore,
    private readonly settings: IssuerSettingsService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cipher: FieldCipher,
  ) {
    this.transactions = new SerialTransactions(dataSource);
    this.subjectKey = Buffer.from(hkdfSync('sha256', config.dataEncryptionKey, Buffer.alloc(0), 'aitrainer:credential-subject:v1', 32));
  }

  private readonly subjectKey: Buffer;

  /**
   * The holder's credentialSubject.id: a URN that is the same on every certificate of the holder and reveals nothing
   * (an HMAC of the user id under a key derived from DATA_ENCRYPTION_KEY, written as a UUID).
   */
  holderSubjectId(userId: number): string {
    const h = createHmac('sha256', this.subjectKey).update(`holder:${userId}`).digest('hex');
    return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  async issuePair(input: IssuePairInput): Promise<IssuedPair> {
    const existing = await this.currentPair(input.resultId);
    if (existing) return { created: false, ...existing };
    return this.issue(input, 0, null);
  }

  /**
   * Batch issuance for an exam session (org admin of the session's organisation): every published, passed result
   * without a pair gets one. Idempotent per result, so after a crash the same call resumes with no duplicate, and
   * the sequence's row lock keeps the serials gap-free. Progress: `sessionProgress`.
   */
  async issueSession(ctx: RequestContext, sessionId: number): Promise<{ passed: number; issued: number; existing: number; failed: { resultId: number; error: string }[] }> {
    const session = await this.ownSession(ctx, sessionId);
    const results = (await this.dataSource.query(
      `SELECT r.id, r.user_id, r.detail, e.level FROM exam_results r JOIN exam_registrations g ON g.id = r.registration_id JOIN exams e ON e.id = r.exam_id
       WHERE g.session_id = ? AND r.status = 'published' AND r.passed = ? ORDER BY r.id`,
      [sessionId, true],
    )) as { id: number; user_id: number; detail: string; level: number }[];
    const done = new Set(((await this.dataSource.query('SELECT DISTINCT result_id FROM certificates WHERE session_id = ?', [sessionId])) as { result_id: number }[]).map((r) => Number(r.result_id)));
    const todo = results.filter((r) => !done.has(Number(r.id)));
    const inputs: IssuePairInput[] = todo.map((r) => ({
      resultId: Number(r.id),
      holderUserId: Number(r.user_id),
      level: Number(r.level) as SkillLevel,
      trade: null,
      parts: ((JSON.parse(r.detail) as { parts?: { part: string; scaled: number; passed: boolean }[] }).parts ?? []).map((p) => ({ part: p.part, scaled: p.scaled, passed: p.passed })),
      sessionId,
      issuerId: session.organisationId,
    }));
    // Chunks of one level, each in one transaction (the sequence row locked once per chunk). Two chunks in flight on
    // MySQL: one reads its holders and builds while the other holds the lock.
    const chunks: IssuePairInput[][] = [];
    for (const level of new Set(inputs.map((i) => i.level))) {
      const same = inputs.filter((i) => i.level === level);
      for (let k = 0; k < same.length; k += ISSUE_CHUNK) chunks.push(same.slice(k, k + ISSUE_CHUNK));
    }
    let issued = 0;
    const failed: { resultId: number; error: string }[] = [];
    let next = 0;
    const workers = this.dataSource.options.type === 'mysql' ? 2 : 1;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++];
          try {
            const written = await this.issueChunk(chunk);
            issued += written;
          } catch {
            // A result of the chunk was certified meanwhile (a publish on another process), or one of them cannot be:
            // the chunk rolled back whole (its serials returned); each result is issued alone, so each failure is
            // reported for its own result and nothing is issued twice.
            for (const input of chunk) {
              try {
                if ((await this.issuePair(input)).created) issued++;
              } catch (e) {
                failed.push({ resultId: input.resultId, error: (e as Error).message });
              }
            }
          }
        }
      }),
    );
    await this.audit.record({ actorId: ctx.principal.userId, action: 'certificate.session_issued', subjectType: 'exam_session', subjectId: sessionId, detail: { passed: results.length, issued, failed: failed.length }, ip: ctx.ip });
    return { passed: results.length, issued, existing: results.length - todo.length, failed };
  }

  /** How far a session's issuance is: passed (published) results and those with a current pair. */
  async sessionProgress(ctx: RequestContext, sessionId: number): Promise<{ passed: number; certified: number }> {
    await this.ownSession(ctx, sessionId);
    const [p] = (await this.dataSource.query(
      "SELECT COUNT(*) AS n FROM exam_results r JOIN exam_registrations g ON g.id = r.registration_id WHERE g.session_id = ? AND r.status = 'published' AND r.passed = ?",
      [sessionId, true],
    )) as { n: number }[];
    const [c] = (await this.dataSource.query('SELECT COUNT(DISTINCT result_id) AS n FROM certificates WHERE session_id = ?', [sessionId])) as { n: number }[];
    return { passed: Number(p.n), certified: Number(c.n) };
  }

  private async ownSession(ctx: RequestContext, sessionId: number): Promise<{ organisationId: number }> {
    const rows = (await this.dataSource.query('SELECT organisation_id FROM exam_sessions WHERE id = ?', [sessionId])) as { organisation_id: number | null }[];
    if (!rows.length || ctx.principal.role !== 'org_admin' || rows[0].organisation_id === null || Number(rows[0].organisation_id) !== ctx.principal.organisationId) throw DomainError.notFound('Session');
    return { organisationId: Number(rows[0].organisation_id) };
  }

  /**
   * Re-issues the pair of a certificate (e.g. after the holder's name was corrected): the current pair is revoked
   * with the reason and a new pair (new numbers, next generation) links back to it. Org admin of the issuer.
   */
  async reissue(ctx: RequestContext, certificateId: number, reason: string): Promise<IssuedPair> {
    const old = await this.issuerCertificate(ctx, certificateId);
    if (old.replacedById !== null) throw DomainError.conflict('certificate', 'CERTIFICATE_ALREADY_REISSUED');
    const twin = old.twinId === null ? null : await this.byId(old.twinId);
    const skill = old.kind === 'skill_level' ? old : twin;
    if (!skill) throw DomainError.notFound('Certificate');
    const parts = (((await this.dataSource.query('SELECT parts, session_id FROM certificates WHERE id = ?', [skill.id])) as { parts: string; session_id: number | null }[])[0]);
    const pair = await this.issue(
      { resultId: old.resultId, holderUserId: old.holderUserId, level: old.level, trade: old.trade === NO_TRADE ? null : old.trade, parts: JSON.parse(parts.parts), sessionId: parts.session_id, issuerId: old.issuerId },
      old.generation + 1,
      { skillId: skill.id, enterpriseId: skill.twinId, reason, actorId: ctx.principal.userId },
    );
    await this.audit.record({ actorId: ctx.principal.userId, action: 'certificate.reissued', subjectType: 'certificate', subjectId: certificateId, detail: { reason, newSkillNumber: pair.skill.number, newEnterpriseNumber: pair.enterprise.number }, ip: ctx.ip });
    return pair;
  }

  /**
   * Revokes, suspends or reinstates (a suspended) certificate with a reason. Revocation is final. Returns the
   * certificate and its twin, so the portal can ask whether to change the twin too.
   */
  async setStatus(ctx: RequestContext, certificateId: number, status: CertificateStatus, reason: string): Promise<{ certificate: CertificateRecord; twin: CertificateRecord | null }> {
    if (!reason?.trim() || reason.length > 500) throw DomainError.validation('reason', 'REQUIRED_WITHIN', { max: 500 });
    const cert = await this.issuerCertificate(ctx, certificateId);
    if (cert.status === 'revoked') throw DomainError.conflict('status', 'CERTIFICATE_REVOKED_FINAL');
    if (status === 'valid' && cert.status !== 'suspended') throw DomainError.conflict('status', 'CERTIFICATE_NOT_SUSPENDED');
    await this.dataSource.query('UPDATE certificates SET status = ?, status_reason = ?, status_changed_at = ?, status_changed_by = ? WHERE id = ? AND status <> ?', [status, reason.trim(), utc(new Date()), ctx.principal.userId, certificateId, 'revoked']);
    await this.audit.record({ actorId: ctx.principal.userId, action: `certificate.${status === 'valid' ? 'reinstated' : status}`, subjectType: 'certificate', subjectId: certificateId, detail: { number: cert.number, reason: reason.trim() }, ip: ctx.ip });
    const certificate = (await this.byId(certificateId)) as CertificateRecord;
    return { certificate, twin: certificate.twinId === null ? null : await this.byId(certificate.twinId) };
  }

  /** The signed Bitstring Status List credential (VC-JWT) of one list and purpose, from the certificates' status. */
  async statusListJwt(listId: number, purpose: StatusPurpose): Promise<string> {
    const lists = (await this.dataSource.query('SELECT l.issuer_id, l.size, o.name FROM certificate_status_lists l JOIN organisations o ON o.id = l.issuer_id WHERE l.id = ?', [listId])) as { issuer_id: number; size: number; name: string }[];
    if (!lists.length) throw DomainError.notFound('Status list');
    const { issuer_id: issuerId, size, name } = lists[0];
    const rows = (await this.dataSource.query('SELECT status_index FROM certificates WHERE status_list_id = ? AND status = ?', [listId, purpose === 'revocation' ? 'revoked' : 'suspended'])) as { status_index: number }[];
    const bits = createStatusBitstring(Number(size));
    for (const r of rows) setStatusBit(bits, Number(r.status_index), true);
    const now = new Date();
    const credential = buildStatusListCredential({ id: this.statusListUrl(listId, purpose), issuer: { id: this.issuerUri(Number(issuerId)), name }, statusPurpose: purpose, bits, validFrom: now.toISOString().replace(/\.\d{3}Z$/, 'Z') });
    const signer = await this.keys.signer(Number(issuerId));
    return signCredentialJwt(credential, signer, { issuedAt: now });
  }

  async byId(id: number): Promise<CertificateRecord | null> {
    const rows = (await this.dataSource.query(`SELECT ${SELECT_COLUMNS} FROM certificates WHERE id = ?`, [id])) as RawRow[];
    return rows.length ? toRecord(rows[0]) : null;
  }

  /** The current (newest generation) pair of a result, or null. */
  async currentPair(resultId: number, manager: EntityManager = this.dataSource.manager): Promise<{ skill: CertificateRecord; enterprise: CertificateRecord } | null> {
    const rows = ((await manager.query(`SELECT ${SELECT_COLUMNS} FROM certificates WHERE result_id = ? ORDER BY generation DESC, id`, [resultId])) as RawRow[]).map(toRecord);
    if (!rows.length) return null;
    const gen = rows[0].generation;
    const skill = rows.find((r) => r.generation === gen && r.kind === 'skill_level');
    const enterprise = rows.find((r) => r.generation === gen && r.kind === 'enterprise');
    return skill && enterprise ? { skill, enterprise } : null;
  }

  /** A certificate of the caller's organisation (org admin), else not found. */
  /** The signed-in holder's certificates, newest first (every generation, so a re-issued one shows as replaced). */
  async holderCertificates(ctx: RequestContext): Promise<CertificateRecord[]> {
    const rows = (await this.dataSource.query(`SELECT ${SELECT_COLUMNS} FROM certificates WHERE holder_user_id = ? ORDER BY id DESC`, [ctx.principal.userId])) as RawRow[];
    return rows.map(toRecord);
  }

  /** The issuer's certificates, optionally one number (exact) or a holder name (exact), newest first, at most 200. */
  async issuerCertificates(ctx: RequestContext, filter: { number?: string; holderName?: string }): Promise<CertificateRecord[]> {
    if (ctx.principal.organisationId === null) return [];
    const where = ['issuer_id = ?'];
    const params: unknown[] = [ctx.principal.organisationId];
    if (filter.number) {
      where.push('number = ?');
      params.push(filter.number.trim().toUpperCase());
    }
    if (filter.holderName) {
      where.push('holder_name = ?');
      params.push(filter.holderName.trim());
    }
    const rows = (await this.dataSource.query(`SELECT ${SELECT_COLUMNS} FROM certificates WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT 200`, params)) as RawRow[];
    return rows.map(toRecord);
  }

  async issuerCertificate(ctx: RequestContext, id: number): Promise<CertificateRecord> {
    const cert = await this.byId(id);
    if (!cert || ctx.principal.role !== 'org_admin' || cert.issuerId !== ctx.principal.organisationId) throw DomainError.notFound('Certificate');
    return cert;
  }

  statusListUrl(listId: number, purpose: StatusPurpose): string {
    return `${this.config.publicBaseUrl}/api/v1/status-lists/${listId}/${purpose}`;
  }

  /** PUBLIC_BASE_URL as now (on the embedded default it follows the port listened on). */
  publicBaseUrl(): string {
    return this.config.publicBaseUrl;
  }

  issuerUri(issuerId: number): string {
    return `${this.config.publicBaseUrl}/issuers/${issuerId}`;
  }

  /** Issues generation 0 of several results of one issuer and level in one transaction; returns how many pairs. */
  private async issueChunk(inputs: IssuePairInput[]): Promise<number> {
    const { issuerId, level } = inputs[0];
    const now = new Date();
    const c = await this.issuerContext(issuerId, now);
    const holders = await this.holders(inputs.map((i) => i.holderUserId));
    const items = inputs.map((input) => ({ input, holder: holders(input.holderUserId) }));
    await this.sequences.prepare(this.dataSource, { issuerId, year: c.year, level }, now);
    await this.prepareStatusList(issuerId, now);
    const signer = await this.keys.signer(issuerId);
    await this.transactions.run((m) => this.writePairs(m, items, 0, null, { ...c, now, external: null, signer }));
    this.metrics.certificatesIssued.inc({ kind: 'skill_level' }, items.length);
    this.metrics.certificatesIssued.inc({ kind: 'enterprise' }, items.length);
    return items.length;
  }

  /** The issuer's settings and name, and the issue date: the issuer's calendar date (its organisation's time zone). */
  private async issuerContext(issuerId: number, now: Date): Promise<{ settings: IssuerSettings; org: { name: string; credit_code: string | null }; issueDate: string; year: number }> {
    const settings = await this.settings.get(issuerId);
    if (!settings) throw DomainError.validation('issuer', 'ISSUER_SETTINGS_MISSING');
    const org = ((await this.dataSource.query('SELECT name, credit_code, time_zone FROM organisations WHERE id = ?', [issuerId])) as { name: string; credit_code: string | null; time_zone: string | null }[])[0];
    if (!org) throw DomainError.notFound('Issuer');
    const issueDate = zonedDate(now, org.time_zone ?? DEFAULT_TIME_ZONE);
    return { settings, org, issueDate, year: Number(issueDate.slice(0, 4)) };
  }

  /** The holders' rows in one query; the returned lookup throws "not found" for a missing one. */
  private async holders(userIds: number[]): Promise<(userId: number) => HolderRow> {
    const ids = [...new Set(userIds)];
    const rows = (await this.dataSource.query(`SELECT id, real_name, id_document_type, id_number_masked, id_number_enc FROM users WHERE id IN (${ids.map(() => '?').join(', ')})`, ids)) as (HolderRow & { id: number })[];
    const byId = new Map(rows.map((h) => [Number(h.id), h]));
    return (userId) => {
      const holder = byId.get(userId);
      if (!holder) throw DomainError.notFound('Holder');
      return holder;
    };
  }

  private async issue(input: IssuePairInput, generation: number, replaces: { skillId: number; enterpriseId: number | null; reason: string; actorId: number } | null): Promise<IssuedPair> {
    const now = input.now ?? new Date();
    const { settings, org, issueDate, year } = await this.issuerContext(input.issuerId, now);
    const holder = (await this.holders([input.holderUserId]))(input.holderUserId);
    const external = input.externalSkillNumber?.replace(/\s+/g, '').toUpperCase() || null;
    if (external) {
      const problem = recordedSkillNumberProblem(external, { level: input.level, year, codes: settings });
      if (problem) throw DomainError.validation('externalSkillNumber', 'SKILL_NUMBER_INVALID', { detail: problem });
    } else {
      await this.sequences.prepare(this.dataSource, { issuerId: input.issuerId, year, level: input.level }, now);
    }
    await this.prepareStatusList(input.issuerId, now);
    const signer = await this.keys.signer(input.issuerId);
    try {
      const pair = await this.transactions.run(async (m) => {
        await this.writePairs(m, [{ input, holder }], generation, replaces, { now, issueDate, year, settings, org, external, signer });
        const written = await this.currentPair(input.resultId, m);
        if (!written) throw new Error('issued pair not readable');
        return written;
      });
      this.metrics.certificatesIssued.inc({ kind: 'skill_level' });
      this.metrics.certificatesIssued.inc({ kind: 'enterprise' });
      return { created: true, ...pair };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // Another publish (or another process) issued this result's pair first: return it; our serial was rolled back.
      const winner = await this.currentPair(input.resultId);
      if (winner && winner.skill.generation === generation) return { created: false, ...winner };
      throw DomainError.conflict('number', 'ALREADY_USED');
    }
  }

  /**
   * Writes the pairs of one or more results in the caller's transaction: their serials in one locked step of the
   * sequence (gap-free: a rollback returns them all), their status-list slots in one step, every credential built and
   * signed, all rows in one multi-row insert and the twins linked in one update. One result (publish, re-issue) or a
   * chunk of a session's batch: the lock is held once per chunk, not once per pair.
   */
  private async writePairs(
    m: EntityManager,
    items: { input: IssuePairInput; holder: HolderRow }[],
    generation: number,
    replaces: { skillId: number; enterpriseId: number | null; reason: string; actorId: number } | null,
    c: { now: Date; issueDate: string; year: number; settings: IssuerSettings; org: { name: string; credit_code: string | null }; external: string | null; signer: CredentialSigner },
  ): Promise<void> {
    const { settings } = c;
    const { issuerId, level } = items[0].input;
    if (items.some((it) => it.input.issuerId !== issuerId || it.input.level !== level)) throw new Error('one chunk is one issuer and one level');
    if (c.external && items.length !== 1) throw new Error('a recorded number belongs to one result');
    const serials = c.external ? [] : await this.sequences.next(m, { issuerId, year: c.year, level }, items.length, c.now);
    const mysql = m.connection.options.type === 'mysql';
    const list = ((await m.query(`SELECT id, next_index, size FROM certificate_status_lists WHERE issuer_id = ?${mysql ? ' FOR UPDATE' : ''}`, [issuerId])) as { id: number; next_index: number; size: number }[])[0];
    const listId = Number(list.id);
    const firstIndex = Number(list.next_index);
    if (firstIndex + 2 * items.length > Number(list.size)) throw new Error(`status list ${listId} is full`);
    await m.query('UPDATE certificate_status_lists SET next_index = ?, updated_at = ? WHERE id = ?', [firstIndex + 2 * items.length, utc(c.now), listId]);

    const kinds: CertificateKind[] = ['skill_level', 'enterprise'];
    const rows: unknown[][] = [];
    const credentialIds: string[] = [];
    for (const [n, { input, holder: h }] of items.entries()) {
      const ids = { skill_level: `urn:uuid:${randomUUID()}`, enterprise: `urn:uuid:${randomUUID()}` };
      const numbers = {
        skill_level: c.external ?? formatSkillCertificateNumber({ ...pickCodes(settings), year: c.year, level, serial: serials[n] }),
        enterprise: generateEnterpriseCertificateNumber(settings.enterprisePrefix, c.year),
      };
      const holder = {
        name: h.real_name,
        idDocumentType: h.id_document_type ?? 'resident_id',
        idNumberMasked: h.id_number_masked ?? '--',
        subjectId: this.holderSubjectId(input.holderUserId),
        idNumber: h.id_number_enc ? this.cipher.decrypt(h.id_number_enc) : null,
      };
      for (const [i, kind] of kinds.entries()) {
        const other: CertificateKind = kind === 'skill_level' ? 'enterprise' : 'skill_level';
        const index = firstIndex + 2 * n + i;
        const credential = buildCertificateCredential({
          id: ids[kind],
          kind,
          issuer: { id: this.issuerUri(issuerId), name: c.org.name, url: this.config.publicBaseUrl, ...(c.org.credit_code ? { creditCode: c.org.credit_code } : {}) },
          number: numbers[kind],
          holder,
          level,
          trade: input.trade,
          evaluationBody: kind === 'skill_level' ? settings.evaluationBodyName : c.org.name,
          issueDate: c.issueDate,
          querySites: settings.querySites,
          // One credentialStatus: revocation. Suspension is the same index of the sibling suspension list.
          status: { revocation: { statusListCredential: this.statusListUrl(listId, 'revocation'), statusListIndex: index } },
          twin: { id: ids[other], kind: other, number: numbers[other] },
          verificationUrl: verificationPageUrl(settings.verificationBaseUrl, numbers[kind]),
        });
        const jwt = signCredentialJwt(credential, c.signer, { issuedAt: c.now });
        const f = credential.credentialSubject.certificate;
        credentialIds.push(ids[kind]);
        rows.push([
          ids[kind], input.resultId, kind, generation, issuerId, c.org.name, input.holderUserId, input.sessionId, numbers[kind],
          kind === 'skill_level' && c.external ? 'external' : 'issued', f.holderName, holderNameHash(f.holderName), f.idDocumentType, f.idNumberMasked,
          f.occupationName, f.occupationCode, f.trade, f.level, f.evaluationBody, f.issueDate, JSON.stringify(input.parts), numbers[other], other,
          replaces ? (kind === 'skill_level' ? replaces.skillId : replaces.enterpriseId) : null, listId, index, 'valid', keyThumbprint(c.signer.kid), jwt, utc(c.now),
        ]);
      }
    }
    await m.query(
      `INSERT INTO certificates (credential_id, result_id, kind, generation, issuer_id, issuer_name, holder_user_id, session_id, number, number_source, holder_name, holder_name_hash, id_document_type, id_number_masked, occupation_name, occupation_code, trade, level, evaluation_body, issue_date, parts, twin_number, twin_kind, replaces_id, status_list_id, status_index, status, kid, jwt, created_at)
       VALUES ${rows.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ')}`,
      rows.flat(),
    );
    const found = (await m.query(`SELECT id, credential_id FROM certificates WHERE credential_id IN (${credentialIds.map(() => '?').join(', ')})`, credentialIds)) as { id: number; credential_id: string }[];
    const idOf = new Map(found.map((r) => [r.credential_id, Number(r.id)]));
    const inserted = credentialIds.map((id) => idOf.get(id) as number);
    // Twins: rows 2n and 2n+1 are one pair.
    const twinOf = inserted.map((_, k) => inserted[k ^ 1]);
    await m.query(
      `UPDATE certificates SET twin_id = CASE id ${inserted.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${inserted.map(() => '?').join(', ')})`,
      [...inserted.flatMap((id, k) => [id, twinOf[k]]), ...inserted],
    );
    if (replaces) {
      const at = utc(c.now);
      for (const [oldId, newId] of [[replaces.skillId, inserted[0]], [replaces.enterpriseId, inserted[1]]] as const) {
        if (oldId === null) continue;
        await m.query("UPDATE certificates SET status = 'revoked', status_reason = ?, status_changed_at = ?, status_changed_by = ?, replaced_by_id = ? WHERE id = ?", [`re-issued: ${replaces.reason}`, at, replaces.actorId, newId, oldId]);
      }
    }
  }

  /** Creates the issuer's status list row ahead, outside the issuing transaction (see CertificateSequences.prepare). */
  private async prepareStatusList(issuerId: number, now: Date): Promise<void> {
    const mysql = this.dataSource.options.type === 'mysql';
    await this.dataSource.query(`INSERT ${mysql ? 'IGNORE' : 'OR IGNORE'} INTO certificate_status_lists (issuer_id, size, next_index, updated_at) VALUES (?, ?, 0, ?)`, [issuerId, MIN_STATUS_LIST_LENGTH, utc(now)]);
  }
}

/** certificates.kid (64 characters) records the signing key by its thumbprint: the last segment of a kid URL. */
/** Results per issuing transaction in a session's batch: 200 rows of 30 values in one insert. */
const ISSUE_CHUNK = 100;

function keyThumbprint(kid: string): string {
  return kid.split('/').pop() ?? kid;
}

interface HolderRow {
  real_name: string;
  id_document_type: string | null;
  id_number_masked: string | null;
  id_number_enc: string | null;
}

function pickCodes(s: IssuerSettings) {
  return { kind: s.kind, evaluationBodyCode: s.evaluationBodyCode, provinceCode: s.provinceCode, siteSerial: s.siteSerial };
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; errno?: number; driverError?: { code?: string; errno?: number }; message?: string };
  const code = err.driverError?.code ?? err.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed|Duplicate entry/.test(err.message ?? '');
}

export interface RawRow {
  id: number;
  credential_id: string;
  result_id: number;
  kind: CertificateKind;
  generation: number;
  issuer_id: number;
  issuer_name: string;
  holder_user_id: number;
  number: string;
  holder_name: string;
  id_document_type: string;
  id_number_masked: string;
  occupation_name: string;
  occupation_code: string;
  trade: string;
  level: number;
  evaluation_body: string;
  issue_date: string;
  twin_id: number | null;
  twin_number: string;
  twin_kind: CertificateKind;
  replaces_id: number | null;
  replaced_by_id: number | null;
  status: CertificateStatus;
  status_reason: string | null;
  status_changed_at: string | Date | null;
  status_list_id: number;
  status_index: number;
  kid: string;
  jwt: string;
}

export function toRecord(r: RawRow): CertificateRecord {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: Number(r.id),
    credentialId: r.credential_id,
    resultId: Number(r.result_id),
    kind: r.kind,
    generation: Number(r.generation),
    issuerId: Number(r.issuer_id),
    issuerName: r.issuer_name,
    holderUserId: Number(r.holder_user_id),
    number: r.number,
    holderName: r.holder_name,
    idDocumentType: r.id_document_type,
    idNumberMasked: r.id_number_masked,
    occupationName: r.occupation_name,
    occupationCode: r.occupation_code,
    trade: r.trade,
    level: Number(r.level) as SkillLevel,
    evaluationBody: r.evaluation_body,
    issueDate: r.issue_date,
    twinId: num(r.twin_id),
    twinNumber: r.twin_number,
    twinKind: r.twin_kind,
    replacesId: num(r.replaces_id),
    replacedById: num(r.replaced_by_id),
    status: r.status,
    statusReason: r.status_reason,
    statusChangedAt: r.status_changed_at === null ? null : r.status_changed_at instanceof Date ? r.status_changed_at.toISOString() : `${String(r.status_changed_at).replace(' ', 'T')}Z`,
    statusListId: Number(r.status_list_id),
    statusIndex: Number(r.status_index),
    kid: r.kid,
    jwt: r.jwt,
  };
}

/** For callers that only need the default occupation. */
export const DEFAULT_OCCUPATION = AI_TRAINER_OCCUPATION;

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { BUREAU_API_KEY_SCOPES, ErrorCode, type BureauApiKeyScope, type BureauApiKeyView } from '@aitrainer/contracts';
import { SKILL_LEVEL_NAMES, type SkillLevel } from '@aitrainer/certificates';
import { csvField, spreadsheetValue } from '@aitrainer/domain';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../common/auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { zonedDateTime } from '../common/text/zoned-time';
import { FieldCipher } from '../infra/crypto/field-cipher';
import { Metrics } from '../infra/observability/metrics';
import { chinaDate, holderNameHash } from './certificate-issuance.service';
import { utc } from './issuer-settings.service';

export const BUREAU_SCOPES = BUREAU_API_KEY_SCOPES;
export type BureauScope = BureauApiKeyScope;
export const MAX_BULK_ROWS = 100_000;
const KEY_PREFIX = 'aitb_';

export type BureauKeyView = BureauApiKeyView;

/** The bulk verification CSV in the requester's language, or with stable codes (the default, for machines). */
export type BulkCsvLanguage = 'codes' | 'zh' | 'en';
const BULK_CSV_WORDS: Record<BulkCsvLanguage, { header: string; status: Record<string, string>; kind: Record<string, string> } | null> = {
  codes: null,
  zh: {
    header: '行号,证书编号,核验结果,状态变更时间（发证机构所在时区）,证书类别,等级,发证日期,发证机构,配对证书编号',
    status: { valid: '有效', revoked: '已撤销', suspended: '已暂停', not_found: '未找到（编号或姓名不符）', invalid_row: '行内容不完整' },
    kind: { skill_level: '职业技能等级证书', enterprise: '企业认证证书' },
  },
  en: {
    header: 'Row,Certificate number,Result,Status changed (issuer\'s time zone),Certificate,Level,Issue date,Issuer,Twin certificate number',
    status: { valid: 'Valid', revoked: 'Revoked', suspended: 'Suspended', not_found: 'Not found (number or name does not match)', invalid_row: 'Incomplete row' },
    kind: { skill_level: 'Vocational skill level certificate', enterprise: 'Enterprise certificate' },
  },
};

/** The certificate roster's headers and states in the requester's language; `codes` keeps stable column names and codes. */
const ROSTER_CODES = { name: 'holder_name', id: 'id_number', number: 'number', kind: 'kind', occupation: 'occupation', level: 'level', date: 'issue_date', issuer: 'issuer', status: 'status' };
const ROSTER_WORDS: Record<BulkCsvLanguage, { sheet: string; header: typeof ROSTER_CODES; kind: Record<string, string>; status: Record<string, string> } | null> = {
  codes: null,
  zh: {
    sheet: '证书名册',
    header: { name: '姓名', id: '证件号码', number: '证书编号', kind: '证书类型', occupation: '职业', level: '等级', date: '发证日期', issuer: '发证机构', status: '状态' },
    kind: BULK_CSV_WORDS.zh!.kind,
    status: { valid: '有效', revoked: '已撤销', suspended: '已暂停' },
  },
  en: {
    sheet: 'Certificate roster',
    header: { name: 'Name', id: 'ID number', number: 'Certificate number', kind: 'Certificate', occupation: 'Occupation', level: 'Level', date: 'Issue date', issuer: 'Issuer', status: 'Status' },
    kind: BULK_CSV_WORDS.en!.kind,
    status: { valid: 'Valid', revoked: 'Revoked', suspended: 'Suspended' },
  },
};

/** `2026-12-06 06:31` in the issuer's time zone, from an ISO instant. */
function issuerTime(isoInstant: string, timeZone: string | null): string {
  return zonedDateTime(new Date(isoInstant), timeZone ?? undefined);
}

/** Who verifies: a bureau's system by its API key, or a verifier signed in to the portal (keyId null, userId set). */
export interface BureauCaller {
  keyId: number | null;
  organisationId: number;
  userId?: number;
}

interface KeyRow {
  id: number;
  organisation_id: number;
  name: string;
  key_prefix: string;
  key_hash: string;
  scopes: string;
  daily_quota: number;
  quota_day: string | null;
  used_today: number;
  created_at: string | Date;
  revoked_at: string | Date | null;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const iso = (v: string | Date | null) => (v === null ? null : v instanceof Date ? v.toISOString() : `${String(v).replace(' ', 'T')}Z`);

/**
 * Labour-bureau access: API keys (shown once, stored as SHA-256, scoped, revocable, a daily quota of verified rows),
 * bulk verification streamed as CSV, the roster export for subsidy claims, and the bureau's own audit trail.
 */
@Injectable()
export class BureauService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: FieldCipher,
    private readonly metrics: Metrics,
  ) {}

  /** A bureau verifier creates a key for its own bureau; the key is in this answer only. */
  async createKey(ctx: RequestContext, input: { name: string; scopes: string[]; dailyQuota: number }): Promise<BureauKeyView & { key: string }> {
    const orgId = this.bureauOrg(ctx);
    const scopes = [...new Set(input.scopes)];
    if (!scopes.length || scopes.some((s) => !(BUREAU_SCOPES as readonly string[]).includes(s))) throw DomainError.validation('scopes', 'MUST_BE_SOME_OF', { allowed: BUREAU_SCOPES.join(', ') });
    const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const now = utc(new Date());
    await this.dataSource.query(
      'INSERT INTO bureau_api_keys (organisation_id, name, key_prefix, key_hash, scopes, daily_quota, used_today, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)',
      [orgId, input.name, key.slice(0, 12), sha256(key), scopes.join(','), input.dailyQuota, ctx.principal.userId, now],
    );
    const row = ((await this.dataSource.query('SELECT * FROM bureau_api_keys WHERE key_hash = ?', [sha256(key)])) as KeyRow[])[0];
    await this.audit.record({ actorId: ctx.principal.userId, action: 'bureau_api_key.created', subjectType: 'bureau_api_key', subjectId: Number(row.id), detail: { organisationId: orgId, scopes, dailyQuota: input.dailyQuota }, ip: ctx.ip });
    return { ...toView(row), key };
  }

  async listKeys(ctx: RequestContext): Promise<BureauKeyView[]> {
    const orgId = this.bureauOrg(ctx);
    return ((await this.dataSource.query('SELECT * FROM bureau_api_keys WHERE organisation_id = ? ORDER BY id', [orgId])) as KeyRow[]).map(toView);
  }

  async revokeKey(ctx: RequestContext, id: number): Promise<void> {
    const orgId = this.bureauOrg(ctx);
    const rows = (await this.dataSource.query('SELECT id FROM bureau_api_keys WHERE id = ? AND organisation_id = ?', [id, orgId])) as { id: number }[];
    if (!rows.length) throw DomainError.notFound('API key');
    await this.dataSource.query('UPDATE bureau_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [utc(new Date()), id]);
    await this.audit.record({ actorId: ctx.principal.userId, action: 'bureau_api_key.revoked', subjectType: 'bureau_api_key', subjectId: id, ip: ctx.ip });
  }

  /**
   * Checks an API key (constant-time on the hash), its scope, and takes `rows` from its daily quota in one
   * conditional update (safe across processes). 401 for an unknown or revoked key, 403 for a missing scope, 429 when
   * the quota is used up.
   */
  async authenticate(apiKey: string | undefined, scope: BureauScope, rows: number): Promise<BureauCaller> {
    if (!apiKey || !apiKey.startsWith(KEY_PREFIX) || apiKey.length > 100) throw DomainError.unauthenticated(ErrorCode.Unauthenticated, 'A valid X-Api-Key is required');
    const hash = sha256(apiKey);
    const found = ((await this.dataSource.query('SELECT * FROM bureau_api_keys WHERE key_hash = ?', [hash])) as KeyRow[])[0];
    if (!found || found.revoked_at !== null || !timingSafeEqual(Buffer.from(found.key_hash), Buffer.from(hash))) {
      throw DomainError.unauthenticated(ErrorCode.Unauthenticated, 'A valid X-Api-Key is required');
    }
    if (!found.scopes.split(',').includes(scope)) throw DomainError.forbidden(`This API key lacks the ${scope} scope`);
    const today = chinaDate(new Date());
    const runner = this.dataSource.createQueryRunner();
    let affected: number;
    try {
      const res = await runner.query(
        `UPDATE bureau_api_keys SET used_today = CASE WHEN quota_day = ? THEN used_today + ? ELSE ? END, quota_day = ?
         WHERE id = ? AND revoked_at IS NULL AND (CASE WHEN quota_day = ? THEN used_today + ? ELSE ? END) <= daily_quota`,
        [today, rows, rows, today, found.id, today, rows, rows],
        true,
      );
      affected = Number(res.affected ?? 0);
    } finally {
      await runner.release();
    }
    if (affected !== 1) {
      throw new DomainError(ErrorCode.TooManyAttempts, `The daily quota of this API key (${found.daily_quota} rows) is used up`, undefined, { 'Retry-After': '3600' });
    }
    return { keyId: Number(found.id), organisationId: Number(found.organisation_id) };
  }

  /**
   * Verifies rows of {number, name}; yields the CSV result (header first) in chunks of 1,000 rows, each looked up with
   * one query by number. Status per row: valid, revoked, suspended, not_found (also for a name that does not match),
   * invalid_row. Audited once per request with the counts.
   */
  async *bulkVerify(caller: BureauCaller, rows: { number: string; name: string }[], ip: string | null, lang: BulkCsvLanguage = 'codes'): AsyncGenerator<string> {
    const words = BULK_CSV_WORDS[lang];
    yield (words ? words.header : 'row,number,status,status_changed_at,kind,level,issue_date,issuer,twin_number') + '\n';
    const counts: Record<string, number> = {};
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk = rows.slice(start, start + 1000).map((r) => ({ number: String(r.number ?? '').replace(/\s+/g, '').toUpperCase(), name: String(r.name ?? '') }));
      const numbers = [...new Set(chunk.map((r) => r.number).filter((n) => n && n.length <= 64))];
      const found = new Map<string, { holder_name_hash: string; status: string; status_changed_at: string | Date | null; kind: string; level: number; issue_date: string; issuer_name: string; twin_number: string; time_zone: string | null }>();
      if (numbers.length) {
        const list = (await this.dataSource.query(
          `SELECT c.number, c.holder_name_hash, c.status, c.status_changed_at, c.kind, c.level, c.issue_date, c.issuer_name, c.twin_number, o.time_zone FROM certificates c LEFT JOIN organisations o ON o.id = c.issuer_id WHERE c.number IN (${numbers.map(() => '?').join(',')})`,
          numbers,
        )) as ({ number: string } & typeof found extends Map<string, infer V> ? { number: string } & V : never)[];
        for (const r of list) found.set(r.number, r);
      }
      let out = '';
      chunk.forEach((r, i) => {
        let status = 'not_found';
        let row: ReturnType<typeof found.get>;
        if (!r.number || !r.name.trim()) status = 'invalid_row';
        else {
          row = found.get(r.number);
          if (row && row.holder_name_hash === holderNameHash(r.name)) status = row.status;
          else row = undefined;
        }
        counts[status] = (counts[status] ?? 0) + 1;
        const changedAt = row && row.status !== 'valid' ? (iso(row.status_changed_at) ?? '') : '';
        out +=
          [
            start + i + 1,
            r.number,
            words ? (words.status[status] ?? status) : status,
            words && changedAt && row ? issuerTime(changedAt, row.time_zone) : changedAt,
            words && row ? (words.kind[row.kind] ?? row.kind) : (row?.kind ?? ''),
            row ? SKILL_LEVEL_NAMES[Number(row.level) as SkillLevel] : '',
            row?.issue_date ?? '',
            row?.issuer_name ?? '',
            row?.twin_number ?? '',
          ]
            .map(csv)
            .join(',') + '\n';
      });
      yield out;
    }
    for (const [outcome, n] of Object.entries(counts)) this.metrics.certificateVerifications.inc({ outcome }, n);
    await this.audit.record(
      caller.keyId !== null
        ? { actorId: null, action: 'certificate.bulk_verified', subjectType: 'bureau_api_key', subjectId: caller.keyId, detail: { organisationId: caller.organisationId, rows: rows.length, counts }, ip }
        : { actorId: caller.userId ?? null, action: 'certificate.bulk_verified', subjectType: 'organisation', subjectId: caller.organisationId, detail: { organisationId: caller.organisationId, rows: rows.length, counts }, ip },
    );
  }

  /** The bureau's own trail: events of its keys (another bureau's keys are never listed). */
  async auditTrail(caller: BureauCaller, limit = 100): Promise<{ action: string; subjectId: string | null; detail: unknown; createdAt: string }[]> {
    const keyIds = ((await this.dataSource.query('SELECT id FROM bureau_api_keys WHERE organisation_id = ?', [caller.organisationId])) as { id: number }[]).map((r) => String(r.id));
    if (!keyIds.length) return [];
    const rows = (await this.dataSource.query(
      `SELECT action, subject_id, detail, created_at FROM audit_events WHERE subject_type = 'bureau_api_key' AND subject_id IN (${keyIds.map(() => '?').join(',')}) ORDER BY id DESC LIMIT ${Math.min(1000, Math.max(1, limit))}`,
      keyIds,
    )) as { action: string; subject_id: string | null; detail: string | null; created_at: string | Date }[];
    return rows.map((r) => ({ action: r.action, subjectId: r.subject_id, detail: r.detail ? JSON.parse(r.detail) : null, createdAt: iso(r.created_at) ?? '' }));
  }

  /**
   * The roster for subsidy claims (xlsx): name, ID number (in full only for a bureau verifier, and then audited;
   * masked for the issuer's org admin, who sees only its own certificates), number, occupation, level, issue date,
   * issuer. Current (not re-issued) certificates issued in [from, to].
   */
  async roster(ctx: RequestContext, filter: { from?: string; to?: string; issuerId?: number }, lang: BulkCsvLanguage = 'zh'): Promise<Buffer> {
    const p = ctx.principal;
    const bureau = p.role === 'bureau_verifier';
    if (!bureau && p.role !== 'org_admin') throw DomainError.forbidden();
    const date = /^\d{4}-\d{2}-\d{2}$/;
    if ((filter.from && !date.test(filter.from)) || (filter.to && !date.test(filter.to))) throw DomainError.validation(filter.from && !date.test(filter.from) ? 'from' : 'to', 'DATE_FORMAT');
    const where = ['c.replaced_by_id IS NULL'];
    const params: unknown[] = [];
    if (filter.from) {
      where.push('c.issue_date >= ?');
      params.push(filter.from);
    }
    if (filter.to) {
      where.push('c.issue_date <= ?');
      params.push(filter.to);
    }
    const issuerId = bureau ? filter.issuerId : p.organisationId;
    if (issuerId !== undefined && issuerId !== null) {
      where.push('c.issuer_id = ?');
      params.push(issuerId);
    }
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.holder_name, c.id_document_type, c.id_number_masked, u.id_number_enc, c.number, c.kind, c.occupation_name, c.level, c.issue_date, c.issuer_name, c.status
       FROM certificates c JOIN users u ON u.id = c.holder_user_id WHERE ${where.join(' AND ')} ORDER BY c.issue_date, c.id`,
      params,
    )) as { id: number; holder_name: string; id_number_masked: string; id_number_enc: string | null; number: string; kind: string; occupation_name: string; level: number; issue_date: string; issuer_name: string; status: string }[];
    const words = ROSTER_WORDS[lang];
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(words?.sheet ?? 'certificate_roster');
    const widths = { name: 12, id: 22, number: 26, kind: 16, occupation: 16, level: 14, date: 12, issuer: 28, status: 10 } as const;
    sheet.columns = (Object.keys(widths) as (keyof typeof widths)[]).map((key) => ({ header: words ? words.header[key] : ROSTER_CODES[key], key, width: widths[key] }));
    for (const r of rows) {
      const id = bureau && r.id_number_enc ? this.cipher.decrypt(r.id_number_enc) : r.id_number_masked;
      const cells = {
        name: r.holder_name,
        id,
        number: r.number,
        kind: words ? (words.kind[r.kind] ?? r.kind) : r.kind,
        occupation: r.occupation_name,
        level: words ? (lang === 'en' ? `Level ${Number(r.level)}` : SKILL_LEVEL_NAMES[Number(r.level) as SkillLevel]) : Number(r.level),
        date: r.issue_date,
        issuer: r.issuer_name,
        status: words ? (words.status[r.status] ?? r.status) : r.status,
      };
      // No cell may carry a formula (a holder's or issuer's name typed as `=cmd|…`): OWASP CSV injection.
      sheet.addRow(Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, typeof v === 'number' ? v : spreadsheetValue(v)])));
    }
    sheet.getColumn('id').numFmt = '@';
    await this.audit.record({ actorId: p.userId, action: 'certificate.roster_exported', subjectType: 'certificate_roster', subjectId: null, detail: { rows: rows.length, fullIdNumbers: bureau, from: filter.from ?? null, to: filter.to ?? null, issuerId: issuerId ?? null }, ip: ctx.ip });
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  private bureauOrg(ctx: RequestContext): number {
    if (ctx.principal.role !== 'bureau_verifier' || ctx.principal.organisationId === null) throw DomainError.forbidden();
    return ctx.principal.organisationId;
  }
}

function toView(r: KeyRow): BureauKeyView {
  const today = chinaDate(new Date());
  return {
    id: Number(r.id),
    organisationId: Number(r.organisation_id),
    name: r.name,
    keyPrefix: r.key_prefix,
    scopes: r.scopes.split(',') as BureauScope[],
    dailyQuota: Number(r.daily_quota),
    usedToday: r.quota_day === today ? Number(r.used_today) : 0,
    createdAt: iso(r.created_at) ?? '',
    revokedAt: iso(r.revoked_at),
  };
}

/** A CSV field with no formula in it (OWASP CSV injection), quoted as RFC 4180 needs. */
const csv = (value: string | number | null | undefined): string => csvField(value);

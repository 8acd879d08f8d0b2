import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_QUERY_SITES, skillNumberCodesProblem, type EvaluationBodyKind } from '@aitrainer/certificates';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../common/auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { codedProblem } from '@aitrainer/contracts';

/** The coded problem of each issuer code `skillNumberCodesProblem` names first in its English text. */
const CODES_PROBLEM = {
  kind: codedProblem('MUST_BE_ONE_OF', { allowed: 'Y, S' }),
  evaluationBodyCode: codedProblem('DIGITS', { count: 4 }),
  provinceCode: codedProblem('DIGITS', { count: 2 }),
  siteSerial: codedProblem('DIGITS', { count: 6 }),
};

/** An issuing organisation's certificate settings (the national number codes, enterprise prefix, query sites). */
export interface IssuerSettings {
  organisationId: number;
  kind: EvaluationBodyKind;
  evaluationBodyCode: string;
  provinceCode: string;
  siteSerial: string;
  enterprisePrefix: string;
  /** 评价机构名称 printed on the certificates; defaults to the organisation's name. */
  evaluationBodyName: string;
  querySites: string[];
  /** Base of the verification links; PUBLIC_BASE_URL when not set. */
  verificationBaseUrl: string;
}

export type IssuerSettingsInput = Omit<IssuerSettings, 'organisationId' | 'evaluationBodyName' | 'querySites' | 'verificationBaseUrl'> & {
  evaluationBodyName?: string;
  querySites?: string[];
  verificationBaseUrl?: string | null;
};

interface Row {
  organisation_id: number;
  kind_letter: string;
  evaluation_body_code: string;
  province_code: string;
  site_serial: string;
  enterprise_prefix: string;
  evaluation_body_name: string;
  query_sites: string;
  verification_base_url: string | null;
}

@Injectable()
export class IssuerSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(organisationId: number): Promise<IssuerSettings | null> {
    const rows = (await this.dataSource.query('SELECT * FROM issuer_settings WHERE organisation_id = ?', [organisationId])) as Row[];
    if (!rows.length) return null;
    const r = rows[0];
    return {
      organisationId: Number(r.organisation_id),
      kind: r.kind_letter as EvaluationBodyKind,
      evaluationBodyCode: r.evaluation_body_code,
      provinceCode: r.province_code,
      siteSerial: r.site_serial,
      enterprisePrefix: r.enterprise_prefix,
      evaluationBodyName: r.evaluation_body_name,
      querySites: JSON.parse(r.query_sites) as string[],
      verificationBaseUrl: r.verification_base_url ?? this.config.publicBaseUrl,
    };
  }

  /** Org admins set their own organisation's settings; validated with the certificates library. */
  async set(ctx: RequestContext, input: IssuerSettingsInput): Promise<IssuerSettings> {
    const orgId = ctx.principal.organisationId;
    if (ctx.principal.role !== 'org_admin' || orgId === null) throw DomainError.forbidden();
    const problem = skillNumberCodesProblem(input);
    if (problem) {
      const field = problem.split(' ')[0] as keyof typeof CODES_PROBLEM;
      throw DomainError.validation(field, CODES_PROBLEM[field] ?? codedProblem('INVALID'));
    }
    if (typeof input.enterprisePrefix !== 'string' || !/^[A-Z0-9]{2,8}$/.test(input.enterprisePrefix)) {
      throw DomainError.validation('enterprisePrefix', 'ENTERPRISE_PREFIX_FORMAT');
    }
    const sites = input.querySites ?? [...DEFAULT_QUERY_SITES];
    if (!Array.isArray(sites) || sites.length > 10 || sites.some((s) => typeof s !== 'string' || !s.trim() || s.length > 200)) {
      throw DomainError.validation('querySites', 'QUERY_SITES_FORMAT', { max: 10, maxLength: 200 });
    }
    const base = input.verificationBaseUrl ?? null;
    if (base !== null && !/^https?:\/\/[^\s]+$/.test(base)) throw DomainError.validation('verificationBaseUrl', 'NOT_A_URL');
    const org = (await this.dataSource.query('SELECT name FROM organisations WHERE id = ?', [orgId])) as { name: string }[];
    const bodyName = input.evaluationBodyName?.trim() || org[0]?.name || '';
    if (bodyName.length > 200) throw DomainError.validation('evaluationBodyName', 'TOO_LONG', { max: 200 });
    const values = [input.kind, input.evaluationBodyCode, input.provinceCode, input.siteSerial, input.enterprisePrefix, bodyName, JSON.stringify(sites), base, ctx.principal.userId, utc(new Date())];
    await this.dataSource.transaction(async (m) => {
      await m.query('DELETE FROM issuer_settings WHERE organisation_id = ?', [orgId]);
      await m.query(
        'INSERT INTO issuer_settings (kind_letter, evaluation_body_code, province_code, site_serial, enterprise_prefix, evaluation_body_name, query_sites, verification_base_url, updated_by, updated_at, organisation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [...values, orgId],
      );
    });
    await this.audit.record({ actorId: ctx.principal.userId, action: 'issuer_settings.updated', subjectType: 'organisation', subjectId: orgId, detail: { kind: input.kind, evaluationBodyCode: input.evaluationBodyCode, provinceCode: input.provinceCode, siteSerial: input.siteSerial, enterprisePrefix: input.enterprisePrefix }, ip: ctx.ip });
    return (await this.get(orgId)) as IssuerSettings;
  }
}

export function utc(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

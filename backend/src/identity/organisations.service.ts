import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DEFAULT_TIME_ZONE, type OrganisationPartnersView, type OrganisationView } from '@aitrainer/contracts';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { Organisation, OrganisationPartner } from './entities/organisation.entity';
import type { CreateOrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto';

export function toOrganisationView(o: Organisation): OrganisationView {
  return { id: o.id, kind: o.kind, name: o.name, creditCode: o.creditCode, timeZone: o.timeZone ?? DEFAULT_TIME_ZONE, createdAt: o.createdAt.toISOString() };
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectRepository(Organisation) private readonly organisations: Repository<Organisation>,
    @InjectRepository(OrganisationPartner) private readonly partnerRows: Repository<OrganisationPartner>,
    private readonly audit: AuditService,
  ) {}

  async list({ principal }: RequestContext): Promise<OrganisationView[]> {
    if (principal.role === 'platform_admin') {
      return (await this.organisations.find({ order: { id: 'ASC' } })).map(toOrganisationView);
    }
    if (principal.organisationId === null) return [];
    const own = await this.organisations.findOneBy({ id: principal.organisationId });
    return own ? [toOrganisationView(own)] : [];
  }

  async get({ principal }: RequestContext, id: number): Promise<OrganisationView> {
    if (principal.role !== 'platform_admin' && principal.organisationId !== id) throw DomainError.notFound('Organisation');
    const org = await this.organisations.findOneBy({ id });
    if (!org) throw DomainError.notFound('Organisation');
    return toOrganisationView(org);
  }

  async create(ctx: RequestContext, dto: CreateOrganisationDto): Promise<OrganisationView> {
    const creditCode = dto.creditCode?.trim().toUpperCase() ?? null;
    if (creditCode && (await this.organisations.existsBy({ creditCode }))) {
      throw DomainError.conflict('creditCode', 'ALREADY_USED');
    }
    const org = await this.organisations.save(
      this.organisations.create({ kind: dto.kind, name: dto.name.trim(), creditCode, timeZone: dto.timeZone ?? DEFAULT_TIME_ZONE, createdAt: new Date() }),
    );
    await this.audit.record({ actorId: ctx.principal.userId, action: 'organisation.created', subjectType: 'organisation', subjectId: org.id, ip: ctx.ip, detail: { kind: org.kind, name: org.name } });
    return toOrganisationView(org);
  }

  /** The organisation's own admin, or a platform admin, renames it or sets the time zone its times are shown in. */
  async update(ctx: RequestContext, id: number, dto: UpdateOrganisationDto): Promise<OrganisationView> {
    const { principal } = ctx;
    const allowed = principal.role === 'platform_admin' || (principal.role === 'org_admin' && principal.organisationId === id);
    if (!allowed) {
      if (principal.organisationId === id) throw DomainError.forbidden();
      throw DomainError.notFound('Organisation');
    }
    const org = await this.organisations.findOneBy({ id });
    if (!org) throw DomainError.notFound('Organisation');
    const changes: Partial<Organisation> = {};
    if (dto.name !== undefined && dto.name.trim() !== org.name) changes.name = dto.name.trim();
    if (dto.timeZone !== undefined && dto.timeZone !== org.timeZone) changes.timeZone = dto.timeZone;
    if (Object.keys(changes).length) {
      await this.organisations.update({ id }, changes);
      await this.audit.record({ actorId: principal.userId, action: 'organisation.updated', subjectType: 'organisation', subjectId: id, ip: ctx.ip, detail: { ...changes } });
    }
    return toOrganisationView({ ...org, ...changes });
  }

  /** The time zone of an organisation (the default when it has none or is unknown). */
  async timeZoneOf(id: number | null | undefined): Promise<string> {
    if (id === null || id === undefined) return DEFAULT_TIME_ZONE;
    return (await this.organisations.findOneBy({ id }))?.timeZone ?? DEFAULT_TIME_ZONE;
  }

  // ---- partner schools of a certifying enterprise (its org admin, or a platform admin) ----

  /** The issuer named, when the caller manages it: its org admin or a platform admin; 404 otherwise. */
  private async managedIssuer({ principal }: RequestContext, issuerId: number): Promise<Organisation> {
    const mayManage = principal.role === 'platform_admin' || (principal.role === 'org_admin' && principal.organisationId === issuerId);
    const issuer = mayManage ? await this.organisations.findOneBy({ id: issuerId }) : null;
    if (!issuer) throw DomainError.notFound('Organisation');
    if (issuer.kind !== 'issuer') throw DomainError.validation('organisationId', 'NOT_AN_ISSUER');
    return issuer;
  }

  async partners(ctx: RequestContext, issuerId: number): Promise<OrganisationPartnersView> {
    await this.managedIssuer(ctx, issuerId);
    const rows = await this.partnerRows.find({ where: { issuerId } });
    const ids = rows.map((r) => r.schoolId);
    const schools = await this.organisations.find({ where: { kind: 'school' }, order: { name: 'ASC', id: 'ASC' } });
    const since = new Map(rows.map((r) => [r.schoolId, r.createdAt]));
    return {
      partners: schools.flatMap((o) => {
        const from = since.get(o.id);
        return from ? [{ id: o.id, name: o.name, since: from.toISOString() }] : [];
      }),
      otherSchools: schools.filter((o) => !ids.includes(o.id)).map((o) => ({ id: o.id, name: o.name })),
    };
  }

  /** Makes a school a partner (idempotent; audited when it changes something). */
  async addPartner(ctx: RequestContext, issuerId: number, schoolId: number): Promise<OrganisationPartnersView> {
    const issuer = await this.managedIssuer(ctx, issuerId);
    const school = await this.organisations.findOneBy({ id: schoolId });
    if (!school || school.kind !== 'school') throw DomainError.validation('schoolId', 'NOT_A_SCHOOL');
    if (!(await this.partnerRows.existsBy({ issuerId, schoolId }))) {
      await this.partnerRows.createQueryBuilder().insert().values({ issuerId, schoolId, createdBy: ctx.principal.userId, createdAt: new Date() }).orIgnore().execute();
      await this.audit.record({ actorId: ctx.principal.userId, action: 'organisation.partner_added', subjectType: 'organisation', subjectId: issuer.id, ip: ctx.ip, detail: { schoolId, schoolName: school.name } });
    }
    return this.partners(ctx, issuerId);
  }

  /** Ends a partnership: registrations already made stay, new ones from that school are refused. Audited. */
  async removePartner(ctx: RequestContext, issuerId: number, schoolId: number): Promise<OrganisationPartnersView> {
    const issuer = await this.managedIssuer(ctx, issuerId);
    const result = await this.partnerRows.delete({ issuerId, schoolId });
    if (result.affected) {
      const school = await this.organisations.findOneBy({ id: schoolId });
      await this.audit.record({ actorId: ctx.principal.userId, action: 'organisation.partner_removed', subjectType: 'organisation', subjectId: issuer.id, ip: ctx.ip, detail: { schoolId, schoolName: school?.name ?? null } });
    }
    return this.partners(ctx, issuerId);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { OrganisationView } from '@aitrainer/contracts';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { Organisation } from './entities/organisation.entity';
import type { CreateOrganisationDto } from './dto/organisation.dto';

export function toOrganisationView(o: Organisation): OrganisationView {
  return { id: o.id, kind: o.kind, name: o.name, creditCode: o.creditCode, createdAt: o.createdAt.toISOString() };
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectRepository(Organisation) private readonly organisations: Repository<Organisation>,
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
      throw DomainError.conflict('creditCode', 'is already registered to another organisation');
    }
    const org = await this.organisations.save(
      this.organisations.create({ kind: dto.kind, name: dto.name.trim(), creditCode, createdAt: new Date() }),
    );
    await this.audit.record({ actorId: ctx.principal.userId, action: 'organisation.created', subjectType: 'organisation', subjectId: org.id, ip: ctx.ip, detail: { kind: org.kind, name: org.name } });
    return toOrganisationView(org);
  }
}

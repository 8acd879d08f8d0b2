import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { CohortView } from '@aitrainer/contracts';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { Cohort, CohortStudent } from './entities/cohort.entity';

@Injectable()
export class CohortsService {
  constructor(
    @InjectRepository(Cohort) private readonly cohorts: Repository<Cohort>,
    @InjectRepository(CohortStudent) private readonly members: Repository<CohortStudent>,
    private readonly audit: AuditService,
  ) {}

  async list({ principal }: RequestContext): Promise<CohortView[]> {
    const qb = this.cohorts
      .createQueryBuilder('c')
      .leftJoin(CohortStudent, 'm', 'm.cohort_id = c.id')
      .select(['c.id AS id', 'c.organisation_id AS organisationId', 'c.name AS name', 'c.created_at AS createdAt'])
      .addSelect('COUNT(m.user_id)', 'studentCount')
      .groupBy('c.id')
      .addGroupBy('c.organisation_id')
      .addGroupBy('c.name')
      .addGroupBy('c.created_at')
      .orderBy('c.id', 'ASC');
    if (principal.role !== 'platform_admin') {
      if (principal.organisationId === null) return [];
      qb.where('c.organisation_id = :org', { org: principal.organisationId });
    }
    const rows = await qb.getRawMany<{ id: number; organisationId: number; name: string; createdAt: string | Date; studentCount: string | number }>();
    return rows.map((r) => ({
      id: Number(r.id),
      organisationId: Number(r.organisationId),
      name: r.name,
      studentCount: Number(r.studentCount),
      createdAt: new Date(r.createdAt instanceof Date ? r.createdAt : r.createdAt.replace(' ', 'T') + (r.createdAt.endsWith('Z') ? '' : 'Z')).toISOString(),
    }));
  }

  async create(ctx: RequestContext, name: string): Promise<CohortView> {
    const organisationId = ctx.principal.organisationId;
    if (organisationId === null) throw DomainError.forbidden('You belong to no school');
    try {
      const cohort = await this.cohorts.save(this.cohorts.create({ organisationId, name: name.trim(), createdAt: new Date() }));
      await this.audit.record({ actorId: ctx.principal.userId, action: 'cohort.created', subjectType: 'cohort', subjectId: cohort.id, ip: ctx.ip });
      return { id: cohort.id, organisationId, name: cohort.name, studentCount: 0, createdAt: cohort.createdAt.toISOString() };
    } catch (e) {
      if (isUniqueViolation(e)) throw DomainError.conflict('name', 'is already used by another cohort of your school');
      throw e;
    }
  }

  async addStudent(cohortId: number, userId: number): Promise<void> {
    await this.members.upsert({ cohortId, userId, createdAt: new Date() }, ['cohortId', 'userId']);
  }
}

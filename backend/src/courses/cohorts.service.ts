import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { CohortView } from '@aitrainer/contracts';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { In } from 'typeorm';
import type { CohortDetailView, CohortPersonView } from '@aitrainer/contracts';
import { User } from '../identity/entities/user.entity';
import { Cohort, CohortStudent } from './entities/cohort.entity';
import { CohortInstructor, Course, CourseCohort, CourseVersion } from './entities/course.entity';

@Injectable()
export class CohortsService {
  constructor(
    @InjectRepository(Cohort) private readonly cohorts: Repository<Cohort>,
    @InjectRepository(CohortStudent) private readonly members: Repository<CohortStudent>,
    @InjectRepository(CohortInstructor) private readonly instructors: Repository<CohortInstructor>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(CourseCohort) private readonly courseCohorts: Repository<CourseCohort>,
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
    if (principal.role === 'instructor') {
      // An instructor sees the cohorts they teach.
      qb.innerJoin(CohortInstructor, 'ci', 'ci.cohort_id = c.id AND ci.user_id = :me', { me: principal.userId });
    } else if (principal.role !== 'platform_admin') {
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
      if (isUniqueViolation(e)) throw DomainError.conflict('name', 'ALREADY_USED');
      throw e;
    }
  }

  async addStudent(cohortId: number, userId: number): Promise<void> {
    await this.members.upsert({ cohortId, userId, createdAt: new Date() }, ['cohortId', 'userId']);
  }

  /** A school admin sees its school's cohorts; an instructor those they teach; 404 otherwise. */
  async detail({ principal }: RequestContext, id: number): Promise<CohortDetailView> {
    const cohort = await this.cohorts.findOneBy({ id });
    if (!cohort) throw DomainError.notFound('Cohort');
    const allowed =
      principal.role === 'platform_admin' ||
      (principal.role === 'school_admin' && principal.organisationId === cohort.organisationId) ||
      (principal.role === 'instructor' && (await this.instructors.existsBy({ cohortId: id, userId: principal.userId })));
    if (!allowed) throw DomainError.notFound('Cohort');
    const studentIds = (await this.members.find({ where: { cohortId: id } })).map((m) => m.userId);
    const instructorIds = (await this.instructors.find({ where: { cohortId: id } })).map((m) => m.userId);
    const people = async (ids: number[]): Promise<CohortPersonView[]> => {
      const rows: User[] = [];
      for (let i = 0; i < ids.length; i += 500) rows.push(...(await this.users.find({ where: { id: In(ids.slice(i, i + 500)) } })));
      return rows
        .sort((a, b) => a.id - b.id)
        .map((u) => ({ id: u.id, realName: u.realName, username: u.username, idNumberMasked: u.idNumberMasked, phone: u.phone }));
    };
    const courses = await this.courseCohorts
      .createQueryBuilder('cc')
      .innerJoin(Course, 'co', 'co.id = cc.course_id')
      .innerJoin(CourseVersion, 'v', 'v.id = co.published_version_id')
      .where('cc.cohort_id = :id', { id })
      .select(['co.id AS id', 'v.title AS title'])
      .orderBy('co.id', 'ASC')
      .getRawMany<{ id: number; title: string }>();
    return {
      id: cohort.id,
      organisationId: cohort.organisationId,
      name: cohort.name,
      createdAt: cohort.createdAt.toISOString(),
      students: await people(studentIds),
      instructors: await people(instructorIds),
      courses: courses.map((c) => ({ id: Number(c.id), title: c.title })),
    };
  }

  async assignInstructor(ctx: RequestContext, cohortId: number, userId: number): Promise<CohortDetailView> {
    const cohort = await this.ownCohort(ctx, cohortId);
    const user = await this.users.findOneBy({ id: userId });
    if (!user || user.role !== 'instructor' || user.organisationId !== cohort.organisationId) {
      throw DomainError.validation('userId', 'NOT_YOUR_INSTRUCTOR');
    }
    if (!(await this.instructors.existsBy({ cohortId, userId }))) {
      try {
        await this.instructors.insert({ cohortId, userId, createdAt: new Date() });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
      await this.audit.record({ actorId: ctx.principal.userId, action: 'cohort.instructor_assigned', subjectType: 'cohort', subjectId: cohortId, ip: ctx.ip, detail: { userId } });
    }
    return this.detail(ctx, cohortId);
  }

  async removeInstructor(ctx: RequestContext, cohortId: number, userId: number): Promise<CohortDetailView> {
    await this.ownCohort(ctx, cohortId);
    const result = await this.instructors.delete({ cohortId, userId });
    if (result.affected) await this.audit.record({ actorId: ctx.principal.userId, action: 'cohort.instructor_removed', subjectType: 'cohort', subjectId: cohortId, ip: ctx.ip, detail: { userId } });
    return this.detail(ctx, cohortId);
  }

  private async ownCohort({ principal }: RequestContext, id: number): Promise<Cohort> {
    const cohort = await this.cohorts.findOneBy({ id });
    if (!cohort || principal.organisationId !== cohort.organisationId) throw DomainError.notFound('Cohort');
    return cohort;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import type { CreateSessionRequest, ExamSessionView, RegisterCandidateRequest, RegistrationView } from '@aitrainer/contracts';
import { DomainError } from '../common/errors/domain-error';
import type { Principal, RequestContext } from '../common/auth/principal';
import { LearningService } from '../courses/learning.service';
import { User } from '../identity/entities/user.entity';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { ExamAttempt, ExamRegistration, ExamSession } from './entities/exam.entity';
import { ExamsService } from './exams.service';

/** 准考证号: year, session and registration, e.g. 2026 00012 000345. Derived from ids, so unique and stable. */
export const ticketNumber = (year: number, sessionId: number, registrationId: number) => `${year}${String(sessionId).padStart(5, '0')}${String(registrationId).padStart(6, '0')}`;

/** Exam sessions (场次) scheduled by org admins, and candidate registration with eligibility checked. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(ExamSession) private readonly sessions: Repository<ExamSession>,
    @InjectRepository(ExamRegistration) private readonly registrations: Repository<ExamRegistration>,
    @InjectRepository(ExamAttempt) private readonly attempts: Repository<ExamAttempt>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly exams: ExamsService,
    private readonly learning: LearningService,
  ) {}

  async create(ctx: RequestContext, req: CreateSessionRequest): Promise<ExamSessionView> {
    const exam = await this.exams.readable(ctx.principal, req.examId);
    if (exam.status !== 'published') throw DomainError.conflict('examId', 'the exam is not published');
    const startsAtMs = Date.parse(req.startsAt);
    const endsAtMs = Date.parse(req.endsAt);
    if (!(endsAtMs > startsAtMs)) throw DomainError.validation('endsAt', 'must be after startsAt');
    const row = await this.sessions.save(
      this.sessions.create({ examId: exam.id, organisationId: ctx.principal.organisationId, venue: req.venue, startsAtMs, endsAtMs, createdBy: ctx.principal.userId, createdAt: new Date() }),
    );
    return this.view(row, 0);
  }

  async list(ctx: RequestContext): Promise<ExamSessionView[]> {
    const rows = await this.sessions.find({ where: { organisationId: ctx.principal.organisationId ?? -1 }, order: { startsAtMs: 'DESC' } });
    return Promise.all(rows.map(async (s) => this.view(s, await this.registrations.countBy({ sessionId: s.id }))));
  }

  async registrationsOf(ctx: RequestContext, sessionId: number): Promise<RegistrationView[]> {
    const session = await this.managed(ctx.principal, sessionId);
    const rows = await this.registrations.find({ where: { sessionId }, order: { id: 'ASC' } });
    return rows.map((r) => this.registrationView(r, session.examId));
  }

  /**
   * Registers a candidate (an org admin names them; a student registers themself). Eligibility comes from the courses
   * context: course completion and training hours, with the exam's rules as data. Every unmet rule is reported.
   */
  async register(ctx: RequestContext, sessionId: number, req: RegisterCandidateRequest): Promise<RegistrationView> {
    const p = ctx.principal;
    const session = p.role === 'org_admin' ? await this.managed(p, sessionId) : await this.sessions.findOneBy({ id: sessionId });
    if (!session) throw DomainError.notFound('Session');
    if (p.role === 'org_admin' && req.userId !== undefined && req.username !== undefined) throw DomainError.validation('username', 'give either userId or username, not both');
    if (p.role === 'org_admin' && req.userId === undefined && req.username === undefined) throw DomainError.validation('userId', 'is required (or username)');
    if (p.role !== 'org_admin' && req.extraMinutes) throw DomainError.validation('extraMinutes', 'is set by an org admin');
    // Walk-in registrations by the admin are accepted until the session closes.
    if (Date.now() >= session.endsAtMs) throw DomainError.conflict('session', 'has ended; registration is closed');
    const user =
      p.role !== 'org_admin' ? await this.users.findOneBy({ id: p.userId })
      : req.username !== undefined ? await this.users.findOneBy({ username: req.username.trim().toLowerCase() })
      : await this.users.findOneBy({ id: req.userId! });
    if (!user || user.role !== 'student') throw DomainError.validation(req.username !== undefined && p.role === 'org_admin' ? 'username' : 'userId', 'must be a student account');
    const userId = user.id;
    const exam = await this.exams.byId(session.examId);
    const rules = exam.definition.eligibility;
    const verdict = await this.learning.eligibilityFor(userId, { level: exam.level, requiredCourseIds: rules.requiredCourseIds, minTrainingHours: rules.minTrainingHours });
    if (!verdict.eligible) {
      const fields = verdict.reasons.map((r) => ({
        field: 'eligibility',
        problem:
          r.code === 'TRAINING_HOURS_SHORT'
            ? `TRAINING_HOURS_SHORT: ${r.doneMinutes} of ${r.requiredMinutes} training minutes done`
            : r.code === 'COURSE_NOT_COMPLETED'
              ? `COURSE_NOT_COMPLETED: course ${r.courseId}, ${r.completedLessons} of ${r.totalLessons} lessons`
              : `COURSE_NOT_ENROLLED: course ${r.courseId}`,
      }));
      throw new DomainError('CONFLICT', `not eligible: ${fields.map((f) => f.problem).join('; ')}`, fields);
    }
    const existing = await this.registrations.findOneBy({ sessionId, userId });
    if (existing) return this.registrationView(existing, session.examId);
    try {
      const row = await this.db.transaction(async (tx) => {
        const repo = tx.getRepository(ExamRegistration);
        const saved = await repo.save(repo.create({ sessionId, userId, ticketNumber: `pending-${sessionId}-${userId}`, extraMinutes: req.extraMinutes ?? 0, createdAt: new Date() }));
        saved.ticketNumber = ticketNumber(new Date(session.startsAtMs).getUTCFullYear(), sessionId, saved.id);
        await repo.update({ id: saved.id }, { ticketNumber: saved.ticketNumber });
        return saved;
      });
      return this.registrationView(row, session.examId);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const raced = await this.registrations.findOneByOrFail({ sessionId, userId });
      return this.registrationView(raced, session.examId);
    }
  }

  /** Extra time for one candidate, only before they start (an attempt's deadline never moves once it exists). */
  async setExtraTime(ctx: RequestContext, registrationId: number, extraMinutes: number): Promise<RegistrationView> {
    const reg = await this.registrations.findOneBy({ id: registrationId });
    if (!reg) throw DomainError.notFound('Registration');
    const session = await this.managed(ctx.principal, reg.sessionId);
    if (await this.attempts.existsBy({ registrationId })) throw DomainError.conflict('extraMinutes', 'the candidate has already started; extra time is set before the start');
    await this.registrations.update({ id: registrationId }, { extraMinutes });
    return this.registrationView({ ...reg, extraMinutes }, session.examId);
  }

  async mine(ctx: RequestContext): Promise<RegistrationView[]> {
    const rows = await this.registrations.find({ where: { userId: ctx.principal.userId }, order: { id: 'DESC' } });
    return Promise.all(rows.map(async (r) => this.registrationView(r, (await this.sessions.findOneByOrFail({ id: r.sessionId })).examId)));
  }

  /** A session of the org admin's organisation. */
  async managed(p: Principal, sessionId: number): Promise<ExamSession> {
    const session = await this.sessions.findOneBy({ id: sessionId });
    if (!session || p.role !== 'org_admin' || session.organisationId !== p.organisationId) throw DomainError.notFound('Session');
    return session;
  }

  private view(s: ExamSession, registrations: number): ExamSessionView {
    return { id: s.id, examId: s.examId, venue: s.venue, startsAt: new Date(s.startsAtMs).toISOString(), endsAt: new Date(s.endsAtMs).toISOString(), registrations };
  }

  registrationView(r: ExamRegistration, examId: number): RegistrationView {
    return { id: r.id, sessionId: r.sessionId, examId, userId: r.userId, ticketNumber: r.ticketNumber, extraMinutes: r.extraMinutes };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type QueryResult, type Repository } from 'typeorm';
import type {
  ExamPart,
  BulkRegistrationView,
  CreateSessionRequest,
  EligibilityReasonView,
  ExamSessionView,
  MyExamState,
  MyRegistrationView,
  RegisterCandidateRequest,
  RegistrationView,
  SessionCandidatesView,
} from '@aitrainer/contracts';
import type { EligibilityResult } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import type { Principal, RequestContext } from '../common/auth/principal';
import { LearningService } from '../courses/learning.service';
import { User } from '../identity/entities/user.entity';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { Exam, ExamAttempt, ExamRegistration, ExamResult, ExamSession } from './entities/exam.entity';
import { ExamsService } from './exams.service';
import { ExamPapersService } from './exam-papers.service';

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
    private readonly papers: ExamPapersService,
  ) {}

  async create(ctx: RequestContext, req: CreateSessionRequest): Promise<ExamSessionView> {
    const exam = await this.exams.readable(ctx.principal, req.examId);
    if (exam.status !== 'published') throw DomainError.conflict('examId', 'EXAM_NOT_PUBLISHED');
    const startsAtMs = Date.parse(req.startsAt);
    const endsAtMs = Date.parse(req.endsAt);
    if (!(endsAtMs > startsAtMs)) throw DomainError.validation('endsAt', 'ENDS_BEFORE_START');
    const row = await this.sessions.save(
      this.sessions.create({ examId: exam.id, organisationId: ctx.principal.organisationId, venue: req.venue, startsAtMs, endsAtMs, createdBy: ctx.principal.userId, createdAt: new Date() }),
    );
    return this.view(row, exam);
  }

  async list(ctx: RequestContext): Promise<ExamSessionView[]> {
    const rows = await this.sessions.find({ where: { organisationId: ctx.principal.organisationId ?? -1 }, order: { startsAtMs: 'DESC' } });
    const exams = new Map<number, Exam>();
    for (const id of new Set(rows.map((s) => s.examId))) exams.set(id, await this.exams.byId(id));
    return Promise.all(rows.map(async (s) => this.view(s, exams.get(s.examId)!)));
  }

  /**
   * The cohorts studying the exam's required courses (or, when it requires none, the courses of the exam's
   * organisation), each student with their eligibility and whether they are registered already.
   */
  async candidates(ctx: RequestContext, sessionId: number): Promise<SessionCandidatesView> {
    const session = await this.managed(ctx.principal, sessionId);
    const exam = await this.exams.byId(session.examId);
    const required = exam.definition.eligibility.requiredCourseIds;
    const cohortRows = (await (required.length
      ? this.db.query(`SELECT DISTINCT cohort_id FROM course_cohorts WHERE course_id IN (${required.map(() => '?').join(', ')})`, required)
      : this.db.query('SELECT DISTINCT cc.cohort_id FROM course_cohorts cc JOIN courses c ON c.id = cc.course_id WHERE c.organisation_id = ?', [exam.organisationId ?? -1]))) as { cohort_id: number }[];
    const cohortIds = cohortRows.map((r) => Number(r.cohort_id));
    if (!cohortIds.length) return { cohorts: [] };
    const marks = cohortIds.map(() => '?').join(', ');
    // Only cohorts of the session's organisation or of its partner schools: no one else can be registered.
    const cohorts = (await this.db.query(
      `SELECT c.id, c.name, o.name AS org FROM cohorts c JOIN organisations o ON o.id = c.organisation_id WHERE c.id IN (${marks})
       AND (c.organisation_id = ? OR c.organisation_id IN (SELECT school_id FROM organisation_partners WHERE issuer_id = ?)) ORDER BY c.id`,
      [...cohortIds, session.organisationId ?? -1, session.organisationId ?? -1],
    )) as { id: number; name: string; org: string }[];
    if (!cohorts.length) return { cohorts: [] };
    cohortIds.splice(0, cohortIds.length, ...cohorts.map((c) => Number(c.id)));
    const members = (await this.db.query(
      `SELECT m.cohort_id, u.id, u.real_name, u.username, u.id_number_masked FROM cohort_students m JOIN users u ON u.id = m.user_id WHERE m.cohort_id IN (${cohortIds.map(() => '?').join(', ')}) AND u.role = 'student' ORDER BY u.id`,
      cohortIds,
    )) as { cohort_id: number; id: number; real_name: string; username: string; id_number_masked: string | null }[];
    const registered = new Set((await this.registrations.find({ where: { sessionId }, select: { userId: true } })).map((r) => r.userId));
    const titles = await this.courseTitles(required);
    const verdicts = new Map<number, EligibilityReasonView[]>();
    for (const id of new Set(members.map((m) => Number(m.id)))) verdicts.set(id, this.reasonViews(await this.verdict(exam, id), titles));
    return {
      cohorts: cohorts.map((c) => ({
        id: Number(c.id),
        name: c.name,
        organisationName: c.org,
        students: members
          .filter((m) => Number(m.cohort_id) === Number(c.id))
          .map((m) => {
            const reasons = verdicts.get(Number(m.id)) ?? [];
            return { userId: Number(m.id), realName: m.real_name, username: m.username, idNumberMasked: m.id_number_masked, registered: registered.has(Number(m.id)), eligible: reasons.length === 0, reasons };
          }),
      })),
    };
  }

  /** Registers several students in one step; each row says what happened to that student. */
  async registerMany(ctx: RequestContext, sessionId: number, userIds: number[]): Promise<BulkRegistrationView> {
    const session = await this.managed(ctx.principal, sessionId);
    if (Date.now() >= session.endsAtMs) throw DomainError.conflict('session', 'SESSION_REGISTRATION_CLOSED');
    const exam = await this.exams.byId(session.examId);
    const titles = await this.courseTitles(exam.definition.eligibility.requiredCourseIds);
    const out: BulkRegistrationView = { registered: 0, alreadyRegistered: 0, refused: 0, rows: [] };
    for (const userId of [...new Set(userIds)]) {
      const user = await this.users.findOneBy({ id: userId });
      if (!user || user.role !== 'student') {
        out.refused++;
        out.rows.push({ userId, realName: user?.realName ?? '', outcome: 'not_a_student', ticketNumber: null, reasons: [] });
        continue;
      }
      const existing = await this.registrations.findOneBy({ sessionId, userId });
      if (!existing && !(await this.acceptsStudentOf(session, user))) {
        out.refused++;
        out.rows.push({ userId, realName: user.realName, outcome: 'not_partner', ticketNumber: null, reasons: [] });
        continue;
      }
      if (existing) {
        out.alreadyRegistered++;
        out.rows.push({ userId, realName: user.realName, outcome: 'already_registered', ticketNumber: existing.ticketNumber, reasons: [] });
        continue;
      }
      const reasons = this.reasonViews(await this.verdict(exam, userId), titles);
      if (reasons.length) {
        out.refused++;
        out.rows.push({ userId, realName: user.realName, outcome: 'not_eligible', ticketNumber: null, reasons });
        continue;
      }
      const reg = await this.register(ctx, sessionId, { userId });
      out.registered++;
      out.rows.push({ userId, realName: user.realName, outcome: 'registered', ticketNumber: reg.ticketNumber, reasons: [] });
    }
    return out;
  }

  private verdict(exam: Exam, userId: number): Promise<EligibilityResult> {
    const rules = exam.definition.eligibility;
    return this.learning.eligibilityFor(userId, { level: exam.level, requiredCourseIds: rules.requiredCourseIds, minTrainingHours: rules.minTrainingHours });
  }

  private async courseTitles(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = (await this.db.query(
      `SELECT c.id, v.title FROM courses c JOIN course_versions v ON v.id = COALESCE(c.published_version_id, c.draft_version_id) WHERE c.id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    )) as { id: number; title: string }[];
    return new Map(rows.map((r) => [Number(r.id), r.title]));
  }

  private reasonViews(verdict: EligibilityResult, titles: Map<number, string>): EligibilityReasonView[] {
    const hours = (minutes: number) => Math.floor(minutes / 6) / 10;
    return verdict.reasons.map((r) =>
      r.code === 'TRAINING_HOURS_SHORT' ? { code: r.code, doneHours: hours(r.doneMinutes), requiredHours: hours(r.requiredMinutes) }
      : r.code === 'COURSE_NOT_COMPLETED' ? { code: r.code, courseTitle: titles.get(r.courseId) ?? `#${r.courseId}`, completedLessons: r.completedLessons, totalLessons: r.totalLessons }
      : { code: r.code, courseTitle: titles.get(r.courseId) ?? `#${r.courseId}` },
    );
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
    if (p.role === 'org_admin' && req.userId !== undefined && req.username !== undefined) throw DomainError.validation('username', 'USER_ID_OR_USERNAME');
    if (p.role === 'org_admin' && req.userId === undefined && req.username === undefined) throw DomainError.validation('userId', 'USER_REQUIRED');
    if (p.role !== 'org_admin' && req.extraMinutes) throw DomainError.validation('extraMinutes', 'ORG_ADMIN_ONLY');
    // Walk-in registrations by the admin are accepted until the session closes.
    if (Date.now() >= session.endsAtMs) throw DomainError.conflict('session', 'SESSION_REGISTRATION_CLOSED');
    const user =
      p.role !== 'org_admin' ? await this.users.findOneBy({ id: p.userId })
      : req.username !== undefined ? await this.users.findOneBy({ username: req.username.trim().toLowerCase() })
      : await this.users.findOneBy({ id: req.userId! });
    if (!user || user.role !== 'student') throw DomainError.validation(req.username !== undefined && p.role === 'org_admin' ? 'username' : 'userId', 'NOT_A_STUDENT');
    const userId = user.id;
    const existing = await this.registrations.findOneBy({ sessionId, userId });
    if (!existing && !(await this.acceptsStudentOf(session, user))) {
      const school = user.organisationId === null ? [] : ((await this.db.query('SELECT name FROM organisations WHERE id = ?', [user.organisationId])) as { name: string }[]);
      const params = { schoolName: school[0]?.name ?? '' };
      throw new DomainError('NOT_ELIGIBLE', `not eligible: the student's school is not a partner of the organisation holding this session`, [
        { field: 'eligibility', problem: 'SCHOOL_NOT_PARTNER: the student\'s school is not a partner of the organisation holding this session', code: 'SCHOOL_NOT_PARTNER', params },
      ]);
    }
    const exam = await this.exams.byId(session.examId);
    const verdict = await this.verdict(exam, userId);
    if (!verdict.eligible) {
      // Each reason as a field problem with a stable code and its parameters; the portal words it from its catalogue.
      const reasons = this.reasonViews(verdict, await this.courseTitles(exam.definition.eligibility.requiredCourseIds));
      const fields = reasons.map(({ code, ...params }) => ({ field: 'eligibility', problem: `${code}: ${JSON.stringify(params)}`, code, params }));
      throw new DomainError('NOT_ELIGIBLE', `not eligible: ${fields.map((f) => f.problem).join('; ')}`, fields);
    }
    if (existing) return this.registrationView(existing, session.examId);
    try {
      const row = await this.db.transaction(async (tx) => {
        const repo = tx.getRepository(ExamRegistration);
        const saved = await repo.save(repo.create({ sessionId, userId, ticketNumber: `pending-${sessionId}-${userId}`, extraMinutes: req.extraMinutes ?? 0, createdAt: new Date() }));
        saved.ticketNumber = ticketNumber(new Date(session.startsAtMs).getUTCFullYear(), sessionId, saved.id);
        await repo.update({ id: saved.id }, { ticketNumber: saved.ticketNumber });
        return saved;
      });
      // The candidate's papers are drawn now, not in the storm at the start (a late registration too).
      await this.papers.drawAhead(row, session.examId);
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
    // One conditional statement: a start racing it either sees the new extra time or makes this refuse.
    const runner = this.db.createQueryRunner();
    let moved: number;
    try {
      const res = (await runner.query(
        "UPDATE exam_registrations SET extra_minutes = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM exam_attempts a WHERE a.registration_id = ? AND a.state <> 'registered')",
        [extraMinutes, registrationId, registrationId],
        true,
      )) as QueryResult;
      moved = res.affected ?? 0;
    } finally {
      await runner.release();
    }
    if (!moved) throw DomainError.conflict('extraMinutes', 'ALREADY_STARTED');
    return this.registrationView({ ...reg, extraMinutes }, session.examId);
  }

  /** The student's registrations with the exam, window, venue, each part's state and the overall state. */
  async mine(ctx: RequestContext): Promise<MyRegistrationView[]> {
    const rows = await this.registrations.find({ where: { userId: ctx.principal.userId }, order: { id: 'DESC' } });
    return Promise.all(
      rows.map(async (r) => {
        const session = await this.sessions.findOneByOrFail({ id: r.sessionId });
        const exam = await this.exams.byId(session.examId);
        // A part whose paper is drawn but not started is not started.
        const attempts = (await this.attempts.find({ where: { registrationId: r.id }, select: { part: true, state: true, pendingItems: true } })).flatMap((a) => (a.state === 'registered' ? [] : [{ ...a, state: a.state }]));
        const result = await this.db.getRepository(ExamResult).findOne({ where: { registrationId: r.id }, select: { status: true, passed: true, detail: true } });
        const parts = exam.definition.parts.map((p) => ({ part: p.part, durationMinutes: p.durationMinutes, state: attempts.find((a) => a.part === p.part)?.state ?? ('not_started' as const) }));
        const allSubmitted = parts.every((p) => p.state === 'submitted');
        const state: MyExamState =
          result?.status === 'published' ? 'published'
          : allSubmitted ? (attempts.some((a) => a.pendingItems > 0) || result?.status !== 'provisional' ? 'being_graded' : 'submitted')
          : attempts.length ? 'in_progress'
          : 'not_started';
        // The candidate sees the provisional score as soon as every part is scored (marked provisional until published).
        const provisionalResult =
          state === 'submitted' && result
            ? { passed: !!result.passed, parts: (result.detail.parts as { part: ExamPart; scaled: number; passed: boolean }[]).map((p) => ({ part: p.part, scaled: Number(p.scaled), passed: !!p.passed })) }
            : null;
        return { ...this.registrationView(r, exam.id), examTitle: exam.title, level: exam.level, venue: session.venue, startsAt: new Date(session.startsAtMs).toISOString(), endsAt: new Date(session.endsAtMs).toISOString(), parts, state, provisionalResult };
      }),
    );
  }

  /**
   * The partner rule: a session takes students of its own organisation or of the schools its organisation (a
   * certifying enterprise) lists as partners. Registrations made before a partnership ended stay.
   */
  private async acceptsStudentOf(session: ExamSession, student: User): Promise<boolean> {
    if (session.organisationId === null) return true;
    if (student.organisationId === null) return false;
    if (student.organisationId === session.organisationId) return true;
    const rows = (await this.db.query('SELECT 1 AS ok FROM organisation_partners WHERE issuer_id = ? AND school_id = ?', [session.organisationId, student.organisationId])) as unknown[];
    return rows.length > 0;
  }

  /** A session of the org admin's organisation. */
  async managed(p: Principal, sessionId: number): Promise<ExamSession> {
    const session = await this.sessions.findOneBy({ id: sessionId });
    if (!session || p.role !== 'org_admin' || session.organisationId !== p.organisationId) throw DomainError.notFound('Session');
    return session;
  }

  private async view(s: ExamSession, exam: Exam): Promise<ExamSessionView> {
    const [row] = (await this.db.query(
      "SELECT COUNT(DISTINCT r.id) AS registered, COUNT(DISTINCT a.registration_id) AS started FROM exam_registrations r LEFT JOIN exam_attempts a ON a.registration_id = r.id AND a.state <> 'registered' WHERE r.session_id = ?",
      [s.id],
    )) as { registered: number | string; started: number | string }[];
    const submitted = (await this.db.query(
      "SELECT r.id FROM exam_registrations r JOIN exam_attempts a ON a.registration_id = r.id WHERE r.session_id = ? AND a.state = 'submitted' GROUP BY r.id HAVING COUNT(*) >= ?",
      [s.id, exam.definition.parts.length],
    )) as unknown[];
    const [graded] = (await this.db.query(
      "SELECT COUNT(*) AS n FROM exam_results x JOIN exam_registrations r ON r.id = x.registration_id WHERE r.session_id = ? AND x.status IN ('provisional', 'published')",
      [s.id],
    )) as { n: number | string }[];
    const registered = Number(row?.registered ?? 0);
    return {
      id: s.id,
      examId: s.examId,
      venue: s.venue,
      startsAt: new Date(s.startsAtMs).toISOString(),
      endsAt: new Date(s.endsAtMs).toISOString(),
      registrations: registered,
      examTitle: exam.title,
      level: exam.level,
      counts: { registered, started: Number(row?.started ?? 0), submitted: submitted.length, graded: Number(graded?.n ?? 0) },
    };
  }

  registrationView(r: ExamRegistration, examId: number): RegistrationView {
    return { id: r.id, sessionId: r.sessionId, examId, userId: r.userId, ticketNumber: r.ticketNumber, extraMinutes: r.extraMinutes };
  }
}

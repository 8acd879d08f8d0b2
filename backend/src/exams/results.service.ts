import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { OBJECTIVE_QUESTION_TYPES, type AttemptState, type DutyAreaResultView, type ExamAnswerValue, type ExamPart, type ExamResultView, type ItemAnalysisReport, type PartResultView, type QuestionType, type RegradeRequest, type RegradeView } from '@aitrainer/contracts';
import { analysePart, firstFinishedAttempts, randomGuessScore, responseCounts, scoreBands, scoreDistribution, scoreObjective, type ItemResponse, type ScoreDistribution } from '@aitrainer/domain';
import { QuestionBankService } from '../question-bank/question-bank.service';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { Exam, ExamAnswer, ExamAttempt, ExamItemScore, ExamRegistration, ExamResult, ExamSession } from './entities/exam.entity';
import { EXAM_RESULT_PUBLISHED, type ExamResultPublishedPort } from './exam-result-published.port';
import { computeResult } from './result-computation';
import { BoundedMap } from '../common/cache/bounded-map';


const SESSION_CACHE_SIZE = 1_000;
const REGISTRATION_CACHE_SIZE = 20_000;

/** Results per candidate (parts, pass per part and overall, duty areas), provisional until an org admin publishes. */
@Injectable()
export class ResultsService {
  private readonly logger = new Logger('ExamResults');
  private readonly sessionExams = new BoundedMap<number, Pick<Exam, 'id' | 'definition'>>(SESSION_CACHE_SIZE);
  private readonly knownRegistrations = new BoundedMap<number, Pick<ExamRegistration, 'userId' | 'sessionId'>>(REGISTRATION_CACHE_SIZE);

  constructor(
    @InjectRepository(Exam) private readonly exams: Repository<Exam>,
    @InjectRepository(ExamSession) private readonly sessions: Repository<ExamSession>,
    @InjectRepository(ExamRegistration) private readonly registrations: Repository<ExamRegistration>,
    @InjectRepository(ExamAttempt) private readonly attempts: Repository<ExamAttempt>,
    @InjectRepository(ExamItemScore) private readonly items: Repository<ExamItemScore>,
    @InjectRepository(ExamResult) private readonly results: Repository<ExamResult>,
    @InjectRepository(ExamAnswer) private readonly answers: Repository<ExamAnswer>,
    private readonly bank: QuestionBankService,
    @Inject(EXAM_RESULT_PUBLISHED) private readonly publishedPort: ExamResultPublishedPort,
    private readonly audit: AuditService,
  ) {}

  /** Computes the candidate's result from the submitted attempts and their item scores. A published result is final. */
  async recompute(registrationId: number): Promise<void> {
    const { reg, exam } = await this.registrationExam(registrationId);
    // The registration's attempts with their item scores, in one statement.
    const rows = (await this.attempts.query(
      `SELECT a.id, a.part, a.state, a.max_score, s.score, s.points, s.duty_area
       FROM exam_attempts a LEFT JOIN exam_item_scores s ON s.attempt_id = a.id WHERE a.registration_id = ? AND a.state <> 'registered'`,
      [registrationId],
    )) as { id: number; part: ExamPart; state: string; max_score: number | string; score: number | string | null; points: number | string | null; duty_area: string | null }[];
    const attempts = [...new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), part: r.part, state: r.state, maxScore: Number(r.max_score) }])).values()];
    const scores = rows.filter((r) => r.points !== null).map((r) => ({ attemptId: Number(r.id), score: r.score === null ? null : Number(r.score), points: Number(r.points), dutyArea: r.duty_area ?? '' }));
    const { parts, dutyAreas, complete, passed } = computeResult(exam.definition.parts, attempts, scores);
    const detail = { parts, dutyAreas };
    const status = complete ? 'provisional' : 'incomplete';
    // The first submit of a registration creates the result; later ones update it, never once it is published.
    try {
      await this.results.insert({ registrationId, examId: exam.id, userId: reg.userId, status, passed, detail, publishedAt: null, publishedBy: null, updatedAt: new Date() });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      await this.results.update({ registrationId, status: In(['incomplete', 'provisional']) }, { status, passed, detail, updatedAt: new Date() });
    }
  }

  /**
   * The registration and its exam. A registration's candidate and session, a session's exam and a published exam's
   * definition never change, so each process keeps them (bounded, oldest out): every submit recomputes a result.
   */
  private async registrationExam(registrationId: number): Promise<{ reg: Pick<ExamRegistration, 'userId'>; exam: Pick<Exam, 'id' | 'definition'> }> {
    const reg = this.knownRegistrations.get(registrationId) ?? this.rememberRegistration(await this.registrations.findOneOrFail({ where: { id: registrationId }, select: { id: true, userId: true, sessionId: true } }));
    const hit = this.sessionExams.get(reg.sessionId);
    if (hit) return { reg, exam: hit };
    const session = await this.sessions.findOneByOrFail({ id: reg.sessionId });
    const exam = await this.exams.findOneByOrFail({ id: session.examId });
    const entry = { id: exam.id, definition: exam.definition };
    if (exam.status === 'published') {
      this.sessionExams.set(reg.sessionId, entry);
    }
    return { reg, exam: entry };
  }

  /** Called with registrations read elsewhere (a candidate starting a part), so the submit's recompute need not read it again. */
  rememberRegistration(reg: Pick<ExamRegistration, 'id' | 'userId' | 'sessionId'>): Pick<ExamRegistration, 'userId' | 'sessionId'> {
    const entry = { userId: reg.userId, sessionId: reg.sessionId };
    this.knownRegistrations.set(reg.id, entry);
    return entry;
  }

  /** A candidate reads their own result once published; org admins of the session and the exam's authors read any. */
  async forRegistration(ctx: RequestContext, registrationId: number): Promise<ExamResultView> {
    const row = await this.results.findOneBy({ registrationId });
    const p = ctx.principal;
    if (!row) throw DomainError.notFound('Result');
    if (p.role === 'student') {
      if (row.userId !== p.userId || row.status !== 'published') throw DomainError.notFound('Result');
    } else await this.staffExam(ctx, row.examId, registrationId);
    return this.view(row);
  }

  async forExam(ctx: RequestContext, examId: number): Promise<{ results: ExamResultView[]; distribution: Record<string, ScoreDistribution> }> {
    const exam = await this.staffExam(ctx, examId);
    let rows = await this.results.find({ where: { examId }, order: { registrationId: 'ASC' } });
    if (ctx.principal.role === 'org_admin') {
      // An org admin sees the candidates of their own organisation's sessions only.
      const own = await this.sessions.findBy({ examId, organisationId: ctx.principal.organisationId ?? -1 });
      const regs = own.length ? await this.registrations.findBy({ sessionId: In(own.map((x) => x.id)) }) : [];
      const allowed = new Set(regs.map((r) => r.id));
      rows = rows.filter((r) => allowed.has(r.registrationId));
    }
    const views = rows.map((r) => this.view(r));
    const distribution: Record<string, ScoreDistribution> = {};
    for (const def of exam.definition.parts) {
      distribution[def.part] = scoreDistribution(views.flatMap((v) => v.parts.filter((p) => p.part === def.part && p.submitted).map((p) => p.scaled)));
    }
    return { results: views, distribution };
  }

  /**
   * Item analysis per part, as Moodle's quiz statistics: over each candidate's earliest finished attempt at the part,
   * whichever session it was in (resits, no-shows and attempts still in progress are counted, not analysed). The
   * statistics themselves are the domain's (analysePart); here the attempts are chosen and the marks and answers read.
   */
  async itemAnalysis(ctx: RequestContext, examId: number): Promise<ItemAnalysisReport> {
    const exam = await this.staffExam(ctx, examId);
    const parts = exam.definition.parts.map((p) => p.part);
    const [registered, rows] = await Promise.all([
      this.registrations.query(`SELECT DISTINCT r.user_id FROM exam_registrations r JOIN exam_sessions s ON s.id = r.session_id WHERE s.exam_id = ?`, [examId]) as Promise<{ user_id: number }[]>,
      this.attempts.query(
        `SELECT a.id, a.user_id, a.part, a.state, a.started_at_ms, a.max_score FROM exam_attempts a
         JOIN exam_registrations r ON r.id = a.registration_id JOIN exam_sessions s ON s.id = r.session_id WHERE s.exam_id = ? AND a.state <> 'registered'`,
        [examId],
      ) as Promise<{ id: number; user_id: number; part: ExamPart; state: AttemptState; started_at_ms: number | string; max_score: number | string }[]>,
    ]);
    const attempts = rows.map((r) => ({ id: Number(r.id), userId: Number(r.user_id), part: r.part, state: r.state, startedAtMs: Number(r.started_at_ms), maxScore: Number(r.max_score) }));
    const selection = firstFinishedAttempts(parts, registered.map((r) => Number(r.user_id)), attempts);
    const chosen = selection.flatMap((p) => p.selected);
    const report: ItemAnalysisReport = {
      examId,
      attemptsUsed: 'first_finished',
      parts: selection.map(({ selected, ...counts }) => ({ ...counts, maxScore: selected[0]?.maxScore ?? 0 })),
      items: [],
    };
    if (!chosen.length) return report;
    const ids = chosen.map((a) => a.id);
    const scores = await this.items.find({ where: { attemptId: In(ids) }, select: { attemptId: true, questionId: true, versionId: true, points: true, score: true, dutyArea: true } });
    const versions = await this.bank.versionsById([...new Set(scores.map((x) => x.versionId))]);
    const objective = [...new Set(scores.filter((x) => OBJECTIVE_QUESTION_TYPES.includes(versions.get(x.versionId)?.type as QuestionType)).map((x) => x.questionId))];
    const answers = objective.length ? await this.answers.find({ where: { attemptId: In(ids), questionId: In(objective) }, select: { attemptId: true, questionId: true, value: true } }) : [];
    const answerOf = new Map(answers.map((a) => [`${a.attemptId}:${a.questionId}`, JSON.parse(a.value) as ExamAnswerValue]));
    // Moodle's summarks: the attempt's total is the sum of its item marks (an item waiting for a grader counts 0).
    const totals = new Map<number, number>();
    for (const x of scores) totals.set(x.attemptId, (totals.get(x.attemptId) ?? 0) + (x.score ?? 0));
    const partOf = new Map(chosen.map((a) => [a.id, a.part]));
    type Group = { part: ExamPart; questionId: number; versionId: number; dutyArea: string; points: number; responses: ItemResponse[]; answers: (ExamAnswerValue | undefined)[]; pending: number };
    const groups = new Map<string, Group>();
    for (const x of scores) {
      const part = partOf.get(x.attemptId) as ExamPart;
      const key = `${part}:${x.questionId}`;
      const group = groups.get(key) ?? { part, questionId: x.questionId, versionId: x.versionId, dutyArea: x.dutyArea, points: x.points, responses: [], answers: [], pending: 0 };
      groups.set(key, group);
      group.answers.push(answerOf.get(`${x.attemptId}:${x.questionId}`));
      if (x.score === null) group.pending++;
      else group.responses.push({ total: totals.get(x.attemptId) ?? 0, itemScore: x.score });
    }
    for (const sel of selection) {
      const mine = [...groups.values()].filter((g) => g.part === sel.part).sort((a, b) => a.questionId - b.questionId);
      const stats = analysePart(mine.map((g) => ({ key: g, maxMark: g.points, responses: g.responses })), sel.selected[0]?.maxScore ?? 0);
      for (const st of stats) {
        const g = st.key;
        const v = versions.get(g.versionId);
        const type = v?.type ?? 'single_choice';
        const content = v?.content ?? { stem: '' };
        const isObjective = OBJECTIVE_QUESTION_TYPES.includes(type);
        const counts = isObjective ? responseCounts(type, content, g.answers) : null;
        report.items.push({
          part: g.part,
          questionId: g.questionId,
          type,
          stem: content.stem,
          dutyArea: g.dutyArea,
          maxMark: g.points,
          responses: st.responses,
          pending: g.pending,
          facility: st.facility,
          sd: st.sd,
          randomGuessScore: randomGuessScore(type, content),
          intendedWeight: st.intendedWeight,
          effectiveWeight: st.effectiveWeight,
          negativeCovariance: st.negativeCovariance,
          discriminationIndex: st.discriminationIndex,
          discriminativeEfficiency: st.discriminativeEfficiency,
          pointBiserial: st.pointBiserial,
          responseCounts: counts?.counts ?? [],
          otherWrong: counts?.otherWrong ?? 0,
          blanks: counts ? counts.blanks : null,
          scoreBands: isObjective ? null : scoreBands(g.responses.map((r) => r.itemScore), g.points),
          flags: st.flags,
        });
      }
    }
    return report;
  }

  /**
   * Publishes every complete (provisional) result of a session: a conditional update per result, so publishing twice
   * emits once; then the port (certificates) is told after commit.
   */
  async publishSession(ctx: RequestContext, sessionId: number): Promise<{ published: number; stillIncomplete: number }> {
    const session = await this.sessions.findOneBy({ id: sessionId });
    if (!session || ctx.principal.role !== 'org_admin' || session.organisationId !== ctx.principal.organisationId) throw DomainError.notFound('Session');
    const exam = await this.exams.findOneByOrFail({ id: session.examId });
    const regs = await this.registrations.findBy({ sessionId });
    const rows = regs.length ? await this.results.findBy({ registrationId: In(regs.map((r) => r.id)) }) : [];
    let published = 0;
    const now = new Date();
    for (const row of rows.filter((r) => r.status === 'provisional')) {
      const moved = await this.results.update({ id: row.id, status: 'provisional' }, { status: 'published', publishedAt: now, publishedBy: ctx.principal.userId });
      if (!moved.affected) continue;
      published++;
      await this.audit.record({ actorId: ctx.principal.userId, action: 'exam_result.published', subjectType: 'exam_result', subjectId: row.id, detail: { passed: row.passed }, ip: ctx.ip });
      const parts = (row.detail.parts as PartResultView[]).map((p) => ({ part: p.part, scaled: p.scaled, passed: p.passed }));
      try {
        await this.publishedPort.published({ resultId: row.id, registrationId: row.registrationId, examId: exam.id, userId: row.userId, occupation: exam.occupation, level: exam.level, passed: row.passed, parts, publishedAt: now.toISOString(), publishedBy: ctx.principal.userId });
      } catch (e) {
        // The result stays published; the port is idempotent per result and can be called again by a repair run.
        this.logger.error(`ExamResultPublished port failed for result ${row.id}: ${(e as Error).message}`);
      }
    }
    return { published, stillIncomplete: rows.filter((r) => r.status === 'incomplete').length + (regs.length - rows.length) };
  }

  /** Manual grading of one item of one attempt (pending practical items, or an override with a reason); audited. */
  async gradeItem(ctx: RequestContext, attemptId: number, questionId: number, score: number, reason: string): Promise<ExamResultView> {
    const attempt = await this.attempts.findOneBy({ id: attemptId });
    if (!attempt || attempt.state !== 'submitted') throw DomainError.notFound('Attempt');
    const reg = await this.registrations.findOneByOrFail({ id: attempt.registrationId });
    const session = await this.sessions.findOneByOrFail({ id: reg.sessionId });
    await this.staffExam(ctx, session.examId);
    const item = await this.items.findOneBy({ attemptId, questionId });
    if (!item) throw DomainError.notFound('Item');
    if (score > item.points) throw DomainError.validation('score', 'TOO_LARGE', { max: item.points });
    const result = await this.results.findOneBy({ registrationId: reg.id });
    if (result?.status === 'published') throw DomainError.conflict('result', 'RESULT_PUBLISHED');
    await this.items.update({ id: item.id }, { score, source: 'human' });
    const total = (await this.items.findBy({ attemptId })).reduce((s, i) => s + (i.score ?? 0), 0);
    await this.attempts.update({ id: attemptId }, { score: Math.round(total * 1000) / 1000, pendingItems: await this.items.countBy({ attemptId, source: 'pending' }) });
    await this.audit.record({ actorId: ctx.principal.userId, action: 'exam_item.graded', subjectType: 'exam_attempt', subjectId: attemptId, detail: { questionId, before: item.score, after: score, reason }, ip: ctx.ip });
    await this.recompute(reg.id);
    return this.view(await this.results.findOneByOrFail({ registrationId: reg.id }));
  }

  /**
   * Regrades one question across every submitted attempt of the exam whose result is not published yet. A dry run
   * lists whose overall pass/fail would change and writes nothing; a real run stores the new item scores as human
   * grades, audits the change with its reason, and recomputes the results.
   */
  async regrade(ctx: RequestContext, examId: number, questionId: number, req: RegradeRequest): Promise<RegradeView> {
    const exam = await this.staffExam(ctx, examId);
    if (ctx.principal.role !== 'instructor') throw DomainError.forbidden();
    if (req.mode === 'score' && (req.score === undefined || req.score < 0)) throw DomainError.validation('score', 'SCORE_REQUIRED');
    const sessionIds = (await this.sessions.findBy({ examId })).map((x) => x.id);
    const regs = sessionIds.length ? await this.registrations.findBy({ sessionId: In(sessionIds) }) : [];
    const attempts = regs.length ? await this.attempts.findBy({ registrationId: In(regs.map((r) => r.id)), state: 'submitted' }) : [];
    const scores = attempts.length ? await this.items.findBy({ attemptId: In(attempts.map((a) => a.id)) }) : [];
    const targets = scores.filter((x) => x.questionId === questionId);
    if (!targets.length) throw DomainError.notFound('Question on a submitted paper');
    const current = req.mode === 'rescore' ? await this.bank.currentVersion(questionId) : null;
    if (req.mode === 'rescore' && !current) throw DomainError.notFound('Question');
    const answers = req.mode === 'rescore' ? await this.answers.findBy({ attemptId: In(targets.map((x) => x.attemptId)), questionId }) : [];
    const newScore = new Map<number, number>();
    for (const item of targets) {
      let score: number;
      if (req.mode === 'score') score = Math.min(req.score as number, item.points);
      else {
        const answer = answers.find((a) => a.attemptId === item.attemptId);
        const scored = scoreObjective(current!.type, current!.content, answer ? (JSON.parse(answer.value) as ExamAnswerValue) : null, item.points);
        if (!scored) throw DomainError.validation('mode', 'RESCORE_OBJECTIVE_ONLY');
        score = scored.score;
      }
      if (score !== item.score) newScore.set(item.id, score);
    }
    const resultRows = regs.length ? await this.results.findBy({ registrationId: In(regs.map((r) => r.id)) }) : [];
    const locked = new Set(resultRows.filter((r) => r.status === 'published').map((r) => r.registrationId));
    const attemptReg = new Map(attempts.map((a) => [a.id, a.registrationId]));
    const changed = targets.filter((t) => newScore.has(t.id) && !locked.has(attemptReg.get(t.attemptId) as number));
    const passFailChanges: RegradeView['passFailChanges'] = [];
    for (const regId of new Set(changed.map((t) => attemptReg.get(t.attemptId) as number))) {
      const mine = attempts.filter((a) => a.registrationId === regId);
      const rows = scores.filter((x) => mine.some((a) => a.id === x.attemptId));
      const before = computeResult(exam.definition.parts, mine, rows);
      const after = computeResult(exam.definition.parts, mine, rows.map((x) => (newScore.has(x.id) && changed.includes(x) ? { ...x, score: newScore.get(x.id) as number } : x)));
      if (before.passed !== after.passed) passFailChanges.push({ registrationId: regId, userId: regs.find((r) => r.id === regId)!.userId, passedBefore: before.passed, passedAfter: after.passed });
    }
    if (!req.dryRun && changed.length) {
      for (const item of changed) await this.items.update({ id: item.id }, { score: newScore.get(item.id) as number, source: 'human' });
      for (const attemptId of new Set(changed.map((t) => t.attemptId))) {
        const total = (await this.items.findBy({ attemptId })).reduce((sum, i) => sum + (i.score ?? 0), 0);
        await this.attempts.update({ id: attemptId }, { score: Math.round(total * 1000) / 1000 });
      }
      await this.audit.record({ actorId: ctx.principal.userId, action: 'exam_item.regraded', subjectType: 'exam', subjectId: examId, detail: { questionId, mode: req.mode, score: req.score ?? null, reason: req.reason, attempts: changed.length, passFailChanges }, ip: ctx.ip });
      for (const regId of new Set(changed.map((t) => attemptReg.get(t.attemptId) as number))) await this.recompute(regId);
    }
    return { dryRun: req.dryRun, affectedAttempts: changed.length, lockedResults: new Set(targets.map((t) => attemptReg.get(t.attemptId)).filter((r) => locked.has(r as number))).size, passFailChanges };
  }

  /** Instructors of the exam's organisation, or org admins who hold a session of it. */
  async staffExam(ctx: RequestContext, examId: number, registrationId?: number): Promise<Exam> {
    const p = ctx.principal;
    const exam = await this.exams.findOneBy({ id: examId });
    if (!exam) throw DomainError.notFound('Exam');
    if (p.role === 'instructor' && (exam.authorId === p.userId || (p.organisationId !== null && exam.organisationId === p.organisationId))) return exam;
    if (p.role === 'org_admin') {
      if (registrationId === undefined) return exam;
      const reg = await this.registrations.findOneBy({ id: registrationId });
      const session = reg ? await this.sessions.findOneBy({ id: reg.sessionId }) : null;
      if (session && session.organisationId === p.organisationId) return exam;
    }
    throw DomainError.notFound('Result');
  }

  private view(r: ExamResult): ExamResultView {
    return {
      registrationId: r.registrationId,
      examId: r.examId,
      userId: r.userId,
      status: r.status,
      parts: r.detail.parts as PartResultView[],
      passed: r.passed,
      dutyAreas: r.detail.dutyAreas as DutyAreaResultView[],
      publishedAt: r.publishedAt ? r.publishedAt.toISOString() : null,
    };
  }
}

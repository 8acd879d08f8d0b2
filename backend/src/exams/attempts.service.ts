import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { FileStorage } from '../infra/storage/file-storage';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryResult, type Repository } from 'typeorm';
import { ErrorCode, type AttemptState, type AttemptView, type ExamReviewView, type ReviewPartView, type SavedAnswerView, type ExamAnswerValue, type ExamPart, type PaperQuestionView, type PracticalItemView, type QuestionContent, type SaveExamAnswerResponse } from '@aitrainer/contracts';
import { answerFeedback, answerShapeProblem, attemptDeadline, finishTime, matchChoices, scoreObjective, type PaperItem } from '@aitrainer/domain';
import { ExamPapersService } from './exam-papers.service';
import { ExamAnswerStore } from './exam-answer.store';
import { DomainError } from '../common/errors/domain-error';
import type { Principal, RequestContext } from '../common/auth/principal';
import { SerialTransactions } from '../infra/database/serial-transactions';
import { coalescedSelect, mysqlPoolOf, type CoalescedLookup, type MysqlCallbackPool } from '../infra/database/coalesced-lookup';
import { JOB_QUEUE, type JobQueue } from '../infra/queue/job-queue';
import { JOBS } from '../infra/queue/queue.constants';
import { QuestionBankService } from '../question-bank/question-bank.service';
import { LabellingExamCandidateView } from '../labelling/exam-candidate-view';
import { PromptTasksService } from '../prompts/prompt-tasks.service';
import type { QuestionVersion } from '../question-bank/entities/question.entity';
import { ExamAnswer, ExamAttempt, ExamItemScore, ExamRegistration, ExamResult, ExamSession } from './entities/exam.entity';
import { ExamsService } from './exams.service';
import { ResultsService } from './results.service';
import { deadlineJobId, type SubmitAttemptAtDeadlineJob } from './jobs/submit-attempt-at-deadline.job';
import { examItemJobId, MACHINE_GRADED_TYPES, type GradeExamItemJob } from './jobs/grade-exam-item.job';
import { scoreJobId, type ScoreExamAttemptJob } from './jobs/score-exam-attempt.job';
import { BoundedMap } from '../common/cache/bounded-map';

interface RegistrationWindow {
  id: number;
  userId: number;
  sessionId: number;
  extraMinutes: number;
  examId: number;
  startsAtMs: number;
  endsAtMs: number;
}

interface CachedPaper {
  userId: number;
  deadlineMs: number;
  /** The row as read or written at start: its paper, owner and deadline never change; state and scores may have since. */
  row: ExamAttempt;
}

/** What every candidate is shown of one question version (no gold), before the candidate's option order and links. */
interface QuestionBody {
  stem: string;
  format: 'html' | undefined;
  optionText: Map<string, string> | null;
  matchPrompts: { key: string; text: string }[];
  matchChoices: string[];
  media: { name: string }[] | null;
}

const NO_BODY: QuestionBody = { stem: '', format: undefined, optionText: null, matchPrompts: [], matchChoices: [], media: null };

// About 30 KB per 200-question paper: a few thousand live attempts per API process stay well under 100 MB.
/**
 * Papers kept per API process: every process sees every candidate of a storm (connections are spread round robin), so
 * the cache holds a whole session's attempts (a miss costs a read of the row and its paper on every save). Entries are
 * lean: the items of a paper are shared, frozen objects (a question in one option order is the same object in every
 * paper that has it), so an entry is its row and an array of references: about 0.6 KB for 20 items, 2 KB for 200 (10,000 attempts: 6-20 MB).
 */
const PAPER_CACHE_SIZE = 20_000;
/** Distinct (question, version, option order, points) items shared by the cached papers. */
const PAPER_ITEM_CACHE_SIZE = 100_000;

/** Thrown inside the deadline job when it runs before the deadline (a clock step): a retry runs it again later. */
class NotYetDue extends Error {}

/** The paper's item for a question: a scan of at most a few hundred numbers, cheaper to keep than a map per paper. */
function itemOf(items: readonly PaperItem[], questionId: number): PaperItem | undefined {
  for (const item of items) if (item.questionId === questionId) return item;
  return undefined;
}

/** A row of the registration-window statement: the registration, its session's window and its attempt for one part. */
type WindowRow = Record<string, string | number | null>;

/** The registration with its session's window and its row for the part (`part`: a placeholder or a quoted literal). */
const registrationWindowSelect = (part: string): string =>
  `SELECT r.id AS r_id, r.user_id, r.session_id, r.extra_minutes, s.exam_id, s.starts_at_ms, s.ends_at_ms, a.id AS a_id, a.user_id AS a_user_id, a.state, a.seed, a.paper,
     a.question_ids, a.started_at_ms, a.deadline_ms, a.finished_at_ms, a.submitted_by, a.score, a.max_score, a.pending_items
   FROM exam_registrations r JOIN exam_sessions s ON s.id = r.session_id LEFT JOIN exam_attempts a ON a.registration_id = r.id AND a.part = ${part}`;

/**
 * The attempt engine. The server is the only clock: the deadline is stored at start, saves are refused after it,
 * and a delayed job submits the attempt at the deadline whether or not a browser is still there.
 */
@Injectable()
export class AttemptsService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(ExamAttempt) private readonly attempts: Repository<ExamAttempt>,
    @InjectRepository(ExamAnswer) private readonly answers: Repository<ExamAnswer>,
    @InjectRepository(ExamRegistration) private readonly registrations: Repository<ExamRegistration>,
    @InjectRepository(ExamSession) private readonly sessions: Repository<ExamSession>,
    @InjectRepository(ExamItemScore) private readonly itemScores: Repository<ExamItemScore>,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly exams: ExamsService,
    private readonly bank: QuestionBankService,
    private readonly results: ResultsService,
    private readonly answerStore: ExamAnswerStore,
    private readonly labelling: LabellingExamCandidateView,
    private readonly storage: FileStorage,
    private readonly promptTasks: PromptTasksService,
    private readonly drawn: ExamPapersService,
  ) {}

  private readonly papers = new BoundedMap<number, CachedPaper>(PAPER_CACHE_SIZE);
  private readonly paperItems = new BoundedMap<string, PaperItem>(PAPER_ITEM_CACHE_SIZE);
  /** Question versions' candidate-facing text: versions never change, and a session's candidates share its questions. */
  private readonly bodies = new BoundedMap<number, QuestionBody>(20_000);
  private readonly transactions = new SerialTransactions(this.db);
  /** MySQL: the registration lookups of starts that arrive together go as one statement, one lookup per part. */
  private readonly mysqlPool = mysqlPoolOf(this.db);
  private readonly windowLookups = new Map<ExamPart, CoalescedLookup<WindowRow>>();

  private windowLookup(pool: MysqlCallbackPool, part: ExamPart): CoalescedLookup<WindowRow> {
    let lookup = this.windowLookups.get(part);
    if (!lookup) {
      // The part is one of EXAM_PARTS (checked by every caller), written into the statement as a literal.
      if (!/^[a-z_]+$/.test(part)) throw new Error(`unexpected exam part ${part}`);
      lookup = coalescedSelect<WindowRow>(pool, registrationWindowSelect(`'${part}'`), 'r.id', (row) => String(row['r_id']));
      this.windowLookups.set(part, lookup);
    }
    return lookup;
  }
  /** Answers known without a read (none at the start; final ones a submit has just read), for the view it returns. */
  private readonly knownAnswers = new WeakMap<ExamAttempt, SavedAnswerView[]>();
  private readonly logger = new Logger('Attempts');

  /**
   * Starts a part (or resumes it: one attempt per registration and part). The paper was drawn at registration (or is
   * drawn now when it is missing); the start is one conditional statement that stamps the start and the deadline, only
   * on a paper not yet started, only inside the session's window and only with the extra time read here: the rows it
   * changed decide. The deadline job is enqueued here as before.
   */
  async start(ctx: RequestContext, registrationId: number, part: ExamPart): Promise<AttemptView> {
    const found = await this.registrationWindow(registrationId, part);
    const reg = found?.reg;
    if (!reg || reg.userId !== ctx.principal.userId) throw DomainError.notFound('Registration');
    this.results.rememberRegistration(reg);
    const exam = await this.exams.published(reg.examId);
    const partDef = exam.definition.parts.find((p) => p.part === part);
    if (!partDef) throw DomainError.validation('part', 'NO_SUCH_PART', { part });
    let row = found.attempt;
    if (!row) {
      // No paper drawn ahead: draw it now (not for a window that is closed).
      this.refuseOutsideWindow(reg, Date.now());
      row = await this.drawn.ensure(reg, exam, part);
    }
    for (let tries = 0; ; tries++) {
      if (row.state !== 'registered') return this.resume(row);
      const now = Date.now();
      const deadlineMs = attemptDeadline(now, partDef.durationMinutes, reg.extraMinutes, reg.endsAtMs);
      const started = await this.affectedRows(
        this.db.manager,
        `UPDATE exam_attempts SET state = 'in_progress', started_at_ms = ?, deadline_ms = ? WHERE id = ? AND state = 'registered'
         AND EXISTS (SELECT 1 FROM exam_registrations r JOIN exam_sessions s ON s.id = r.session_id WHERE r.id = ? AND r.extra_minutes = ? AND s.starts_at_ms <= ? AND s.ends_at_ms > ?)`,
        [now, deadlineMs, row.id, registrationId, reg.extraMinutes, now, now],
      );
      if (started) return this.begun(Object.assign(row, { state: 'in_progress' as const, startedAtMs: now, deadlineMs }));
      // Not started by this statement: started meanwhile (another tab), outside the window, or the extra time changed.
      row = await this.attempts.findOneByOrFail({ id: row.id });
      if (row.state !== 'registered') continue;
      this.refuseOutsideWindow(reg, now);
      const fresh = await this.registrationWindow(registrationId, part);
      if (!fresh || tries >= 2) throw DomainError.conflict('attempt', 'ATTEMPT_START_RETRY');
      Object.assign(reg, fresh.reg);
    }
  }

  /** After the start statement: the deadline job, the paper cache, the view (no answers yet: no read for them). */
  private async begun(attempt: ExamAttempt): Promise<AttemptView> {
    try {
      await this.scheduleDeadline(attempt);
    } catch (e) {
      // No deadline job means no guaranteed submit: do not leave an attempt without one (unless it is being answered
      // already in another tab, whose start re-enqueues it).
      await this.affectedRows(
        this.db.manager,
        "UPDATE exam_attempts SET state = 'registered', started_at_ms = 0, deadline_ms = 0 WHERE id = ? AND state = 'in_progress' AND NOT EXISTS (SELECT 1 FROM exam_answers WHERE attempt_id = ?)",
        [attempt.id, attempt.id],
      );
      throw e;
    }
    this.remember(attempt);
    this.knownAnswers.set(attempt, []);
    return this.view(attempt);
  }

  /**
   * The registration with its session's window and its row for the part (the paper drawn ahead, or the attempt), in
   * one statement; null when there is no such registration.
   */
  private async registrationWindow(id: number, part: ExamPart): Promise<{ reg: RegistrationWindow; attempt: ExamAttempt | null } | null> {
    const r = this.mysqlPool ? await this.windowLookup(this.mysqlPool, part).get(String(id)) : ((await this.db.query(`${registrationWindowSelect('?')} WHERE r.id = ?`, [part, id])) as WindowRow[])[0];
    if (!r) return null;
    const num = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
    const reg = { id, userId: Number(r['user_id']), sessionId: Number(r['session_id']), extraMinutes: Number(r['extra_minutes']), examId: Number(r['exam_id']), startsAtMs: Number(r['starts_at_ms']), endsAtMs: Number(r['ends_at_ms']) };
    if (r['a_id'] === null || r['a_id'] === undefined) return { reg, attempt: null };
    const attempt = Object.assign(new ExamAttempt(), {
      id: Number(r['a_id']),
      registrationId: id,
      userId: Number(r['a_user_id']),
      part,
      state: r['state'] as ExamAttempt['state'],
      seed: String(r['seed']),
      // MariaDB sends JSON columns as text; MySQL's driver may have parsed them already.
      paper: (typeof r['paper'] === 'string' ? JSON.parse(r['paper']) : (r['paper'] as unknown)) as ExamAttempt['paper'],
      questionIds: String(r['question_ids']),
      startedAtMs: Number(r['started_at_ms']),
      deadlineMs: Number(r['deadline_ms']),
      finishedAtMs: num(r['finished_at_ms']),
      submittedBy: r['submitted_by'] === null || r['submitted_by'] === undefined ? null : String(r['submitted_by']),
      score: num(r['score']),
      maxScore: Number(r['max_score']),
      pendingItems: Number(r['pending_items']),
    });
    return { reg, attempt };
  }

  /** A start before the session opens or once it has closed: 409 with a code the portal words. */
  private refuseOutsideWindow(window: { startsAtMs: number; endsAtMs: number }, now: number): void {
    if (now < window.startsAtMs) {
      throw new DomainError(ErrorCode.Conflict, 'session has not started yet', [{ field: 'session', problem: 'has not started yet', code: 'SESSION_NOT_STARTED', params: { startsAt: new Date(window.startsAtMs).toISOString() } }]);
    }
    if (now >= window.endsAtMs) {
      throw new DomainError(ErrorCode.Conflict, 'session has ended', [{ field: 'session', problem: 'has ended', code: 'SESSION_ENDED', params: { endsAt: new Date(window.endsAtMs).toISOString() } }]);
    }
  }

  private scheduleDeadline(attempt: ExamAttempt): Promise<void> {
    const payload: SubmitAttemptAtDeadlineJob = { attemptId: attempt.id };
    return this.queue.add(JOBS.submitExamAttemptAtDeadline, payload, { jobId: deadlineJobId(attempt.id), delayMs: Math.max(0, attempt.deadlineMs - Date.now()) });
  }

  private async resume(attempt: ExamAttempt): Promise<AttemptView> {
    if (attempt.state === 'in_progress') {
      if (Date.now() > attempt.deadlineMs) return this.view(await this.submitOverdue(attempt));
      await this.scheduleDeadline(attempt); // same job id: a no-op unless the first enqueue was lost
    }
    return this.view(attempt);
  }

  /** The candidate's own attempt, with saved answers and the server's clock. An overdue attempt is submitted first. */
  async get(ctx: RequestContext, id: number): Promise<AttemptView> {
    const attempt = await this.attempts.findOneBy({ id });
    // A paper drawn ahead and not started is no attempt yet: nobody sees it.
    if (!attempt || attempt.userId !== ctx.principal.userId || attempt.state === 'registered') throw DomainError.notFound('Attempt');
    if (attempt.state === 'in_progress' && Date.now() > attempt.deadlineMs) return this.view(await this.submitOverdue(attempt));
    return this.view(attempt);
  }

  /**
   * Autosave: one statement that inserts the answer, or replaces it only when `seq` is higher, and only while the
   * attempt is in progress and before its deadline (checked by the database in the same statement). 2xx only after
   * the statement has committed.
   */
  async saveAnswer(ctx: RequestContext, id: number, questionId: number, seq: number, value: ExamAnswerValue): Promise<SaveExamAnswerResponse> {
    const paper = await this.paperOf(id);
    const now = Date.now();
    const problem = this.saveProblem(paper, ctx.principal.userId, questionId, value, now);
    if (problem) throw problem;
    // The statement itself checks the state and the deadline, so a save racing the submit cannot slip in after it.
    const outcome = await this.answerStore.upsert(id, questionId, seq, JSON.stringify(value), now);
    if (outcome !== 'unchanged-or-closed') return { questionId, seq, saved: true };
    const stored = await this.answerStore.storedSeq(id, questionId);
    if (stored === null || stored < seq) {
      // Nothing was written: the attempt closed between the check and the statement.
      this.refuseIfClosed(await this.attempts.findOneByOrFail({ id }), Date.now());
      throw DomainError.conflict('attempt', 'ATTEMPT_SUBMITTED');
    }
    return { questionId, seq: stored, saved: stored === seq };
  }

  /**
   * The answer save's fast path (answer-save.fast-path.ts): the same checks, then one statement that also checks the
   * login session. Returns the response when the save went through; null when anything is unusual (an error to
   * report, an older seq, a closed attempt, a revoked session), and the caller hands the request to the full route,
   * which checks everything again and answers with the right status.
   */
  async trySaveFast(principal: Principal, id: number, questionId: number, seq: number, value: ExamAnswerValue): Promise<SaveExamAnswerResponse | null> {
    if (!this.answerStore.supportsSessionUpsert) return null;
    const paper = await this.paperOf(id);
    const now = Date.now();
    if (this.saveProblem(paper, principal.userId, questionId, value, now)) return null;
    const outcome = await this.answerStore.upsertInSession(principal.sessionId, principal.userId, id, questionId, seq, JSON.stringify(value), now);
    return outcome === 'unchanged-or-closed' ? null : { questionId, seq, saved: true };
  }

  /** Why this save is refused before the statement runs (not the candidate's attempt, not on the paper, too late, bad shape). */
  private saveProblem(paper: CachedPaper | null, userId: number, questionId: number, value: ExamAnswerValue, now: number): DomainError | null {
    if (!paper || paper.userId !== userId) return DomainError.notFound('Attempt');
    const item = itemOf(paper.row.paper.items, questionId);
    if (!item) return DomainError.validation('questionId', 'NOT_ON_PAPER');
    if (now > paper.deadlineMs) return this.deadlinePassed(paper.deadlineMs);
    const problem = answerShapeProblem(item.type, { stem: '', options: item.optionOrder.map((key) => ({ key, text: '' })) }, value);
    return problem ? DomainError.validation('value', 'ANSWER_SHAPE', { detail: problem }) : null;
  }

  /**
   * What the save path needs of an attempt never changes once it is drawn (owner, deadline, items), so it is kept in
   * a bounded in-process cache; the attempt's state is checked by the save statement itself.
   */
  private async paperOf(id: number): Promise<CachedPaper | null> {
    const hit = this.papers.get(id);
    if (hit) return hit;
    const row = await this.attempts.findOneBy({ id });
    // A paper not started yet has no deadline: not cached, and no attempt to save into.
    return row && row.state !== 'registered' ? this.remember(row) : null;
  }

  private remember(row: ExamAttempt): CachedPaper {
    const items = row.paper.items.map((item) => this.sharedItem(item));
    const entry: CachedPaper = { userId: row.userId, deadlineMs: row.deadlineMs, row: Object.assign(new ExamAttempt(), row, { paper: { ...row.paper, items } }) };
    this.papers.set(row.id, entry);
    return entry;
  }

  /** The one frozen copy of an item that many cached papers share (same question, version, order and points). */
  private sharedItem(item: PaperItem): PaperItem {
    const key = `${item.questionId}:${item.versionId}:${item.type}:${item.section}:${item.points}:${item.optionOrder.join('\u0001')}`;
    let shared = this.paperItems.get(key);
    if (!shared) {
      shared = Object.freeze({ ...item, optionOrder: Object.freeze([...item.optionOrder]) as string[] });
      this.paperItems.set(key, shared);
    }
    return shared;
  }


  private deadlinePassed(deadlineMs: number): DomainError {
    return DomainError.conflict('deadline', 'DEADLINE_PASSED', { deadline: new Date(deadlineMs).toISOString() });
  }

  private refuseIfClosed(attempt: Pick<ExamAttempt, 'state' | 'deadlineMs'>, now: number): void {
    if (attempt.state !== 'in_progress') throw DomainError.conflict('attempt', 'ATTEMPT_SUBMITTED');
    if (now > attempt.deadlineMs) throw this.deadlinePassed(attempt.deadlineMs);
  }

  /**
   * The candidate submits: one conditional statement moves the attempt to submitted (that is the acknowledgement),
   * and the scoring runs in the worker (`score-exam-attempt`); the candidate sees "submitted" at once and the
   * provisional result when it is scored. Submitting again (or after the deadline job) returns the same submitted
   * attempt. Should the enqueue fail, the deadline job scores it at the deadline.
   */
  async submit(ctx: RequestContext, id: number): Promise<AttemptView> {
    const known = await this.paperOf(id);
    if (!known || known.userId !== ctx.principal.userId) throw DomainError.notFound('Attempt');
    if (known.row.state !== 'in_progress') return this.view(await this.attempts.findOneByOrFail({ id }));
    const finishedAtMs = finishTime(Date.now(), known.deadlineMs);
    const moved = await this.markSubmitted(this.db.manager, id, finishedAtMs, 'candidate');
    // Not moved: submitted meanwhile (another tab, or the deadline job on another process): show what was recorded.
    if (!moved) return this.view(await this.attempts.findOneByOrFail({ id }));
    return this.afterSubmitted(known, id, finishedAtMs);
  }

  /**
   * The storm's submit (MySQL): the login session's check and the submit in one statement. Null when that statement
   * moved nothing (already submitted, a session ended, not this candidate's) or on SQLite: the caller then takes the
   * usual path, which words the answer.
   */
  async submitInSession(ctx: RequestContext, id: number): Promise<AttemptView | null> {
    if (!this.answerStore.supportsSessionUpsert) return null;
    const known = await this.paperOf(id);
    if (!known || known.userId !== ctx.principal.userId || known.row.state !== 'in_progress') return null;
    const finishedAtMs = finishTime(Date.now(), known.deadlineMs);
    if (!(await this.answerStore.submitInSession(ctx.principal.sessionId, ctx.principal.userId, id, finishedAtMs))) return null;
    return this.afterSubmitted(known, id, finishedAtMs);
  }

  /** After the submitting statement moved the attempt: the cached row follows, scoring is queued, the view answers. */
  private async afterSubmitted(known: CachedPaper, id: number, finishedAtMs: number): Promise<AttemptView> {
    const submitted = Object.assign(new ExamAttempt(), known.row, { state: 'submitted' as const, finishedAtMs, submittedBy: 'candidate' as const });
    known.row = submitted;
    try {
      const payload: ScoreExamAttemptJob = { attemptId: id };
      await this.queue.add(JOBS.scoreExamAttempt, payload, { jobId: scoreJobId(id) });
    } catch (e) {
      this.logger.warn(`attempt ${id}: scoring not enqueued (${(e as Error).message}); the deadline job will score it`);
    }
    // The answers are final and the room shows none once submitted: the acknowledgement needs no further read.
    this.knownAnswers.set(submitted, []);
    return this.view(submitted);
  }

  /** The one statement that submits: only an attempt still in progress moves (exactly once). */
  private async markSubmitted(manager: EntityManager, id: number, finishedAtMs: number, by: 'candidate' | 'deadline'): Promise<boolean> {
    return (await this.affectedRows(manager, "UPDATE exam_attempts SET state = 'submitted', finished_at_ms = ?, submitted_by = ? WHERE id = ? AND state = 'in_progress'", [finishedAtMs, by, id])) > 0;
  }

  /** Runs a write and returns the rows it changed, on the transaction's runner when there is one. */
  private async affectedRows(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
    const own = manager.queryRunner ? null : this.db.createQueryRunner();
    const runner = manager.queryRunner ?? own;
    try {
      return ((await runner!.query(sql, params, true)) as QueryResult).affected ?? 0;
    } finally {
      await own?.release();
    }
  }

  /**
   * The `score-exam-attempt` job (and the deadline job's repair): scores a submitted attempt's objective items once
   * (the conditional update on a still-unscored attempt decides), recomputes the result and enqueues its practical
   * items. Running it again changes nothing.
   */
  async scoreSubmitted(attemptId: number): Promise<void> {
    const attempt = await this.attempts.findOneBy({ id: attemptId });
    if (!attempt || attempt.state === 'in_progress') return;
    if (attempt.score === null) {
      const versions = await this.bank.versionsById(attempt.paper.items.map((i) => i.versionId));
      await this.transactions.run((tx) => this.score(tx, attempt, versions));
      await this.results.recompute(attempt.registrationId);
    }
    await this.enqueuePractical(attempt);
  }

  /**
   * The delayed job: submits an abandoned attempt with finish time = deadline. Harmless if already submitted; then it
   * re-enqueues the grading jobs of practical items still pending (same job ids: harmless, and a repair when an enqueue
   * after the submit was lost).
   */
  async submitAtDeadline(attemptId: number): Promise<void> {
    const attempt = await this.attempts.findOneBy({ id: attemptId });
    if (!attempt) return;
    if (attempt.state !== 'in_progress') {
      // Submitted by the candidate: scored by its own job, or here when that job never ran.
      if (attempt.score === null || attempt.pendingItems > 0) await this.scoreSubmitted(attemptId);
      return;
    }
    if (Date.now() <= attempt.deadlineMs) throw new NotYetDue(`attempt ${attemptId} is not due until ${new Date(attempt.deadlineMs).toISOString()}`);
    await this.close(attempt, 'deadline');
  }

  private submitOverdue(attempt: ExamAttempt): Promise<ExamAttempt> {
    return this.close(attempt, 'deadline');
  }

  /**
   * Moves the attempt to submitted exactly once (a conditional update) and scores the objective items in the same
   * transaction; items that need a grader are left pending. Then the candidate's result is recomputed, and
   * short-answer, labelling and prompt items become `grade-exam-item` jobs.
   */
  private async close(attempt: ExamAttempt, by: 'candidate' | 'deadline'): Promise<ExamAttempt> {
    const finishedAtMs = finishTime(Date.now(), attempt.deadlineMs);
    // Question versions are immutable: read them before the transaction, so it never waits for a second connection
    // (a pool of N connections would deadlock under N concurrent submits).
    const versions = await this.bank.versionsById(attempt.paper.items.map((i) => i.versionId));
    const moved = await this.transactions.run(async (tx) => {
      if (!(await this.markSubmitted(tx, attempt.id, finishedAtMs, by))) return null;
      return this.score(tx, attempt, versions);
    });
    if (moved) {
      await this.results.recompute(attempt.registrationId);
      try {
        await this.enqueuePractical(attempt);
      } catch (e) {
        // The deadline job re-enqueues pending practical items (it retries when it is the one submitting).
        if (by === 'deadline') throw e;
        this.logger.warn(`attempt ${attempt.id}: grading jobs not enqueued yet (${(e as Error).message}); the deadline job will`);
      }
      // This call made the change, so the row is what it wrote, and the answers are final: no need to read them back.
      this.knownAnswers.set(attempt, moved.answers);
      return Object.assign(attempt, { state: 'submitted' as const, finishedAtMs, submittedBy: by, score: moved.score, pendingItems: moved.pendingItems });
    }
    // Another request or the deadline job submitted it first: show what that one recorded.
    return this.attempts.findOneByOrFail({ id: attempt.id });
  }

  /**
   * After the submit has committed: one `grade-exam-item` job per practical item still pending. Answers are frozen at
   * submission, so the job id names version 1; a second enqueue is a no-op, or a harmless rerun once the first completed.
   */
  private async enqueuePractical(attempt: ExamAttempt): Promise<void> {
    const machineGraded = new Set(attempt.paper.items.filter((i) => MACHINE_GRADED_TYPES.includes(i.type)).map((i) => i.questionId));
    if (!machineGraded.size) return;
    const pending = await this.itemScores.find({ where: { attemptId: attempt.id, source: 'pending' }, select: { questionId: true } });
    for (const { questionId } of pending.filter((p) => machineGraded.has(p.questionId))) {
      const payload: GradeExamItemJob = { attemptId: attempt.id, questionId };
      await this.queue.add(JOBS.gradeExamItem, payload, { jobId: examItemJobId(attempt.id, questionId) });
    }
  }

  /**
   * Scores the objective items and leaves the others pending, inside the caller's transaction. The conditional update
   * on an attempt not yet scored comes first and decides: a second scorer (a job run twice, the deadline job's repair)
   * waits for the first's row lock, then finds it scored and writes nothing.
   */
  private async score(tx: EntityManager, attempt: ExamAttempt, versions: Map<number, QuestionVersion>): Promise<{ score: number; pendingItems: number; answers: SavedAnswerView[] } | null> {
    const saved = (await tx.query('SELECT question_id, seq, value FROM exam_answers WHERE attempt_id = ?', [attempt.id])) as { question_id: number; seq: number | string; value: string }[];
    const answers = saved.map((a) => ({ questionId: Number(a.question_id), seq: Number(a.seq), value: JSON.parse(a.value) as ExamAnswerValue }));
    const byQuestion = new Map(answers.map((a) => [a.questionId, a.value]));
    let total = 0;
    let pending = 0;
    const rows: Partial<ExamItemScore>[] = [];
    for (const item of attempt.paper.items) {
      const version = versions.get(item.versionId);
      const objective = version ? scoreObjective(version.type, version.content, byQuestion.get(item.questionId), item.points) : null;
      if (objective) total += objective.score;
      else pending++;
      rows.push({
        attemptId: attempt.id,
        questionId: item.questionId,
        versionId: item.versionId,
        points: item.points,
        score: objective ? objective.score : null,
        source: objective ? 'auto' : 'pending',
        dutyArea: version?.dutyArea ?? '',
      });
    }
    const score = Math.round(total * 1000) / 1000;
    if (!(await this.affectedRows(tx, 'UPDATE exam_attempts SET score = ?, pending_items = ? WHERE id = ? AND score IS NULL', [score, pending, attempt.id]))) return null;
    if (rows.length) {
      // One plain multi-row statement (the query builder costs more CPU than the database does for it).
      const placeholders = rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
      const params = rows.flatMap((r) => [r.attemptId, r.questionId, r.versionId, r.points, r.score, r.source, r.dutyArea]);
      await tx.query(`INSERT INTO exam_item_scores (attempt_id, question_id, version_id, points, score, source, duty_area) VALUES ${placeholders}`, params);
    }
    return { score, pendingItems: pending, answers };
  }

  private async view(attempt: ExamAttempt): Promise<AttemptView> {
    const versions = await this.bank.versionsById(attempt.paper.items.map((i) => i.versionId));
    // Practical items show what is worked on only while the attempt is open: the submitted view lists no work.
    const practical = attempt.state === 'in_progress' ? await this.practicalViews(attempt, versions) : new Map<number, PracticalItemView>();
    const questions: PaperQuestionView[] = attempt.paper.items.map((item, position) => this.question(item, position, versions.get(item.versionId), attempt.id, practical.get(item.questionId)));
    const known = this.knownAnswers.get(attempt);
    const answers = known ?? (await this.answers.find({ where: { attemptId: attempt.id }, select: { questionId: true, seq: true, value: true } })).map((a) => ({ questionId: a.questionId, seq: a.seq, value: JSON.parse(a.value) as ExamAnswerValue }));
    return {
      id: attempt.id,
      registrationId: attempt.registrationId,
      part: attempt.part,
      state: attempt.state as AttemptState, // a paper not started is never shown
      startedAt: new Date(attempt.startedAtMs).toISOString(),
      deadline: new Date(attempt.deadlineMs).toISOString(),
      serverNow: new Date().toISOString(),
      finishedAt: attempt.finishedAtMs === null ? null : new Date(attempt.finishedAtMs).toISOString(),
      score: null, // scores reach the candidate only through a published result
      maxScore: attempt.maxScore,
      questions,
      answers,
    };
  }

  /**
   * The candidate's review of their submitted parts, only once their result is published (before: 404, as for the
   * result itself): each question as on their paper, their answer, the feedback of what they chose (answerFeedback)
   * and the general feedback. Nothing else of the key: no correct options, weights or accepted answers.
   */
  async review(ctx: RequestContext, registrationId: number): Promise<ExamReviewView> {
    const reg = await this.registrations.findOneBy({ id: registrationId });
    if (!reg || reg.userId !== ctx.principal.userId || !(await this.published(registrationId))) throw DomainError.notFound('Review');
    const attempts = (await this.attempts.find({ where: { registrationId }, order: { id: 'ASC' } })).filter((a) => a.state === 'submitted');
    const parts: ReviewPartView[] = [];
    for (const attempt of attempts) {
      const versions = await this.bank.versionsById(attempt.paper.items.map((i) => i.versionId));
      const saved = await this.answers.find({ where: { attemptId: attempt.id }, select: { questionId: true, value: true } });
      const answerOf = new Map(saved.map((a) => [a.questionId, JSON.parse(a.value) as ExamAnswerValue]));
      parts.push({
        part: attempt.part,
        attemptId: attempt.id,
        questions: attempt.paper.items.map((item, position) => {
          const c = versions.get(item.versionId)?.content ?? { stem: '' };
          const media = mediaLinks(c, attempt.id, item.questionId);
          const answer = answerOf.get(item.questionId) ?? null;
          const options = c.options ? item.optionOrder.map((key) => ({ key, text: media(c.options!.find((o) => o.key === key)?.text ?? '') })) : undefined;
          return {
            questionId: item.questionId,
            position: position + 1,
            type: item.type,
            stem: media(c.stem),
            ...(c.format && { format: c.format }),
            ...(options && { options }),
            ...(item.type === 'matching' && { matchPrompts: (c.pairs ?? []).map((p) => ({ key: p.key, text: media(p.prompt) })) }),
            points: item.points,
            answer,
            answerFeedback: answerFeedback(item.type, c, answer).map((f) => ({ key: f.key, text: media(f.text) })),
            generalFeedback: c.feedback ? media(c.feedback) : null,
          };
        }),
      });
    }
    return { registrationId, parts };
  }

  private async published(registrationId: number): Promise<boolean> {
    const row = await this.db.getRepository(ExamResult).findOne({ where: { registrationId }, select: { id: true, status: true } });
    return row?.status === 'published';
  }

  /**
   * One question of a paper as the candidate sees it: the version's candidate-facing text (kept per process: versions
   * never change) in the candidate's stored option order, with this attempt's links for the files it refers to.
   */
  private question(item: PaperItem, position: number, v: QuestionVersion | undefined, attemptId: number, work: PracticalItemView | undefined): PaperQuestionView {
    const body = v ? this.body(v) : NO_BODY;
    // Files an imported question refers to (@@PLUGINFILE@@/name) are fetched through this attempt.
    const files = body.media;
    const media = files ? (html: string) => html.replace(/@@PLUGINFILE@@\/([^"'\s<>]+)/g, (m, name: string) => (files.some((f) => f.name === safeDecode(name)) ? practicalMediaUrl(attemptId, item.questionId, safeDecode(name)) : m)) : (html: string) => html;
    const texts = body.optionText;
    const options = texts ? item.optionOrder.map((key) => ({ key, text: media(texts.get(key) ?? '') })) : undefined;
    const matching = item.type === 'matching' && v ? { matchPrompts: files ? body.matchPrompts.map((p) => ({ key: p.key, text: media(p.text) })) : body.matchPrompts, matchChoices: body.matchChoices } : {};
    return { questionId: item.questionId, position: position + 1, type: item.type, stem: media(body.stem), ...(body.format && { format: body.format }), ...(options && { options }), ...matching, points: item.points, ...(work && { practical: work }) };
  }

  /** The candidate-facing text of a question version (never its gold), computed once per process and version. */
  private body(v: QuestionVersion): QuestionBody {
    const hit = this.bodies.get(v.id);
    if (hit) return hit;
    const c = v.content;
    const body: QuestionBody = {
      stem: c.stem ?? '',
      format: c.format,
      optionText: c.options ? new Map(c.options.map((o) => [o.key, o.text])) : null,
      matchPrompts: (c.pairs ?? []).map((p) => ({ key: p.key, text: p.prompt })),
      matchChoices: v.type === 'matching' || c.pairs ? matchChoices(c) : [],
      media: c.media?.length ? c.media : null,
    };
    this.bodies.set(v.id, body);
    return body;
  }

  /**
   * What the candidate works on for each practical item: the labelling exercise's items (never gold) through the
   * labelling context's candidate view, or the prompt task's brief (never hidden cases) through the prompts context.
   * An item whose exercise or task is gone is shown by its stem alone (a person grades it).
   */
  private async practicalViews(attempt: ExamAttempt, versions: Map<number, QuestionVersion>): Promise<Map<number, PracticalItemView>> {
    const out = new Map<number, PracticalItemView>();
    for (const item of attempt.paper.items) {
      const content = versions.get(item.versionId)?.content;
      const exerciseId = item.type === 'labelling' ? content?.labellingExerciseId : undefined;
      const taskId = item.type === 'prompt_task' ? content?.promptTaskId : undefined;
      let view: PracticalItemView | null = null;
      if (exerciseId !== undefined && Number.isInteger(exerciseId)) {
        view = await this.labelling.exercise(exerciseId, (name) => practicalMediaUrl(attempt.id, item.questionId, name));
      } else if (taskId !== undefined && Number.isInteger(taskId)) {
        view = await this.promptTasks.candidateView(taskId).catch((e: unknown) => {
          if (e instanceof DomainError) return null; // unpublished or deleted since the paper was drawn
          throw e;
        });
      }
      if (view) out.set(item.questionId, view);
    }
    return out;
  }

  /**
   * A media file (image, audio) of a labelling item on the candidate's own open attempt, or a file an imported
   * question refers to, on the open attempt or in the review once the candidate's result is published. Anyone else,
   * an overdue attempt, a submitted one not yet published (or a labelling file after the attempt), a question that is
   * not on the paper, or a name it does not have: 404.
   */
  async practicalMedia(ctx: RequestContext, id: number, questionId: number, name: string): Promise<{ stream: Readable; mime: string }> {
    const attempt = await this.attempts.findOneBy({ id });
    if (!attempt || attempt.userId !== ctx.principal.userId) throw DomainError.notFound('Attempt');
    const open = attempt.state === 'in_progress' && Date.now() <= attempt.deadlineMs;
    // After the attempt, only the review (once the result is published) shows the question files again.
    const inReview = !open && attempt.state === 'submitted' && (await this.published(attempt.registrationId));
    if (!open && !inReview) throw DomainError.notFound('Attempt');
    const item = attempt.paper.items.find((i) => i.questionId === questionId);
    const content = item ? (await this.bank.versionsById([item.versionId])).get(item.versionId)?.content : undefined;
    // A file an imported question's text refers to (Moodle's @@PLUGINFILE@@), from the version on the paper.
    const own = content?.media?.find((m) => m.name === name);
    if (own) return { stream: await this.storage.open(own.key), mime: own.mime };
    if (!open) throw DomainError.notFound('Media file');
    const exerciseId = item?.type === 'labelling' ? content?.labellingExerciseId : undefined;
    const file = exerciseId !== undefined && Number.isInteger(exerciseId) ? await this.labelling.mediaFile(exerciseId, name) : null;
    if (!file) throw DomainError.notFound('Media file');
    return { stream: createReadStream(file.path), mime: file.mime };
  }
}

/** Files an imported question refers to (@@PLUGINFILE@@/name) are fetched through the candidate's attempt. */
const mediaLinks = (c: QuestionContent | undefined, attemptId: number, questionId: number) => (html: string) =>
  c?.media?.length ? html.replace(/@@PLUGINFILE@@\/([^"'\s<>]+)/g, (m, name: string) => (c.media!.some((f) => f.name === safeDecode(name)) ? practicalMediaUrl(attemptId, questionId, safeDecode(name)) : m)) : html;

const safeDecode = (name: string) => {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
};

/** Where the candidate's paper serves a labelling item's media file (AttemptMediaController). */
export const practicalMediaUrl = (attemptId: number, questionId: number, name: string) => `/api/v1/attempts/${attemptId}/media/${questionId}/${encodeURIComponent(name)}`;

import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import type { ExamPart } from '@aitrainer/contracts';
import { drawPaper, type Paper } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { QuestionBankService } from '../question-bank/question-bank.service';
import { Exam, ExamAttempt } from './entities/exam.entity';
import { ExamsService } from './exams.service';

/**
 * Papers drawn before the session. Each registered candidate's paper for each part (questions, versions, option order,
 * from a stored random seed) is drawn at registration and stored as an attempt row in state `registered`, so the start
 * in the storm is one conditional statement (AttemptsService.start). A registration whose paper is missing (made
 * before papers were drawn ahead, or whose draw failed) is drawn by the worker at boot, or at the start at the latest.
 * Until it starts the row is no attempt: nobody sees it, it has no start time or deadline (stored as 0), and it is
 * counted as not started everywhere.
 */
@Injectable()
export class ExamPapersService {
  private readonly logger = new Logger('ExamPapers');

  constructor(
    private readonly db: DataSource,
    @InjectRepository(ExamAttempt) private readonly attempts: Repository<ExamAttempt>,
    private readonly exams: ExamsService,
    private readonly bank: QuestionBankService,
  ) {}

  /** Draws one part's paper from the bank as it is now: the same seed and bank always give the same paper. */
  async draw(exam: Exam, part: ExamPart, seed = randomBytes(12).toString('hex')): Promise<Paper> {
    const types = [...new Set(exam.definition.blueprint.filter((s) => s.part === part).map((s) => s.type))];
    const pool = await this.bank.drawable(exam.organisationId, exam.authorId, types, exam.level);
    try {
      return drawPaper(seed, part, exam.definition.blueprint, exam.level, pool, exam.definition.shuffleOptions);
    } catch (e) {
      throw DomainError.conflict('paper', 'PAPER_UNFILLABLE', { detail: (e as Error).message });
    }
  }

  /**
   * The registration's row for a part: the stored one, or a paper drawn now and stored (a concurrent draw of the same
   * part loses to the unique key and the winner's row is returned: one paper per registration and part).
   */
  async ensure(reg: { id: number; userId: number }, exam: Exam, part: ExamPart): Promise<ExamAttempt> {
    const stored = await this.attempts.findOneBy({ registrationId: reg.id, part });
    if (stored) return stored;
    const paper = await this.draw(exam, part);
    const row = this.attempts.create({
      registrationId: reg.id,
      userId: reg.userId,
      part,
      state: 'registered',
      seed: paper.seed,
      paper,
      questionIds: `,${paper.items.map((i) => i.questionId).join(',')},`,
      startedAtMs: 0,
      deadlineMs: 0,
      finishedAtMs: null,
      submittedBy: null,
      score: null,
      maxScore: paper.items.reduce((s, i) => s + i.points, 0),
      pendingItems: 0,
    });
    try {
      await this.attempts.insert(row);
      return row;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return this.attempts.findOneByOrFail({ registrationId: reg.id, part });
    }
  }

  /** Every part's paper of a new registration (at registration). A part the bank cannot fill now is left to the start. */
  async drawAhead(reg: { id: number; userId: number }, examId: number): Promise<void> {
    const exam = await this.exams.published(examId);
    for (const def of exam.definition.parts) {
      try {
        await this.ensure(reg, exam, def.part);
      } catch (e) {
        this.logger.warn(`registration ${reg.id}: ${def.part} paper not drawn ahead (${(e as Error).message}); it is drawn at the start`);
      }
    }
  }

  /**
   * The papers missing for registrations of sessions that have not ended (those made before papers were drawn ahead,
   * or whose draw failed): run by the worker at boot. Returns how many registrations it looked at.
   */
  async drawMissing(nowMs = Date.now()): Promise<number> {
    const rows = (await this.db.query(
      `SELECT r.id, r.user_id, s.exam_id, COUNT(a.id) AS drawn FROM exam_registrations r JOIN exam_sessions s ON s.id = r.session_id
       LEFT JOIN exam_attempts a ON a.registration_id = r.id WHERE s.ends_at_ms > ? GROUP BY r.id, r.user_id, s.exam_id`,
      [nowMs],
    )) as { id: number | string; user_id: number | string; exam_id: number | string; drawn: number | string }[];
    let looked = 0;
    for (const r of rows) {
      const exam = await this.exams.published(Number(r.exam_id)).catch(() => null);
      if (!exam || Number(r.drawn) >= exam.definition.parts.length) continue;
      looked++;
      await this.drawAhead({ id: Number(r.id), userId: Number(r.user_id) }, exam.id);
    }
    return looked;
  }
}

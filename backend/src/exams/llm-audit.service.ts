import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { GuardReport, LlmAuditReport, LlmExamItemView } from '@aitrainer/contracts';
import { agreement } from '@aitrainer/domain';
import type { RequestContext } from '../common/auth/principal';
import { GradingService } from '../grading/grading.service';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { ExamAttempt, ExamItemScore, ExamRegistration, ExamSession } from './entities/exam.entity';
import { ResultsService } from './results.service';
import { EXAM_ITEM_ANSWER_VERSION } from './jobs/grade-exam-item.job';

const EXAM_ITEM_SUBJECT = 'exam_item';
/** Agreement is computed on a 0-10 scale of each item's points, like the calibration report's whole points. */
const SCALE = 10;

/**
 * The LLM grades of one certification exam for its instructors: every LLM-graded item with its review reason and guard
 * report (screens run, findings, normalised text), the audit sample, and the audit's agreement with the model.
 */
@Injectable()
export class LlmAuditService {
  constructor(
    @InjectRepository(ExamSession) private readonly sessions: Repository<ExamSession>,
    @InjectRepository(ExamRegistration) private readonly registrations: Repository<ExamRegistration>,
    @InjectRepository(ExamAttempt) private readonly attempts: Repository<ExamAttempt>,
    @InjectRepository(ExamItemScore) private readonly items: Repository<ExamItemScore>,
    private readonly results: ResultsService,
    private readonly grading: GradingService,
    @Optional() @Inject(APP_CONFIG) private readonly config: AppConfig | null = null,
  ) {}

  async report(ctx: RequestContext, examId: number): Promise<LlmAuditReport> {
    await this.results.staffExam(ctx, examId);
    const sessionIds = (await this.sessions.findBy({ examId })).map((s) => s.id);
    const regs = sessionIds.length ? await this.registrations.findBy({ sessionId: In(sessionIds) }) : [];
    const attempts = regs.length ? await this.attempts.findBy({ registrationId: In(regs.map((r) => r.id)), state: 'submitted' }) : [];
    const scores = attempts.length ? await this.items.findBy({ attemptId: In(attempts.map((a) => a.id)) }) : [];
    const regOf = new Map(attempts.map((a) => [a.id, a.registrationId]));
    const itemOf = new Map(scores.map((s) => [`${s.attemptId}:${s.questionId}`, s]));
    const grades = (await this.grading.ofSubjects(EXAM_ITEM_SUBJECT, [...itemOf.keys()])).filter((g) => g.source === 'llm' && g.subjectVersion === EXAM_ITEM_ANSWER_VERSION);
    const views: LlmExamItemView[] = [];
    for (const g of grades) {
      const item = itemOf.get(g.subjectId);
      if (!item) continue;
      const detail = (g.detail ?? {}) as { llmFraction?: number | null; guards?: GuardReport | null };
      const guards = detail.guards ?? null;
      views.push({
        attemptId: item.attemptId,
        questionId: item.questionId,
        registrationId: regOf.get(item.attemptId) ?? 0,
        status: g.status,
        reviewReason: g.reviewReason,
        llmFraction: g.score ?? detail.llmFraction ?? null,
        humanFraction: item.source === 'human' && item.score !== null && item.points > 0 ? item.score / item.points : null,
        auditSampled: guards?.auditSampled === true,
        guards,
      });
    }
    views.sort((a, b) => a.attemptId - b.attemptId || a.questionId - b.questionId);
    const audited = views.filter((v) => v.auditSampled && v.humanFraction !== null && v.llmFraction !== null);
    const llm = audited.map((v) => Math.round(v.llmFraction! * SCALE));
    const human = audited.map((v) => Math.round(v.humanFraction! * SCALE));
    const a = agreement(llm, human, 0, SCALE);
    return {
      examId,
      sampleRate: this.config?.grading.auditSampleRate ?? 0.1,
      llmGraded: views.length,
      sentToReview: views.filter((v) => v.status === 'needs_review').length,
      sampled: views.filter((v) => v.auditSampled).length,
      audited: audited.length,
      agreement: {
        n: a.n,
        qwk: a.qwk,
        exact: a.exact,
        adjacent: a.adjacent,
        meanAbsoluteDifference: audited.length ? audited.reduce((s, v) => s + Math.abs(v.llmFraction! - v.humanFraction!), 0) / audited.length : null,
      },
      items: views,
    };
  }
}

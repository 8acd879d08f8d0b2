import { SerialTransactions } from '../infra/database/serial-transactions';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import type { ExamAnswerValue, GuardReport } from '@aitrainer/contracts';
import { inAuditSample } from '@aitrainer/domain';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { GradingService } from '../grading/grading.service';
import type { Grade, GradeSource } from '../grading/entities/grade.entity';
import { PermanentJobError, type JobContext } from '../infra/queue/job-queue';
import { LlmPermanentError, LlmTransientError } from '../infra/llm/llm.errors';
import { LabellingExamItemGrader } from '../labelling/exam-item-grader';
import { PromptGrader } from '../prompts/prompt-grader';
import { PromptTasksService } from '../prompts/prompt-tasks.service';
import { QuestionBankService } from '../question-bank/question-bank.service';
import type { QuestionVersion } from '../question-bank/entities/question.entity';
import { ExamAnswer, ExamAttempt, ExamItemScore } from './entities/exam.entity';
import { ResultsService } from './results.service';
import { ShortAnswerJudge } from './short-answer-judge';
import { EXAM_ITEM_ANSWER_VERSION } from './jobs/grade-exam-item.job';

export { MACHINE_GRADED_TYPES } from './jobs/grade-exam-item.job';

/** Grades of exam items are stored under this subject type, subject id `<attemptId>:<questionId>`. */
export const EXAM_ITEM_SUBJECT = 'exam_item';
export const examItemSubjectId = (attemptId: number, questionId: number) => `${attemptId}:${questionId}`;


/** What a machine made of one item: a fraction of its points, or a reason a person must decide. */
interface MachineOutcome {
  source: Exclude<GradeSource, 'human'>;
  fraction: number | null;
  reviewReason: string | null;
  detail: unknown;
  cost: { model: string | null; promptHash: string | null; inputTokens: number | null; outputTokens: number | null; costUsd: number | null } | null;
}

/**
 * Grades one practical item of a submitted attempt (the `grade-exam-item` job): labelling items with the labelling
 * context's scorers (exact against the exercise's gold, or the judge for open-ended work), prompt tasks with
 * PromptGrader, short answers with the judge against the question's rubric (left to a person without an LLM). The grade is stored once under (exam_item, `<attemptId>:<questionId>`, v1, source); the item score is
 * written only while the item is still pending (a human grade already there wins), pendingItems is decremented by a
 * conditional update in the same transaction, and the result is recomputed. An item the model sends to review stays
 * pending, its reason on the grade; instructors grade it with the manual route. A retried or duplicated job stores
 * one grade and decrements once.
 */
@Injectable()
export class PracticalItemGrader {
  private readonly logger = new Logger('PracticalItemGrader');
  /** SQLite holds one transaction at a time: this grader's item reports queue (see SerialTransactions). */
  private readonly transactions: SerialTransactions;

  constructor(
    private readonly db: DataSource,
    @InjectRepository(ExamAttempt) private readonly attempts: Repository<ExamAttempt>,
    @InjectRepository(ExamItemScore) private readonly items: Repository<ExamItemScore>,
    @InjectRepository(ExamAnswer) private readonly answers: Repository<ExamAnswer>,
    private readonly bank: QuestionBankService,
    private readonly grading: GradingService,
    private readonly results: ResultsService,
    private readonly labelling: LabellingExamItemGrader,
    private readonly prompts: PromptGrader,
    private readonly promptTasks: PromptTasksService,
    private readonly shortAnswers: ShortAnswerJudge,
    @Optional() @Inject(APP_CONFIG) private readonly config: AppConfig | null = null,
  ) {
    this.transactions = new SerialTransactions(db);
  }

  async grade(attemptId: number, questionId: number, job: JobContext = { jobId: '', attempt: 1, maxAttempts: 1 }): Promise<void> {
    const attempt = await this.attempts.findOneBy({ id: attemptId });
    if (!attempt) throw new PermanentJobError(`attempt ${attemptId} does not exist`);
    if (attempt.state !== 'submitted') throw new PermanentJobError(`attempt ${attemptId} is not submitted`);
    const item = await this.items.findOneBy({ attemptId, questionId });
    if (!item) throw new PermanentJobError(`question ${questionId} is not on attempt ${attemptId}`);
    if (item.source === 'pending') {
      const subjectId = examItemSubjectId(attemptId, questionId);
      let [machine] = await this.grading.bySources(EXAM_ITEM_SUBJECT, subjectId, EXAM_ITEM_ANSWER_VERSION);
      if (!machine) machine = await this.gradeAndStore(attempt, item, subjectId, job);
      if (machine.status !== 'final' || machine.score === null) {
        this.logger.log(`exam item ${subjectId} left for manual grading: ${machine.reviewReason ?? 'no score'}`);
        return;
      }
      await this.report(attempt, item, machine.score, machine.source);
    }
    // Also when the item was already graded: a run that died between the item write and the recompute is finished here.
    await this.results.recompute(attempt.registrationId);
  }

  private async gradeAndStore(attempt: ExamAttempt, item: ExamItemScore, subjectId: string, job: JobContext): Promise<Grade> {
    const version = (await this.bank.versionsById([item.versionId])).get(item.versionId);
    if (!version) throw new PermanentJobError(`question version ${item.versionId} does not exist`);
    const answer = await this.answers.findOneBy({ attemptId: attempt.id, questionId: item.questionId });
    const value = answer ? (JSON.parse(answer.value) as ExamAnswerValue) : null;
    let outcome: MachineOutcome;
    try {
      outcome = await this.machineGrade(version, value);
    } catch (e) {
      if (e instanceof LlmTransientError && job.attempt < job.maxAttempts) throw e; // the queue retries with backoff
      if (e instanceof LlmTransientError) {
        this.logger.warn(`exam item ${subjectId}: the LLM stayed unavailable after ${job.attempt} tries; left for manual grading`);
        outcome = { source: 'llm', fraction: null, reviewReason: 'llm_unavailable', detail: null, cost: null };
      } else if (e instanceof LlmPermanentError) throw new PermanentJobError(`the LLM refused the request (${e.code}): ${e.message}`);
      else throw e;
    }
    const review = outcome.fraction === null;
    // A share of the LLM grades that count is sampled for a human audit (the same choice in every process and retry).
    const guards = (outcome.detail as { guards?: GuardReport | null } | null)?.guards;
    if (!review && outcome.source === 'llm' && guards && inAuditSample(subjectId, this.config?.grading.auditSampleRate ?? 0.1)) {
      guards.auditSampled = true;
      guards.screens.push({ name: 'audit_sample', ran: true, findings: [], note: 'sampled for the human audit; the grade counts meanwhile' });
    }
    const { grade } = await this.grading.record({
      subjectType: EXAM_ITEM_SUBJECT,
      subjectId,
      subjectVersion: EXAM_ITEM_ANSWER_VERSION,
      source: outcome.source,
      status: review ? 'needs_review' : 'final',
      score: outcome.fraction,
      detail: outcome.detail,
      reviewReason: review ? (outcome.reviewReason ?? 'no_score').slice(0, 64) : null,
      model: outcome.cost?.model ?? null,
      promptHash: outcome.cost?.promptHash ?? null,
      inputTokens: outcome.cost?.inputTokens ?? null,
      outputTokens: outcome.cost?.outputTokens ?? null,
      costUsd: outcome.cost?.costUsd ?? null,
      gradedBy: null,
    });
    return grade;
  }

  private async machineGrade(version: QuestionVersion, value: ExamAnswerValue | null): Promise<MachineOutcome> {
    if (version.type === 'labelling') {
      const exerciseId = version.content.labellingExerciseId;
      if (!Number.isInteger(exerciseId)) return { source: 'auto', fraction: null, reviewReason: 'exercise_missing', detail: null, cost: null };
      const g = await this.labelling.grade(exerciseId as number, value);
      return { source: g.source, fraction: g.fraction, reviewReason: g.reviewReason, detail: g.detail, cost: g.cost };
    }
    if (version.type === 'prompt_task') {
      const prompt = value && typeof value === 'object' && !Array.isArray(value) ? (value as { prompt?: unknown }).prompt : undefined;
      if (typeof prompt !== 'string' || !prompt.trim()) return { source: 'auto', fraction: 0, reviewReason: null, detail: { empty: true }, cost: null };
      let task;
      try {
        task = await this.promptTasks.publishedVersion(version.content.promptTaskId as number);
      } catch {
        return { source: 'llm', fraction: null, reviewReason: 'task_missing', detail: null, cost: null };
      }
      if (!this.prompts.configured) return { source: 'llm', fraction: null, reviewReason: 'no_llm_configured', detail: null, cost: null };
      const m = await this.prompts.grade(task.definition, prompt, 'exam');
      return {
        source: 'llm',
        fraction: m.reviewReason === null && m.score100 !== null ? Math.min(1, Math.max(0, m.score100 / 100)) : null,
        reviewReason: m.reviewReason,
        detail: { taskId: task.task.id, taskVersion: task.version, score100: m.score100, llmFraction: m.score100 === null ? null : Math.min(1, Math.max(0, m.score100 / 100)), executionFraction: m.executionFraction, rubricFraction: m.rubricFraction, cases: m.cases, judgeRuns: m.judgeRuns, criteria: m.criteria, injectionFindings: m.injectionFindings, guards: m.guards },
        cost: { model: m.model, promptHash: m.promptHash, inputTokens: m.inputTokens, outputTokens: m.outputTokens, costUsd: m.costUsd },
      };
    }
    if (version.type === 'short_answer') {
      const rubric = version.content.rubric?.trim();
      if (!rubric) return { source: 'llm', fraction: null, reviewReason: 'rubric_missing', detail: null, cost: null };
      if (!this.shortAnswers.configured) return { source: 'llm', fraction: null, reviewReason: 'no_llm_configured', detail: null, cost: null };
      const o = await this.shortAnswers.grade(version.content.stem, rubric, typeof value === 'string' ? value : '');
      return { source: 'llm', fraction: o.fraction, reviewReason: o.reviewReason, detail: o.detail, cost: o.cost };
    }
    throw new PermanentJobError(`questions of type ${version.type} are not graded by a machine`);
  }

  /** Writes the item score only while the item is pending, and decrements pendingItems once, in one transaction. */
  private async report(attempt: ExamAttempt, item: ExamItemScore, fraction: number, source: GradeSource): Promise<void> {
    // A human grade of an exam item is written by the manual route directly; a stored one would count as human here too.
    const score = Math.round(item.points * fraction * 1000) / 1000;
    await this.transactions.run(async (tx) => {
      const moved = await tx.getRepository(ExamItemScore).update({ id: item.id, source: 'pending' }, { score, source });
      if (!moved.affected) return; // graded meanwhile (a human grade wins, or a duplicate job got here first)
      await tx
        .createQueryBuilder()
        .update(ExamAttempt)
        .set({ pendingItems: () => 'pending_items - 1', score: () => 'COALESCE(score, 0) + :delta' })
        .setParameter('delta', score)
        .where('id = :id AND pending_items > 0', { id: attempt.id })
        .execute();
    });
  }
}

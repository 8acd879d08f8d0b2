import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { isOpenTaskType, type AnswerValue, type CalibrationCriterionView, type CalibrationReportView, type OpenTaskType } from '@aitrainer/contracts';
import { agreement } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import { UploadParser } from '../common/uploads/upload-parser';
import type { RequestContext } from '../common/auth/principal';
import { JudgeUsage } from '../grading/judge/llm-judge';
import { JOB_QUEUE, PermanentJobError, type JobContext, type JobQueue } from '../infra/queue/job-queue';
import { JOBS } from '../infra/queue/queue.constants';
import { LlmPermanentError, LlmTransientError } from '../infra/llm/llm.errors';
import { LabellingCalibration, type CalibrationRow } from './entities/labelling-calibration.entity';
import { LabellingExercise } from './entities/labelling-exercise.entity';
import { LabellingItem } from './entities/labelling-item.entity';
import { ownsExercise } from './labelling-access';
import { OpenTaskGrader } from './open-task-grader';
import { problemAt } from '@aitrainer/scoring';
import { answerProblems, canonicalValue, toFieldProblem, type Problem } from './task-definitions';
import type { UploadedFile } from './exercises.service';
import type { CalibrateLabellingJudgeJob } from './jobs/calibrate-labelling-judge.job';

export const MAX_CALIBRATION_ANSWERS = 500;
export const calibrationJobId = (id: number) => `labelling-calibration-${id}`;

function invalid(problems: Problem[]): DomainError {
  const fields = problems.slice(0, 50).map((p) => toFieldProblem(p));
  return new DomainError('VALIDATION_FAILED', fields.map((f) => `${f.field} ${f.problem}`).join('; '), fields);
}

/**
 * Calibration of the judge on one open-ended exercise: the instructor imports answers double-marked by humans
 * (CSV), a job grades each with the same OpenTaskGrader as practice, and the report compares the model with the
 * humans per criterion (quadratic weighted kappa, exact and adjacent agreement), beside the humans' own agreement.
 */
@Injectable()
export class LabellingCalibrationService {
  private readonly logger = new Logger('LabellingCalibration');

  constructor(
    @InjectRepository(LabellingCalibration) private readonly calibrations: Repository<LabellingCalibration>,
    @InjectRepository(LabellingExercise) private readonly exercises: Repository<LabellingExercise>,
    @InjectRepository(LabellingItem) private readonly items: Repository<LabellingItem>,
    private readonly grader: OpenTaskGrader,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly uploads: UploadParser,
  ) {}

  private async owned(ctx: RequestContext, id: number): Promise<LabellingExercise> {
    const exercise = await this.exercises.findOneBy({ id });
    if (!exercise || !ownsExercise(ctx.principal, exercise)) throw DomainError.notFound('Exercise');
    if (!isOpenTaskType(exercise.taskType) || !exercise.scoring.openGrading) throw DomainError.validation('taskType', 'CALIBRATION_OPEN_ONLY');
    return exercise;
  }

  /** CSV columns: item_id, answer (JSON of the answer, or plain text for text types), <criterion>_1, <criterion>_2 for every criterion. */
  async start(ctx: RequestContext, exerciseId: number, file: UploadedFile | undefined): Promise<CalibrationReportView> {
    const exercise = await this.owned(ctx, exerciseId);
    if (!this.grader.configured) throw DomainError.conflict('llm', 'LLM_NOT_CONFIGURED');
    if (!file) throw DomainError.validation('file', 'FILE_REQUIRED_OF', { accepted: 'CSV' });
    const rubric = exercise.scoring.openGrading!.rubric;
    const records = await this.uploads.parse('csv-records', { bytes: file.buffer });
    if (records.length === 0) throw DomainError.validation('file', 'NO_ANSWERS');
    if (records.length > MAX_CALIBRATION_ANSWERS) throw DomainError.validation('file', 'TOO_MANY_ROWS', { count: records.length, max: MAX_CALIBRATION_ANSWERS });
    const header = Object.keys(records[0]);
    const needed = ['item_id', 'answer', ...rubric.flatMap((c) => [`${c.id}_1`, `${c.id}_2`])];
    const missing = needed.filter((h) => !header.includes(h));
    if (missing.length) throw invalid(missing.map((h) => (problemAt('file', 'CSV_COLUMN_MISSING', { column: h }))));

    const items = new Map((await this.items.findBy({ exerciseId })).map((i) => [i.externalId, i]));
    const problems: Problem[] = [];
    const rows: CalibrationRow[] = [];
    records.forEach((r, i) => {
      const where = `line ${i + 2}`;
      const item = items.get(r['item_id']?.trim());
      if (!item) return void problems.push(problemAt(`${where}: item_id`, 'ITEM_NOT_IN_EXERCISE', { item: String(r['item_id']) }));
      if (!item.gold) return void problems.push(problemAt(`${where}: item_id`, 'ITEM_NO_GOLD'));
      let value: unknown = r['answer'];
      if (/^\s*\{/.test(r['answer'] ?? '')) {
        try {
          value = JSON.parse(r['answer']);
        } catch {
          return void problems.push(problemAt(`${where}: answer`, 'NOT_JSON'));
        }
      } else value = { text: r['answer'] ?? '' };
      const ap = answerProblems(exercise.taskType, exercise.labels, item.externalId, item.data, value, `${where}: answer`);
      if (ap.length) return void problems.push(...ap);
      const human: CalibrationRow['human'] = {};
      for (const c of rubric) {
        const pair = [r[`${c.id}_1`], r[`${c.id}_2`]].map((x) => Number(String(x ?? '').trim()));
        pair.forEach((n, k) => {
          if (!Number.isFinite(n) || n < 0 || n > c.maxScore || String(r[`${c.id}_${k + 1}`] ?? '').trim() === '') {
            problems.push(problemAt(`${where}: ${c.id}_${k + 1}`, 'BETWEEN', { min: 0, max: c.maxScore }));
          }
        });
        human[c.id] = [pair[0], pair[1]];
      }
      rows.push({ itemId: item.externalId, answer: canonicalValue(exercise.taskType, value), human });
    });
    if (problems.length) throw invalid(problems);
    const saved = await this.calibrations.save(
      this.calibrations.create({ exerciseId, state: 'running', createdBy: ctx.principal.userId, rows, report: null, model: null, failureReason: null, createdAt: new Date(), finishedAt: null }),
    );
    const payload: CalibrateLabellingJudgeJob = { calibrationId: saved.id };
    await this.queue.add(JOBS.calibrateLabellingJudge, payload, { jobId: calibrationJobId(saved.id) });
    return this.view(saved);
  }

  async latest(ctx: RequestContext, exerciseId: number): Promise<CalibrationReportView> {
    await this.owned(ctx, exerciseId);
    const row = await this.calibrations.findOne({ where: { exerciseId }, order: { id: 'DESC' } });
    if (!row) throw DomainError.notFound('Calibration');
    return this.view(row);
  }

  /** The job: grades every answer with the judge, then computes the report. Idempotent (a finished run is left alone). */
  async run(calibrationId: number, job: JobContext): Promise<void> {
    const calibration = await this.calibrations.findOneBy({ id: calibrationId });
    if (!calibration) throw new PermanentJobError(`calibration ${calibrationId} does not exist`);
    if (calibration.state !== 'running') return;
    const exercise = await this.exercises.findOneByOrFail({ id: calibration.exerciseId });
    const grading = exercise.scoring.openGrading;
    if (!grading || !this.grader.configured) return this.fail(calibration, 'no rubric or no language model');
    const items = new Map((await this.items.findBy({ exerciseId: exercise.id })).map((i) => [i.externalId, i]));
    const usage = new JudgeUsage();
    try {
      for (const row of calibration.rows) {
        if (row.model !== undefined) continue; // graded on an earlier try
        const item = items.get(row.itemId);
        if (!item?.gold) {
          row.model = null;
          continue;
        }
        const outcome = await this.grader.gradeItem(
          {
            taskType: exercise.taskType as OpenTaskType,
            title: exercise.title,
            description: exercise.description,
            labels: exercise.labels.labels ?? [],
            grading,
            item: { id: item.externalId, data: item.data, gold: item.gold as AnswerValue },
          },
          row.answer,
          usage,
        );
        // An empty answer is 0 on every criterion without a model call; an unusable judgement is left out.
        row.model = outcome.judgeRuns.length === 2 ? Object.fromEntries(outcome.criteria.map((c) => [c.id, c.score])) : outcome.judgedScore === 0 && outcome.judgeRuns.length === 0 ? Object.fromEntries(grading.rubric.map((c) => [c.id, 0])) : null;
        await this.calibrations.update({ id: calibrationId }, { rows: calibration.rows as never });
      }
    } catch (e) {
      if (e instanceof LlmTransientError && job.attempt < job.maxAttempts) throw e;
      if (e instanceof LlmTransientError || e instanceof LlmPermanentError) return this.fail(calibration, `the language model could not grade the answers: ${(e as Error).message}`);
      throw e;
    }
    const usable = calibration.rows.filter((r) => r.model);
    const report: CalibrationCriterionView[] = grading.rubric.map((c) => {
      const h1 = calibration.rows.map((r) => r.human[c.id][0]);
      const h2 = calibration.rows.map((r) => r.human[c.id][1]);
      const model = usable.map((r) => r.model![c.id] ?? 0);
      const consensus = usable.map((r) => (r.human[c.id][0] + r.human[c.id][1]) / 2);
      return { criterionId: c.id, name: c.name, maxScore: c.maxScore, modelVsHumans: agreement(model, consensus, 0, c.maxScore), humanVsHuman: agreement(h1, h2, 0, c.maxScore) };
    });
    await this.calibrations.update({ id: calibrationId }, { state: 'done', report: report as never, model: usage.model, finishedAt: new Date() });
  }

  private async fail(c: LabellingCalibration, reason: string): Promise<void> {
    this.logger.warn(`calibration ${c.id} failed: ${reason}`);
    await this.calibrations.update({ id: c.id }, { state: 'failed', failureReason: reason.slice(0, 500), finishedAt: new Date() });
  }

  private view(c: LabellingCalibration): CalibrationReportView {
    const graded = c.rows.filter((r) => r.model).length;
    return {
      id: c.id,
      exerciseId: c.exerciseId,
      state: c.state,
      answers: c.rows.length,
      graded,
      unusable: c.state === 'done' ? c.rows.length - graded : 0,
      criteria: c.report ?? [],
      model: c.model,
      createdAt: c.createdAt.toISOString(),
      finishedAt: c.finishedAt?.toISOString() ?? null,
      failureReason: c.failureReason,
    };
  }
}

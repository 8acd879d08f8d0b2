import { Injectable } from '@nestjs/common';
import type { JobContext } from '../../infra/queue/job-queue';
import type { JobProcessor } from '../../infra/queue/worker.module';
import { JOBS } from '../../infra/queue/queue.constants';
import { PracticalItemGrader } from '../practical-item-grader';
import type { GradeExamItemJob } from './grade-exam-item.job';

/** Thin handler: grades one practical item of a submitted attempt and reports it on the attempt's result. */
@Injectable()
export class GradeExamItemProcessor implements JobProcessor<GradeExamItemJob> {
  readonly jobName = JOBS.gradeExamItem;

  constructor(private readonly grader: PracticalItemGrader) {}

  handle(payload: GradeExamItemJob, ctx: JobContext): Promise<void> {
    return this.grader.grade(payload.attemptId, payload.questionId, ctx);
  }
}

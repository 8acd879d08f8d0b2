import { Injectable } from '@nestjs/common';
import { JOBS } from '../../infra/queue/queue.constants';
import type { JobContext } from '../../infra/queue/job-queue';
import type { JobProcessor } from '../../infra/queue/worker.module';
import { PromptGradingService } from '../prompt-grading.service';
import type { GradePromptAnswerJob } from '../prompt-practice.service';

@Injectable()
export class GradePromptAnswerProcessor implements JobProcessor<GradePromptAnswerJob> {
  readonly jobName = JOBS.gradePromptAnswer;

  constructor(private readonly grading: PromptGradingService) {}

  handle(payload: GradePromptAnswerJob, ctx: JobContext): Promise<void> {
    return this.grading.gradeAnswer(payload.answerId, ctx);
  }
}

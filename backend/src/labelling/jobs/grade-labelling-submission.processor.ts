import { Injectable } from '@nestjs/common';
import type { JobProcessor } from '../../infra/queue/worker.module';
import type { JobContext } from '../../infra/queue/job-queue';
import { JOBS } from '../../infra/queue/queue.constants';
import { LabellingGrader } from '../labelling-grader.service';
import type { GradeLabellingSubmissionJob } from './grade-labelling-submission.job';

/** Thin handler: the grader does the work (and turns unscorable input into a permanent failure). */
@Injectable()
export class GradeLabellingSubmissionProcessor implements JobProcessor<GradeLabellingSubmissionJob> {
  readonly jobName = JOBS.gradeLabellingSubmission;

  constructor(private readonly grader: LabellingGrader) {}

  handle(payload: GradeLabellingSubmissionJob, ctx: JobContext): Promise<void> {
    return this.grader.grade(payload.submissionId, payload.version, ctx);
  }
}

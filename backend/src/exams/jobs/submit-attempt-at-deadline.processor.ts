import { Injectable } from '@nestjs/common';
import type { JobProcessor } from '../../infra/queue/worker.module';
import { JOBS } from '../../infra/queue/queue.constants';
import { AttemptsService } from '../attempts.service';
import type { SubmitAttemptAtDeadlineJob } from './submit-attempt-at-deadline.job';

/** Thin handler: submits an abandoned attempt at its deadline, whether or not a browser is still there. */
@Injectable()
export class SubmitAttemptAtDeadlineProcessor implements JobProcessor<SubmitAttemptAtDeadlineJob> {
  readonly jobName = JOBS.submitExamAttemptAtDeadline;

  constructor(private readonly attempts: AttemptsService) {}

  handle(payload: SubmitAttemptAtDeadlineJob): Promise<void> {
    return this.attempts.submitAtDeadline(payload.attemptId);
  }
}

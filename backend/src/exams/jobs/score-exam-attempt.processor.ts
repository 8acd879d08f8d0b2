import { Injectable } from '@nestjs/common';
import type { JobProcessor } from '../../infra/queue/worker.module';
import { JOBS } from '../../infra/queue/queue.constants';
import { AttemptsService } from '../attempts.service';
import type { ScoreExamAttemptJob } from './score-exam-attempt.job';

/** Thin handler: scores a submitted attempt (once, whatever the number of runs) and recomputes the result. */
@Injectable()
export class ScoreExamAttemptProcessor implements JobProcessor<ScoreExamAttemptJob> {
  readonly jobName = JOBS.scoreExamAttempt;

  constructor(private readonly attempts: AttemptsService) {}

  handle(payload: ScoreExamAttemptJob): Promise<void> {
    return this.attempts.scoreSubmitted(payload.attemptId);
  }
}

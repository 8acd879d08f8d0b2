import { Injectable } from '@nestjs/common';
import type { JobProcessor } from '../../infra/queue/worker.module';
import type { JobContext } from '../../infra/queue/job-queue';
import { JOBS } from '../../infra/queue/queue.constants';
import { MistakeExplainer } from '../mistake-explainer.service';
import type { ExplainLabellingMistakesJob } from './explain-labelling-mistakes.job';

/** Thin handler: the explainer does the work and never touches the score. */
@Injectable()
export class ExplainLabellingMistakesProcessor implements JobProcessor<ExplainLabellingMistakesJob> {
  readonly jobName = JOBS.explainLabellingMistakes;

  constructor(private readonly explainer: MistakeExplainer) {}

  handle(payload: ExplainLabellingMistakesJob, ctx: JobContext): Promise<void> {
    return this.explainer.explain(payload.submissionId, payload.version, ctx);
  }
}

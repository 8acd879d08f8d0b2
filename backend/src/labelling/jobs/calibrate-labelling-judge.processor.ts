import { Injectable } from '@nestjs/common';
import type { JobProcessor } from '../../infra/queue/worker.module';
import type { JobContext } from '../../infra/queue/job-queue';
import { JOBS } from '../../infra/queue/queue.constants';
import { LabellingCalibrationService } from '../calibration.service';
import type { CalibrateLabellingJudgeJob } from './calibrate-labelling-judge.job';

/** Thin handler: the calibration service grades the double-marked answers and writes the report. */
@Injectable()
export class CalibrateLabellingJudgeProcessor implements JobProcessor<CalibrateLabellingJudgeJob> {
  readonly jobName = JOBS.calibrateLabellingJudge;

  constructor(private readonly calibration: LabellingCalibrationService) {}

  handle(payload: CalibrateLabellingJudgeJob, ctx: JobContext): Promise<void> {
    return this.calibration.run(payload.calibrationId, ctx);
  }
}

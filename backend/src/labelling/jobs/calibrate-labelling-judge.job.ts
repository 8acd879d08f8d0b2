/** Payload of the `calibrate-labelling-judge` job. The job id is `labelling-calibration-<id>`. */
export interface CalibrateLabellingJudgeJob {
  calibrationId: number;
}

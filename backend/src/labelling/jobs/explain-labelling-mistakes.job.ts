/** Payload of the `explain-labelling-mistakes` job. The job id is `labelling-explanation-<id>-v<version>`. */
export interface ExplainLabellingMistakesJob {
  submissionId: number;
  version: number;
}

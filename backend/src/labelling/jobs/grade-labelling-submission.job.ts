/** Payload of the `grade-labelling-submission` job. The job id is `labelling-submission-<id>-v<version>`. */
export interface GradeLabellingSubmissionJob {
  submissionId: number;
  version: number;
}

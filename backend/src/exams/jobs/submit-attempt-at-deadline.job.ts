/** Payload of `submit-exam-attempt-at-deadline`, delayed until the deadline. Job id `exam-attempt-<id>-deadline`. */
export interface SubmitAttemptAtDeadlineJob {
  attemptId: number;
}

export const deadlineJobId = (attemptId: number) => `exam-attempt-${attemptId}-deadline`;

/** Payload of `score-exam-attempt`: a submitted attempt's objective items scored. Job id `exam-attempt-<id>-score`. */
export interface ScoreExamAttemptJob {
  attemptId: number;
}

export const scoreJobId = (attemptId: number) => `exam-attempt-${attemptId}-score`;

/** Queue names, job names and retry options: constants shared by producers and the worker. */
export const QUEUES = {
  grading: 'grading',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  gradePromptAnswer: 'grade-prompt-answer',
  gradeLabellingSubmission: 'grade-labelling-submission',
  explainLabellingMistakes: 'explain-labelling-mistakes',
  calibrateLabellingJudge: 'calibrate-labelling-judge',
  submitExamAttemptAtDeadline: 'submit-exam-attempt-at-deadline',
  scoreExamAttempt: 'score-exam-attempt',
  gradeExamItem: 'grade-exam-item',
  issueResultCertificates: 'issue-result-certificates',
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  /** First backoff in ms; doubles on each retry (exponential). */
  backoffMs: number;
}

export const RETRY: Record<JobName, RetryPolicy> = {
  'grade-prompt-answer': { attempts: 5, backoffMs: 2000 },
  'grade-labelling-submission': { attempts: 5, backoffMs: 1000 },
  'explain-labelling-mistakes': { attempts: 3, backoffMs: 2000 },
  'calibrate-labelling-judge': { attempts: 3, backoffMs: 5000 },
  // Many tries: an abandoned attempt must be submitted even through a database outage.
  'submit-exam-attempt-at-deadline': { attempts: 10, backoffMs: 1000 },
  // A submitted attempt's objective items; the deadline job scores it too when every try failed.
  'score-exam-attempt': { attempts: 10, backoffMs: 1000 },
  'grade-exam-item': { attempts: 5, backoffMs: 2000 },
  'issue-result-certificates': { attempts: 5, backoffMs: 2000 },
};

/** The retry policy of a job kind, with the first backoff overridden when JOB_BACKOFF_MS is set. */
export function retryPolicy(name: JobName, backoffOverrideMs: number | null = null): RetryPolicy {
  return backoffOverrideMs === null ? RETRY[name] : { ...RETRY[name], backoffMs: backoffOverrideMs };
}

export const JOB_QUEUE_OF: Record<JobName, QueueName> = {
  'grade-prompt-answer': 'grading',
  'grade-labelling-submission': 'grading',
  'explain-labelling-mistakes': 'grading',
  'calibrate-labelling-judge': 'grading',
  'submit-exam-attempt-at-deadline': 'grading',
  'score-exam-attempt': 'grading',
  'grade-exam-item': 'grading',
  'issue-result-certificates': 'grading',
};

/** How many jobs of a kind one worker process runs at once. */
export const CONCURRENCY: Record<JobName, number> = {
  'grade-prompt-answer': 4,
  'grade-labelling-submission': 2,
  'explain-labelling-mistakes': 2,
  'calibrate-labelling-judge': 1,
  'submit-exam-attempt-at-deadline': 8,
  'score-exam-attempt': 8,
  'grade-exam-item': 4,
  'issue-result-certificates': 2,
};

/** The grading queue as platform admins see it (GET /api/v1/admin/queues, /failed). */
export interface QueueCounts {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface QueuesOverview {
  driver: 'bull' | 'in-process';
  queues: QueueCounts[];
}

export interface FailedJob {
  queue: string;
  jobId: string;
  name: string;
  reason: string;
  attemptsMade: number;
  failedAt: string | null;
  payload: unknown;
}

export interface DashboardSession {
  url: string;
}

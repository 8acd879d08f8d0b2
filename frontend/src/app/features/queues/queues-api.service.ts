import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

/** The shapes of backend/src/grading/queue-admin.controller.ts (not in the contracts library). */
export interface QueueCounts {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface QueuesOverview {
  driver: 'bull' | 'in-process' | string;
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

@Injectable({ providedIn: 'root' })
export class QueuesApi {
  private readonly http = inject(HttpClient);

  overview(): Observable<QueuesOverview> {
    return this.http.get<QueuesOverview>(`${API_V1}/admin/queues`);
  }

  failed(limit = 100): Observable<FailedJob[]> {
    return this.http.get<FailedJob[]>(`${API_V1}/admin/queues/failed`, { params: new HttpParams().set('limit', limit) });
  }

  retry(queue: string, jobId: string): Observable<{ retried: true }> {
    return this.http.post<{ retried: true }>(`${API_V1}/admin/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(jobId)}/retry`, {});
  }
}

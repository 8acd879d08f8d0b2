import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

import type { DashboardSession, FailedJob, QueuesOverview } from '@aitrainer/contracts';

export type { FailedJob, QueueCounts, QueuesOverview } from '@aitrainer/contracts';

@Injectable({ providedIn: 'root' })
export class QueuesApi {
  private readonly http = inject(HttpClient);

  overview(): Observable<QueuesOverview> {
    return this.http.get<QueuesOverview>(`${API_V1}/admin/queues`);
  }

  failed(limit = 100): Observable<FailedJob[]> {
    return this.http.get<FailedJob[]>(`${API_V1}/admin/queues/failed`, { params: new HttpParams().set('limit', limit) });
  }

  /** Sets the HttpOnly cookie that opens Bull's dashboard (Redis only). */
  dashboardSession(): Observable<DashboardSession> {
    return this.http.post<DashboardSession>(`${API_V1}/admin/queues/dashboard-session`, {});
  }

  retry(queue: string, jobId: string): Observable<{ retried: true }> {
    return this.http.post<{ retried: true }>(`${API_V1}/admin/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(jobId)}/retry`, {});
  }
}

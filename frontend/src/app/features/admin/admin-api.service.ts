import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AuditEventView, HealthResponse, Page } from '@aitrainer/contracts';
import { type Observable, catchError, of, throwError } from 'rxjs';
import { API_V1, HEALTH_URL } from '../../core/http/api-url';

@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  /** A degraded system may answer 503 with the same body: that is a result to show, not a failure. */
  health(): Observable<HealthResponse> {
    return this.http.get<HealthResponse>(HEALTH_URL).pipe(
      catchError((error: unknown) =>
        error instanceof HttpErrorResponse && isHealthResponse(error.error) ? of(error.error) : throwError(() => error),
      ),
    );
  }

  auditEvents(page = 1): Observable<Page<AuditEventView>> {
    return this.http.get<Page<AuditEventView>>(`${API_V1}/audit-events`, { params: new HttpParams().set('page', page) });
  }
}

function isHealthResponse(value: unknown): value is HealthResponse {
  return typeof value === 'object' && value !== null && 'status' in value && 'database' in value;
}

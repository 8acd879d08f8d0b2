import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CohortView, CreateCohortRequest } from '@aitrainer/contracts';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

@Injectable({ providedIn: 'root' })
export class CohortsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<CohortView[]> {
    return this.http.get<CohortView[]>(`${API_V1}/cohorts`);
  }

  create(request: CreateCohortRequest): Observable<CohortView> {
    return this.http.post<CohortView>(`${API_V1}/cohorts`, request);
  }
}

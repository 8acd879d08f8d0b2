import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ImportQuestionsRequest, ImportQuestionsResponse, QuestionView } from '@aitrainer/contracts';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

/** /api/v1/question-bank */
@Injectable({ providedIn: 'root' })
export class QuestionBankApi {
  private readonly http = inject(HttpClient);

  list(filter: Record<string, string>): Observable<QuestionView[]> {
    let params = new HttpParams();
    for (const [k, v] of Object.entries(filter)) if (v) params = params.set(k, v);
    return this.http.get<QuestionView[]>(`${API_V1}/question-bank/questions`, { params });
  }
  exportCsv(filter: Record<string, string>): Observable<string> {
    let params = new HttpParams();
    for (const [k, v] of Object.entries(filter)) if (v) params = params.set(k, v);
    return this.http.get(`${API_V1}/question-bank/export.csv`, { params, responseType: 'text' });
  }
  import(request: ImportQuestionsRequest): Observable<ImportQuestionsResponse> {
    return this.http.post<ImportQuestionsResponse>(`${API_V1}/question-bank/imports`, request);
  }
}

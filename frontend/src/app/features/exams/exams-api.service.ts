import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AttemptView, ExamAnswerValue, ExamPart, ExamResultView, ExamReviewView, MyRegistrationView, SaveExamAnswerResponse } from '@aitrainer/contracts';
import { map, of, type Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

/** /api/v1 exam registrations, attempts and results (the candidate's side). */
@Injectable({ providedIn: 'root' })
export class ExamsApi {
  private readonly http = inject(HttpClient);

  myRegistrations(): Observable<MyRegistrationView[]> {
    return this.http.get<MyRegistrationView[]>(`${API_V1}/exam-registrations/mine`);
  }
  start(registrationId: number, part: ExamPart): Observable<AttemptView> {
    return this.http.post<AttemptView>(`${API_V1}/exam-registrations/${registrationId}/attempts`, { part });
  }
  attempt(id: number): Observable<AttemptView> {
    return this.http.get<AttemptView>(`${API_V1}/attempts/${id}`);
  }
  save(id: number, questionId: number, seq: number, value: ExamAnswerValue): Observable<SaveExamAnswerResponse> {
    return this.http.put<SaveExamAnswerResponse>(`${API_V1}/attempts/${id}/answers/${questionId}`, { seq, value });
  }
  submit(id: number): Observable<AttemptView> {
    return this.http.post<AttemptView>(`${API_V1}/attempts/${id}/submit`, {});
  }
  /** A practical item's media (served for the open attempt; needs the access token): an object URL, or an absolute URL as is. */
  media(url: string): Observable<string> {
    if (/^(https?:)?\/\//.test(url)) return of(url);
    return this.http.get(url, { responseType: 'blob' }).pipe(map((blob) => URL.createObjectURL(blob)));
  }
  /** The candidate's answers with the feedback on them, once the result is published (404 before). */
  review(registrationId: number): Observable<ExamReviewView> {
    return this.http.get<ExamReviewView>(`${API_V1}/exam-registrations/${registrationId}/review`);
  }
  result(registrationId: number): Observable<ExamResultView> {
    return this.http.get<ExamResultView>(`${API_V1}/exam-registrations/${registrationId}/result`);
  }
}

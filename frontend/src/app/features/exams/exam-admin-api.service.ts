import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { BlueprintPreviewRequest, BlueprintPreviewView, BlueprintCheckView, CreateExamRequest, CreateSessionRequest, ExamResultView, ExamSessionView, ExamView, ItemAnalysisReport, RegistrationView } from '@aitrainer/contracts';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

export interface ExamResultsView {
  results: ExamResultView[];
  distribution: Record<string, { count: number; mean: number; median: number; sd: number; bands: number[] }>;
}

/** /api/v1 exams, sessions and results (instructors and org admins). */
@Injectable({ providedIn: 'root' })
export class ExamAdminApi {
  private readonly http = inject(HttpClient);

  exams(): Observable<ExamView[]> {
    return this.http.get<ExamView[]>(`${API_V1}/exams`);
  }
  create(request: CreateExamRequest): Observable<ExamView> {
    return this.http.post<ExamView>(`${API_V1}/exams`, request);
  }
  update(id: number, request: CreateExamRequest): Observable<ExamView> {
    return this.http.put<ExamView>(`${API_V1}/exams/${id}`, request);
  }
  remove(id: number): Observable<void> {
    return this.http.delete<void>(`${API_V1}/exams/${id}`);
  }
  preview(request: BlueprintPreviewRequest): Observable<BlueprintPreviewView> {
    return this.http.post<BlueprintPreviewView>(`${API_V1}/exams/blueprint-preview`, request);
  }
  check(id: number): Observable<BlueprintCheckView> {
    return this.http.get<BlueprintCheckView>(`${API_V1}/exams/${id}/blueprint-check`);
  }
  publish(id: number): Observable<ExamView> {
    return this.http.post<ExamView>(`${API_V1}/exams/${id}/publish`, {});
  }
  results(id: number): Observable<ExamResultsView> {
    return this.http.get<ExamResultsView>(`${API_V1}/exams/${id}/results`);
  }
  itemAnalysis(id: number): Observable<ItemAnalysisReport> {
    return this.http.get<ItemAnalysisReport>(`${API_V1}/exams/${id}/item-analysis`);
  }
  sessions(): Observable<ExamSessionView[]> {
    return this.http.get<ExamSessionView[]>(`${API_V1}/exam-sessions`);
  }
  createSession(request: CreateSessionRequest): Observable<ExamSessionView> {
    return this.http.post<ExamSessionView>(`${API_V1}/exam-sessions`, request);
  }
  /** The candidate by account id or by username. */
  register(sessionId: number, candidate: { userId: number } | { username: string }, extraMinutes: number): Observable<RegistrationView> {
    return this.http.post<RegistrationView>(`${API_V1}/exam-sessions/${sessionId}/registrations`, { ...candidate, extraMinutes });
  }
  publishResults(sessionId: number): Observable<{ published: number; stillIncomplete: number }> {
    return this.http.post<{ published: number; stillIncomplete: number }>(`${API_V1}/exam-sessions/${sessionId}/results/publish`, {});
  }
}

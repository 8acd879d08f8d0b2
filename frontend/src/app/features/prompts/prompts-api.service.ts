import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  PlaygroundRequest,
  PlaygroundResponse,
  PromptAnswerView,
  PromptTaskAudience,
  PromptTaskDefinition,
  PromptTaskStudentView,
  PromptTaskSummary,
  PromptTaskView,
  ReviewDetail,
  ReviewItemSummary,
  SubmitReviewRequest,
} from '@aitrainer/contracts';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

/** Prompt tasks: authoring (instructors), practice (students) and human review. */
@Injectable({ providedIn: 'root' })
export class PromptsApi {
  private readonly http = inject(HttpClient);

  // authoring
  list(): Observable<PromptTaskSummary[]> {
    return this.http.get<PromptTaskSummary[]>(`${API_V1}/prompt-tasks`);
  }
  get(id: number): Observable<PromptTaskView> {
    return this.http.get<PromptTaskView>(`${API_V1}/prompt-tasks/${id}`);
  }
  create(definition: PromptTaskDefinition, audience?: PromptTaskAudience): Observable<PromptTaskView> {
    return this.http.post<PromptTaskView>(`${API_V1}/prompt-tasks`, { definition, ...(audience ? { audience } : {}) });
  }
  update(id: number, definition: PromptTaskDefinition, audience?: PromptTaskAudience): Observable<PromptTaskView> {
    return this.http.put<PromptTaskView>(`${API_V1}/prompt-tasks/${id}`, { definition, ...(audience ? { audience } : {}) });
  }
  publish(id: number): Observable<PromptTaskSummary> {
    return this.http.post<PromptTaskSummary>(`${API_V1}/prompt-tasks/${id}/publish`, {});
  }

  // practice
  published(): Observable<PromptTaskSummary[]> {
    return this.http.get<PromptTaskSummary[]>(`${API_V1}/practice/prompt-tasks`);
  }
  studentView(id: number): Observable<PromptTaskStudentView> {
    return this.http.get<PromptTaskStudentView>(`${API_V1}/practice/prompt-tasks/${id}`);
  }
  playground(id: number, body: PlaygroundRequest): Observable<PlaygroundResponse> {
    return this.http.post<PlaygroundResponse>(`${API_V1}/practice/prompt-tasks/${id}/playground`, body);
  }
  submit(id: number, prompt: string): Observable<PromptAnswerView> {
    return this.http.post<PromptAnswerView>(`${API_V1}/practice/prompt-tasks/${id}/answers`, { prompt });
  }
  myAnswers(id: number): Observable<PromptAnswerView[]> {
    return this.http.get<PromptAnswerView[]>(`${API_V1}/practice/prompt-tasks/${id}/answers`);
  }
  answer(id: number): Observable<PromptAnswerView> {
    return this.http.get<PromptAnswerView>(`${API_V1}/practice/prompt-answers/${id}`);
  }

  // human review
  reviewQueue(): Observable<ReviewItemSummary[]> {
    return this.http.get<ReviewItemSummary[]>(`${API_V1}/reviews/prompt-answers`);
  }
  reviewDetail(answerId: number): Observable<ReviewDetail> {
    return this.http.get<ReviewDetail>(`${API_V1}/reviews/prompt-answers/${answerId}`);
  }
  review(answerId: number, body: SubmitReviewRequest): Observable<ReviewDetail> {
    return this.http.post<ReviewDetail>(`${API_V1}/reviews/prompt-answers/${answerId}`, body);
  }
}

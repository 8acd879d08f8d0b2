import { HttpClient, HttpParams, type HttpEvent } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CreateQuestionRequest,
  ExerciseView,
  ImportQuestionsRequest,
  ImportQuestionsResponse,
  PromptTaskSummary,
  QuestionTags,
  QuestionView,
  UpdateQuestionRequest,
} from '@aitrainer/contracts';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

const BASE = `${API_V1}/question-bank`;

/** Search filters shared by the list and both exports; empty values are left out. */
export type QuestionFilter = Readonly<Record<string, string>>;

function filterParams(filter: QuestionFilter): HttpParams {
  let params = new HttpParams();
  for (const [k, v] of Object.entries(filter)) if (v) params = params.set(k, v);
  return params;
}

/** /api/v1/question-bank, plus the instructor's labelling exercises and prompt tasks that practical questions point at. */
@Injectable({ providedIn: 'root' })
export class QuestionBankApi {
  private readonly http = inject(HttpClient);

  list(filter: QuestionFilter): Observable<QuestionView[]> {
    return this.http.get<QuestionView[]>(`${BASE}/questions`, { params: filterParams(filter) });
  }
  create(request: CreateQuestionRequest): Observable<QuestionView> {
    return this.http.post<QuestionView>(`${BASE}/questions`, request);
  }
  /** Editing writes a new version; the answer is the question at that version. */
  update(id: number, request: UpdateQuestionRequest): Observable<QuestionView> {
    return this.http.put<QuestionView>(`${BASE}/questions/${id}`, request);
  }
  /** Every version of a question, oldest first. */
  versions(id: number): Observable<QuestionView[]> {
    return this.http.get<QuestionView[]>(`${BASE}/questions/${id}/versions`);
  }
  exportCsv(filter: QuestionFilter): Observable<string> {
    return this.http.get(`${BASE}/export.csv`, { params: filterParams(filter), responseType: 'text' });
  }
  exportXlsx(filter: QuestionFilter): Observable<Blob> {
    return this.http.get(`${BASE}/export.xlsx`, { params: filterParams(filter), responseType: 'blob' });
  }
  /** GIFT, Moodle XML or the bank CSV template as a multipart upload (the file, its format, the tags as JSON); progress as events. */
  import(file: Blob, request: ImportQuestionsRequest): Observable<HttpEvent<ImportQuestionsResponse>> {
    const form = new FormData();
    form.append('format', request.format);
    form.append('tags', JSON.stringify(request.tags));
    form.append('file', file);
    return this.http.post<ImportQuestionsResponse>(`${BASE}/imports`, form, { reportProgress: true, observe: 'events' });
  }
  /** The bank's Excel template as a multipart upload (the file, the tags as JSON); progress as events. */
  importXlsx(file: Blob, tags: QuestionTags): Observable<HttpEvent<ImportQuestionsResponse>> {
    const form = new FormData();
    form.append('tags', JSON.stringify(tags));
    form.append('file', file);
    return this.http.post<ImportQuestionsResponse>(`${BASE}/imports/xlsx`, form, { reportProgress: true, observe: 'events' });
  }

  /** An instructor sees their own exercises, drafts included. */
  labellingExercises(): Observable<ExerciseView[]> {
    return this.http.get<ExerciseView[]>(`${API_V1}/labelling/exercises`);
  }
  promptTasks(): Observable<PromptTaskSummary[]> {
    return this.http.get<PromptTaskSummary[]>(`${API_V1}/prompt-tasks`);
  }
}

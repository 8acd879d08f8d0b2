import { HttpClient, type HttpEvent, type HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AnswerValue,
  CalibrationReportView,
  CreateExerciseRequest,
  LabellingReviewDetail,
  LabellingReviewSummary,
  SubmitLabellingReviewRequest,
  DatasetImportResult,
  ExerciseItemView,
  ExerciseView,
  ExerciseAgreementView,
  GoldRule,
  SaveAnswerResponse,
  SubmissionSummaryView,
  SubmissionView,
} from '@aitrainer/contracts';
import { Observable, map, of } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

const BASE = `${API_V1}/labelling`;

/** /api/v1/labelling — exercises, datasets, practice submissions. */
@Injectable({ providedIn: 'root' })
export class LabellingApi {
  private readonly http = inject(HttpClient);

  list(): Observable<ExerciseView[]> {
    return this.http.get<ExerciseView[]>(`${BASE}/exercises`);
  }
  get(id: number): Observable<ExerciseView> {
    return this.http.get<ExerciseView>(`${BASE}/exercises/${id}`);
  }
  create(request: CreateExerciseRequest): Observable<ExerciseView> {
    return this.http.post<ExerciseView>(`${BASE}/exercises`, request);
  }
  publish(id: number): Observable<ExerciseView> {
    return this.http.post<ExerciseView>(`${BASE}/exercises/${id}/publish`, {});
  }
  items(id: number): Observable<ExerciseItemView[]> {
    return this.http.get<ExerciseItemView[]>(`${BASE}/exercises/${id}/items`);
  }
  /**
   * `kind` picks the route: a JSONL/CSV dataset, or a Label Studio export (JSON, JSON-MIN or CSV) with, optionally,
   * its labelling config, partial import and the gold rule.
   */
  upload(
    id: number,
    kind: 'dataset' | 'label-studio',
    file: File,
    media: File[],
    options: { config?: File; partial?: boolean; goldRule?: GoldRule } = {},
  ): Observable<HttpEvent<DatasetImportResult>> {
    const form = new FormData();
    form.append('file', file);
    for (const m of media) form.append('media', m);
    if (options.config) form.append('config', options.config);
    if (options.partial !== undefined) form.append('partial', String(options.partial));
    if (options.goldRule) form.append('goldRule', options.goldRule);
    return this.http.post<DatasetImportResult>(`${BASE}/exercises/${id}/${kind}`, form, { reportProgress: true, observe: 'events' });
  }
  /** The export as the file it is (JSON, JSON-MIN or CSV, as the tasks came in), with its content type. */
  exportLabelStudio(id: number): Observable<HttpResponse<Blob>> {
    return this.http.get(`${BASE}/exercises/${id}/label-studio`, { responseType: 'blob', observe: 'response' });
  }
  agreement(id: number): Observable<ExerciseAgreementView> {
    return this.http.get<ExerciseAgreementView>(`${BASE}/exercises/${id}/agreement`);
  }
  submissionsOf(id: number): Observable<SubmissionSummaryView[]> {
    return this.http.get<SubmissionSummaryView[]>(`${BASE}/exercises/${id}/submissions`);
  }
  /** Media need the access token, so they are fetched as blobs and shown through object URLs. */
  media(id: number, name: string): Observable<string> {
    const url = /^(https?:)?\/\//.test(name) ? name : `${BASE}/exercises/${id}/media/${encodeURIComponent(name)}`;
    if (url === name) return of(name);
    return this.http.get(url, { responseType: 'blob' }).pipe(map((blob) => URL.createObjectURL(blob)));
  }
  start(exerciseId: number): Observable<SubmissionView> {
    return this.http.post<SubmissionView>(`${BASE}/exercises/${exerciseId}/submissions`, {});
  }
  submission(id: number): Observable<SubmissionView> {
    return this.http.get<SubmissionView>(`${BASE}/submissions/${id}`);
  }
  save(submissionId: number, itemId: string, seq: number, value: AnswerValue): Observable<SaveAnswerResponse> {
    return this.http.put<SaveAnswerResponse>(`${BASE}/submissions/${submissionId}/answers/${encodeURIComponent(itemId)}`, { seq, value });
  }
  submit(submissionId: number): Observable<SubmissionView> {
    return this.http.post<SubmissionView>(`${BASE}/submissions/${submissionId}/submit`, {});
  }
  /** Events with upload progress (see trackUpload). */
  calibrate(exerciseId: number, csv: File): Observable<HttpEvent<CalibrationReportView>> {
    const form = new FormData();
    form.append('file', csv, csv.name);
    return this.http.post<CalibrationReportView>(`${BASE}/exercises/${exerciseId}/calibration`, form, { reportProgress: true, observe: 'events' });
  }
  calibration(exerciseId: number): Observable<CalibrationReportView> {
    return this.http.get<CalibrationReportView>(`${BASE}/exercises/${exerciseId}/calibration`);
  }
  reviews(): Observable<LabellingReviewSummary[]> {
    return this.http.get<LabellingReviewSummary[]>(`${BASE}/reviews`);
  }
  reviewDetail(submissionId: number): Observable<LabellingReviewDetail> {
    return this.http.get<LabellingReviewDetail>(`${BASE}/reviews/${submissionId}`);
  }
  review(submissionId: number, request: SubmitLabellingReviewRequest): Observable<LabellingReviewDetail> {
    return this.http.post<LabellingReviewDetail>(`${BASE}/reviews/${submissionId}`, request);
  }
}

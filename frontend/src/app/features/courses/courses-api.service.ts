import { HttpClient, type HttpEvent } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AttachmentView,
  CohortDetailView,
  CourseDetailView,
  CourseDraftRequest,
  CourseRosterEntry,
  CourseSummaryView,
  CreateCourseRequest,
  EnrolRequest,
  EnrolResult,
  HeartbeatRequest,
  LearningLessonView,
  LessonProgressView,
  MarkdownPreviewResponse,
  MyCourseSummaryView,
  MyCourseView,
  StudentImportResult,
  StudentImportView,
} from '@aitrainer/contracts';
import type { Observable } from 'rxjs';
import { API_V1 } from '../../core/http/api-url';

/** Courses, cohorts, roster imports and learning: one typed client for every page of this context. */
@Injectable({ providedIn: 'root' })
export class CoursesApi {
  private readonly http = inject(HttpClient);

  // authoring
  list(): Observable<CourseSummaryView[]> {
    return this.http.get<CourseSummaryView[]>(`${API_V1}/courses`);
  }
  get(id: number): Observable<CourseDetailView> {
    return this.http.get<CourseDetailView>(`${API_V1}/courses/${id}`);
  }
  create(request: CreateCourseRequest): Observable<CourseDetailView> {
    return this.http.post<CourseDetailView>(`${API_V1}/courses`, request);
  }
  saveDraft(id: number, request: CourseDraftRequest): Observable<CourseDetailView> {
    return this.http.put<CourseDetailView>(`${API_V1}/courses/${id}/draft`, request);
  }
  publish(id: number): Observable<CourseDetailView> {
    return this.http.post<CourseDetailView>(`${API_V1}/courses/${id}/publish`, {});
  }
  preview(markdown: string): Observable<MarkdownPreviewResponse> {
    return this.http.post<MarkdownPreviewResponse>(`${API_V1}/courses/markdown-preview`, { markdown });
  }
  /** Events with upload progress (see trackUpload). */
  uploadAttachment(id: number, lessonKey: string, file: File): Observable<HttpEvent<AttachmentView>> {
    const body = new FormData();
    body.append('file', file, file.name);
    return this.http.post<AttachmentView>(`${API_V1}/courses/${id}/lessons/${encodeURIComponent(lessonKey)}/attachments`, body, { reportProgress: true, observe: 'events' });
  }
  attachment(courseId: number, attachmentId: number): Observable<Blob> {
    return this.http.get(`${API_V1}/courses/${courseId}/attachments/${attachmentId}`, { responseType: 'blob' });
  }
  enrol(id: number, request: EnrolRequest): Observable<EnrolResult> {
    return this.http.post<EnrolResult>(`${API_V1}/courses/${id}/enrolments`, request);
  }
  roster(id: number): Observable<CourseRosterEntry[]> {
    return this.http.get<CourseRosterEntry[]>(`${API_V1}/courses/${id}/roster`);
  }

  // cohorts
  cohort(id: number): Observable<CohortDetailView> {
    return this.http.get<CohortDetailView>(`${API_V1}/cohorts/${id}`);
  }
  assignInstructor(cohortId: number, userId: number): Observable<CohortDetailView> {
    return this.http.post<CohortDetailView>(`${API_V1}/cohorts/${cohortId}/instructors`, { userId });
  }
  removeInstructor(cohortId: number, userId: number): Observable<CohortDetailView> {
    return this.http.delete<CohortDetailView>(`${API_V1}/cohorts/${cohortId}/instructors/${userId}`);
  }
  /** Events with upload progress (see trackUpload). */
  importRoster(file: File): Observable<HttpEvent<StudentImportResult>> {
    const body = new FormData();
    body.append('file', file, file.name);
    return this.http.post<StudentImportResult>(`${API_V1}/cohort-imports`, body, { reportProgress: true, observe: 'events' });
  }
  imports(): Observable<StudentImportView[]> {
    return this.http.get<StudentImportView[]>(`${API_V1}/cohort-imports`);
  }
  /** The row-by-row report in the reader's language. */
  importReport(id: number, lang: 'zh' | 'en' = 'zh'): Observable<Blob> {
    return this.http.get(`${API_V1}/cohort-imports/${id}/report.csv`, { params: { lang }, responseType: 'blob' });
  }
  importTemplate(): Observable<Blob> {
    return this.http.get(`${API_V1}/cohort-imports/template.csv`, { responseType: 'blob' });
  }

  // learning
  myCourses(): Observable<MyCourseSummaryView[]> {
    return this.http.get<MyCourseSummaryView[]>(`${API_V1}/my/courses`);
  }
  myCourse(id: number): Observable<MyCourseView> {
    return this.http.get<MyCourseView>(`${API_V1}/my/courses/${id}`);
  }
  lesson(id: number, key: string): Observable<LearningLessonView> {
    return this.http.get<LearningLessonView>(`${API_V1}/my/courses/${id}/lessons/${encodeURIComponent(key)}`);
  }
  heartbeat(id: number, key: string, request: HeartbeatRequest): Observable<LessonProgressView> {
    return this.http.post<LessonProgressView>(`${API_V1}/my/courses/${id}/lessons/${encodeURIComponent(key)}/heartbeat`, request);
  }
}

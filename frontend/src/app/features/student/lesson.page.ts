import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, effect, inject, signal, viewChild } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import type { AttachmentView, LearningLessonView, LessonProgressView } from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { toApiProblem, type ApiProblem } from '../../core/http/api-problem';
import { problemMessage } from '../../core/notifications/problem-text';
import { saveBlob } from '../../shared/util/save-blob';
import { CoursesApi } from '../courses/courses-api.service';

const BEAT_MS = 15_000;

/**
 * The lesson player. It reports to the server while the lesson is on screen (a heartbeat every 15 s, and
 * when the reader reaches the end); the server measures the time and decides completion.
 */
@Component({
  selector: 'app-lesson-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  styles: `
    .lesson-body { line-height: 1.7; overflow-wrap: anywhere; }
    .lesson-body :is(img, video) { max-width: 100%; }
    .nav { display: flex; justify-content: space-between; gap: 0.5rem; flex-wrap: wrap; }
    video { width: 100%; max-height: 60vh; background: #000; }
  `,
  template: `
    <p><a [routerLink]="['/student/courses', courseId]">← {{ t('learn.backToCourse') }}</a></p>
    @if (problem(); as p) {
      <div class="state state--error" role="alert">{{ problemText(p) }}</div>
    } @else if (lesson(); as l) {
      <p class="muted small">{{ l.moduleTitle }}</p>
      <h1 class="page-title" data-testid="lesson-title">{{ l.title }}</h1>
      <p class="small" data-testid="lesson-status" [attr.data-status]="progress()?.status">{{ statusText() }}</p>
      @if (l.videoUrl) {
        <video controls preload="metadata" [src]="l.videoUrl"></video>
      }
      <article class="card lesson-body" [innerHTML]="l.html" data-testid="lesson-body"></article>
      @if (l.attachments.length) {
        <section class="card section-gap">
          <h2>{{ t('courses.attachments') }}</h2>
          <ul class="list">
            @for (a of l.attachments; track a.id) {
              <li class="list__item"><button type="button" class="btn btn--small btn--ghost" (click)="download(a)">{{ a.fileName }}</button></li>
            }
          </ul>
        </section>
      }
      <div #end class="section-gap" data-testid="lesson-end" aria-hidden="true"></div>
      <div class="nav section-gap">
        @if (l.previousKey) { <a class="btn" [routerLink]="['/student/courses', courseId, 'lessons', l.previousKey]">← {{ t('learn.previous') }}</a> } @else { <span></span> }
        @if (l.nextKey) { <a class="btn btn--primary" [routerLink]="['/student/courses', courseId, 'lessons', l.nextKey]" data-testid="next-lesson">{{ t('learn.next') }} →</a> }
      </div>
    } @else {
      <p class="state state--loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('common.loading') }}</p>
    }
  `,
})
export class LessonPage extends Localized {
  private readonly api = inject(CoursesApi);
  private readonly notifications = inject(NotificationService);
  private readonly route = inject(ActivatedRoute);
  protected readonly courseId = Number(this.route.snapshot.paramMap.get('id'));
  protected readonly lesson = signal<LearningLessonView | null>(null);
  protected readonly progress = signal<LessonProgressView | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  private readonly end = viewChild<ElementRef<HTMLElement>>('end');
  private key = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  private observer: IntersectionObserver | undefined;
  private reachedEnd = false;

  protected readonly statusText = computed(() => {
    const p = this.progress();
    if (!p) return '';
    if (p.status === 'completed') return this.t('learn.lessonCompleted');
    const remaining = Math.max(0, p.minimumSeconds - p.secondsSpent);
    if (remaining > 0) return this.t('learn.keepReading', { minutes: Math.ceil(remaining / 60) });
    return this.t('learn.readToEnd');
  });

  constructor() {
    super();
    // [innerHTML] also runs Angular's sanitizer over the server's already-safe HTML: a second line of defence.
    // The same component serves the next lesson: follow the route's key.
    this.route.paramMap.subscribe((params) => this.open(params.get('key') ?? ''));
    effect(() => {
      const el = this.end()?.nativeElement;
      this.observer?.disconnect();
      if (!el) return;
      this.observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting) && !this.reachedEnd) {
          this.reachedEnd = true;
          this.beat();
        }
      });
      this.observer.observe(el);
    });
    const onVisibility = () => {
      if (document.visibilityState === 'visible') this.beat('open');
    };
    document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => {
      this.beat();
      clearInterval(this.timer);
      this.observer?.disconnect();
      document.removeEventListener('visibilitychange', onVisibility);
    });
  }

  private open(key: string): void {
    if (this.key) this.beat(); // credit the lesson being left
    this.key = key;
    this.reachedEnd = false;
    this.lesson.set(null);
    this.problem.set(null);
    clearInterval(this.timer);
    this.api.lesson(this.courseId, key).subscribe({
      next: (l) => {
        this.lesson.set(l);
        this.progress.set(l.progress);
        this.beat('open');
        this.timer = setInterval(() => {
          if (document.visibilityState === 'visible') this.beat();
        }, BEAT_MS);
      },
      error: (e: unknown) => this.problem.set(toApiProblem(e)),
    });
  }

  private beat(event: 'open' | 'beat' = 'beat'): void {
    const key = this.key;
    if (!key || !this.lesson()) return;
    this.api.heartbeat(this.courseId, key, { event, reachedEnd: this.reachedEnd }).subscribe({
      next: (p) => {
        if (key !== this.key) return;
        const wasDone = this.progress()?.status === 'completed';
        this.progress.set(p);
        if (!wasDone && p.status === 'completed') this.notifications.success('learn.lessonCompletedNotice');
      },
      error: () => undefined, // a missed beat only costs a few seconds of credit
    });
  }

  protected problemText(p: ApiProblem): string {
    return p.code === 'NOT_FOUND' ? this.t('learn.lessonNotFound') : problemMessage(p, this.i18n);
  }

  protected download(a: AttachmentView): void {
    this.api.attachment(this.courseId, a.id).subscribe({ next: (blob) => saveBlob(blob, a.fileName), error: (e: unknown) => this.notifications.error(e) });
  }
}

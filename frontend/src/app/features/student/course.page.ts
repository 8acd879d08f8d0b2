import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { I18n } from '../../core/i18n/i18n.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { CoursesApi } from '../courses/courses-api.service';
import { dutyAreaKey, hours, levelKey } from '../courses/course-labels';

/** A student's course: progress per module and lesson, training hours, and where to continue. */
@Component({
  selector: 'app-student-course-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, RouterLink],
  styles: `
    .bar { height: 0.6rem; background: var(--border); border-radius: 999px; overflow: hidden; }
    .bar > span { display: block; height: 100%; background: var(--success, #2e7d32); }
    .lesson-status { min-width: 5rem; text-align: right; }
  `,
  template: `
    <p><a routerLink="/student">← {{ t('student.title') }}</a></p>
    <app-remote-view [source]="course">
      @if (course.value(); as c) {
        <h1 class="page-title" data-testid="course-title">{{ c.title }}</h1>
        <p class="muted">{{ t(levelKey(c.targetLevel)) }} · 4-04-05-05 @for (a of c.dutyAreas; track a) { · {{ t(dutyAreaKey(a)) }} }</p>
        @if (c.description) { <p>{{ c.description }}</p> }
        <section class="card section-gap" aria-labelledby="hours-heading">
          <h2 id="hours-heading">{{ t('learn.progress') }}</h2>
          <p data-testid="course-progress">{{ t('learn.lessonsDone', { done: c.completedLessons, total: c.totalLessons }) }}</p>
          <p data-testid="course-hours">{{ t('learn.hours', { done: hours(c.hours.doneMinutes), required: hours(c.hours.requiredMinutes) }) }}</p>
          <div class="bar" role="progressbar" [attr.aria-valuenow]="c.hours.percent" aria-valuemin="0" aria-valuemax="100"><span [style.width.%]="c.hours.percent"></span></div>
          @if (c.continueLessonKey) {
            <p class="section-gap"><a class="btn btn--primary" [routerLink]="['/student/courses', c.courseId, 'lessons', c.continueLessonKey]" data-testid="continue">{{ c.completedLessons || started(c) ? t('learn.continue') : t('learn.start') }}</a></p>
          } @else {
            <p class="banner banner--info section-gap">{{ t('learn.allDone') }}</p>
          }
        </section>
        @for (m of c.modules; track m.key) {
          <section class="card section-gap">
            <div class="card__head"><h2>{{ m.title }}</h2><span class="muted small">{{ t('learn.lessonsDone', { done: m.completedLessons, total: m.totalLessons }) }}</span></div>
            <ul class="list">
              @for (l of m.lessons; track l.key) {
                <li class="list__item">
                  <a class="list__main" [routerLink]="['/student/courses', c.courseId, 'lessons', l.key]" data-testid="lesson-link">{{ l.title }}</a>
                  <span class="muted small">{{ l.durationMinutes }} {{ t('learn.minutes') }}</span>
                  <span class="small lesson-status" [attr.data-status]="l.progress.status">{{ t('learn.status.' + l.progress.status) }}</span>
                </li>
              }
            </ul>
          </section>
        }
      }
    </app-remote-view>
  `,
})
export class StudentCoursePage {
  private readonly i18n = inject(I18n);
  protected readonly t = (key: string, params?: Record<string, string | number>) => this.i18n.t(key as Parameters<I18n['t']>[0], params);
  protected readonly levelKey = levelKey;
  protected readonly dutyAreaKey = dutyAreaKey;
  protected readonly hours = hours;
  private readonly id = Number(inject(ActivatedRoute).snapshot.paramMap.get('id'));
  protected readonly course = remote(() => inject(CoursesApi).myCourse(this.id));

  protected started(c: { modules: { lessons: { progress: { status: string } }[] }[] }): boolean {
    return c.modules.some((m) => m.lessons.some((l) => l.progress.status !== 'not_started'));
  }
}

import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { forkJoin } from 'rxjs';
import { Localized } from '../../core/i18n/localized';
import { remote } from '../../shared/util/remote';
import { CoursesApi } from '../courses/courses-api.service';
import { ExamsApi } from '../exams/exams-api.service';

interface NextStep {
  readonly text: string;
  readonly action: string;
  readonly link: readonly (string | number)[];
}

/** The student's next thing to do, first on the home page: an exam they are registered for, else the lesson to continue. */
@Component({
  selector: 'app-next-step',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (step(); as s) {
      <section class="card section-gap next" aria-labelledby="next-heading" data-testid="next-step">
        <h2 id="next-heading">{{ t('next.title') }}</h2>
        <p>{{ s.text }}</p>
        <a class="btn btn--primary" [routerLink]="s.link" data-testid="next-step-action">{{ s.action }}</a>
      </section>
    }
  `,
  styles: `
    .next { border-inline-start: 4px solid var(--brand); }
    .next .btn { text-decoration: none; }
  `,
})
export class NextStepComponent extends Localized {
  private readonly courses = inject(CoursesApi);
  private readonly exams = inject(ExamsApi);
  private readonly data = remote(() => forkJoin({ courses: this.courses.myCourses(), registrations: this.exams.myRegistrations() }));

  protected readonly step = computed((): NextStep | null => {
    const data = this.data.value();
    if (!data) return null;
    if (data.registrations.length > 0) {
      return { text: this.t('next.exam', { n: data.registrations.length }), action: this.t('next.examAction'), link: ['/student/exams'] };
    }
    const course = data.courses.find((c) => c.completedLessons < c.totalLessons);
    if (course) {
      const link = course.continueLessonKey ? ['/student/courses', course.courseId, 'lessons', course.continueLessonKey] : ['/student/courses', course.courseId];
      return {
        text: this.t('next.lesson', { course: course.title, done: course.completedLessons, total: course.totalLessons }),
        action: this.t('next.lessonAction'),
        link,
      };
    }
    if (data.courses.length > 0) {
      return { text: this.t('next.practice'), action: this.t('next.practiceAction'), link: ['/student/labelling'] };
    }
    return null;
  });
}

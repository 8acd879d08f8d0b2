import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Localized } from '../../core/i18n/localized';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { CoursesApi } from '../courses/courses-api.service';
import { hours, levelKey } from '../courses/course-labels';

@Component({
  selector: 'app-my-courses',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, RouterLink],
  template: `
    <app-remote-view [source]="courses" [emptyText]="t('learn.empty')">
      <ul class="list" data-testid="my-courses">
        @for (c of courses.value(); track c.courseId) {
          <li class="list__item">
            <a class="list__main" [routerLink]="['/student/courses', c.courseId]">{{ c.title }}</a>
            <span class="muted small" data-testid="my-course-progress">
              {{ t(levelKey(c.targetLevel)) }} · {{ t('learn.lessonsDone', { done: c.completedLessons, total: c.totalLessons }) }} ·
              {{ t('learn.hours', { done: hours(c.hours.doneMinutes), required: hours(c.hours.requiredMinutes) }) }}
            </span>
          </li>
        }
      </ul>
    </app-remote-view>
  `,
})
export class MyCoursesComponent extends Localized {
  protected readonly levelKey = levelKey;
  protected readonly hours = hours;
  protected readonly courses = remote(() => inject(CoursesApi).myCourses());
}

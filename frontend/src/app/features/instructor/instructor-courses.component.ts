import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { SKILL_LEVELS, type SkillLevel } from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { CoursesApi } from '../courses/courses-api.service';
import { levelKey } from '../courses/course-labels';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

/** The instructor's courses (authored or taught) and a form to start a new one. */
@Component({
  selector: 'app-instructor-courses',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, NzSelectModule, RemoteViewComponent, RouterLink, NzFormModule, NzInputModule, NzButtonModule],
  styles: `.level nz-select { min-width: 10rem; }`,
  template: `
    <app-remote-view [source]="courses" [emptyText]="t('courses.instructorEmpty')">
      <ul class="list" data-testid="instructor-course-list">
        @for (course of courses.value(); track course.id) {
          <li class="list__item">
            <a class="list__main" [routerLink]="['/instructor/courses', course.id]">{{ course.title }}</a>
            <span class="muted small">
              {{ t(levelKey(course.targetLevel)) }} ·
              {{ course.publishedVersion ? t('courses.publishedVersion', { n: course.publishedVersion }) : t('courses.notPublished') }}
              @if (course.hasDraft) { · {{ t('courses.hasDraft') }} }
              @if (course.relation === 'teacher') { · {{ t('courses.teaching') }} }
            </span>
          </li>
        }
      </ul>
    </app-remote-view>
    <form nz-form nzLayout="inline" class="inline-form" (submit)="$event.preventDefault(); create()" data-testid="new-course-form">
      <app-form-field [label]="t('courses.newTitle')" fieldId="new-course-title">
        <input nz-input id="new-course-title" [value]="title()" (input)="title.set(value($event))" maxlength="200" data-testid="new-course-title" />
      </app-form-field>
      <app-form-field class="level" [label]="t('courses.targetLevel')" fieldId="new-course-level">
        <nz-select nzId="new-course-level" [ngModel]="level()" (ngModelChange)="level.set($event)" [ngModelOptions]="{ standalone: true }" data-testid="new-course-level">
        @for (l of levels; track l) {
          <nz-option [nzValue]="l" [nzLabel]="t(levelKey(l))" />
        }
        </nz-select>
      </app-form-field>
      <button nz-button nzType="primary" type="submit" [disabled]="pending() || !title().trim()" data-testid="new-course-submit">{{ t('courses.create') }}</button>
    </form>
  `,
})
export class InstructorCoursesComponent extends Localized {
  private readonly api = inject(CoursesApi);
  private readonly router = inject(Router);
  private readonly notifications = inject(NotificationService);
  protected readonly levelKey = levelKey;
  protected readonly levels = SKILL_LEVELS;
  protected readonly courses = remote(() => this.api.list());
  protected readonly title = signal('');
  protected readonly level = signal<number>(5);
  protected readonly pending = signal(false);

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  protected create(): void {
    const title = this.title().trim();
    if (!title || this.pending()) return;
    this.pending.set(true);
    this.api.create({ title, description: '', targetLevel: this.level() as SkillLevel, dutyAreas: [] }).subscribe({
      next: (course) => {
        this.pending.set(false);
        this.notifications.success('courses.created', { title: course.title });
        void this.router.navigate(['/instructor/courses', course.id]);
      },
      error: (error: unknown) => {
        this.pending.set(false);
        this.notifications.error(error);
      },
    });
  }
}

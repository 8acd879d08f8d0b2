import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Localized } from '../../core/i18n/localized';
import { UsersApi } from '../../shared/api/users-api.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { UserTableComponent } from '../../shared/components/user-table.component';
import { remote } from '../../shared/util/remote';
import { InstructorCoursesComponent } from './instructor-courses.component';

@Component({
  selector: 'app-instructor-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, UserTableComponent, InstructorCoursesComponent, RouterLink],
  template: `
    <h1 class="page-title" data-testid="landing-instructor">{{ t('instructor.title') }}</h1>
    <section class="card section-gap"><a routerLink="/instructor/exams" data-testid="link-exam-builder">{{ t('examAdmin.link') }}</a>
      <p class="muted small">{{ t('examAdmin.linkHelp') }}</p></section>
    <section class="card section-gap"><a routerLink="/instructor/question-bank" data-testid="link-question-bank">{{ t('bank.link') }}</a>
      <p class="muted small">{{ t('bank.linkHelp') }}</p></section>
    <section class="card section-gap"><a routerLink="/instructor/labelling" data-testid="link-labelling">{{ t('labelling.link') }}</a>
      <p class="muted small">{{ t('labelling.linkHelpInstructor') }}</p></section>
    <section class="card section-gap"><a routerLink="/prompt-tasks" data-testid="link-prompt-tasks">{{ t('prompts.link') }}</a>
      <p class="muted small">{{ t('prompts.linkHelp') }}</p>
      <a routerLink="/reviews" data-testid="link-reviews">{{ t('reviews.link') }}</a>
      <p class="muted small">{{ t('reviews.linkHelp') }}</p></section>
    <section class="card section-gap" aria-labelledby="courses-heading">
      <h2 id="courses-heading">{{ t('courses.mine') }}</h2>
      <app-instructor-courses />
    </section>
    <section class="card" aria-labelledby="students-heading">
      <div class="card__head">
        <h2 id="students-heading">{{ t('instructor.students') }}</h2>
        @if (students.value(); as page) {
          <span class="muted small">{{ t('common.total', { count: page.total }) }}</span>
        }
      </div>
      <app-remote-view [source]="students" [empty]="isEmpty()" [emptyText]="t('instructor.empty')">
        @if (students.value(); as page) {
          <app-user-table [users]="page.items" [caption]="t('instructor.students')" />
        }
      </app-remote-view>
    </section>
  `,
})
export class InstructorPage extends Localized {
  private readonly usersApi = inject(UsersApi);
  protected readonly students = remote(() => this.usersApi.list({ role: 'student' }));
  protected readonly isEmpty = computed(() => this.students.value()?.items.length === 0);
}

import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthService } from '../../core/auth/auth.service';
import { Localized } from '../../core/i18n/localized';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { ChangePasswordFormComponent } from './change-password-form.component';
import { MyCoursesComponent } from './my-courses.component';
import { MyCertificatesComponent } from './my-certificates.component';
import { NextStepComponent } from './next-step.component';

@Component({
  selector: 'app-student-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteViewComponent, ChangePasswordFormComponent, RouterLink, MyCoursesComponent, MyCertificatesComponent, NextStepComponent],
  template: `
    <h1 class="page-title" data-testid="landing-student">{{ t('student.title') }}</h1>
    <app-next-step />
    <section class="card section-gap" aria-labelledby="my-courses-heading">
      <h2 id="my-courses-heading">{{ t('learn.myCourses') }}</h2>
      <app-my-courses />
    </section>
    <section class="card section-gap" aria-labelledby="my-certificates-heading">
      <h2 id="my-certificates-heading">{{ t('myCerts.title') }}</h2>
      <app-my-certificates />
    </section>
    <section class="card section-gap"><a class="card-link" routerLink="/student/exams" data-testid="link-exams">{{ t('exams.link') }}</a>
      <p class="muted small">{{ t('exams.linkHelp') }}</p></section>
    <section class="card section-gap"><a class="card-link" routerLink="/student/labelling" data-testid="link-labelling">{{ t('labelling.link') }}</a>
      <p class="muted small">{{ t('labelling.linkHelp') }}</p></section>
    <section class="card section-gap"><a class="card-link" routerLink="/practice/prompt-tasks" data-testid="link-prompt-practice">{{ t('practice.link') }}</a>
      <p class="muted small">{{ t('practice.linkHelp') }}</p></section>
    <div class="grid grid--2">
      <section class="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{{ t('student.profile') }}</h2>
        <app-remote-view [source]="me">
          @if (me.value(); as user) {
            <dl class="facts" data-testid="student-profile">
              <div><dt>{{ t('field.realName') }}</dt><dd>{{ user.realName }}</dd></div>
              <div><dt>{{ t('field.username') }}</dt><dd class="mono">{{ user.username }}</dd></div>
              <div><dt>{{ t('field.organisation') }}</dt><dd>{{ user.organisation?.name ?? t('common.none') }}</dd></div>
              <div><dt>{{ t('field.idDocumentType') }}</dt><dd>{{ i18n.idTypeLabel(user.idDocumentType) }}</dd></div>
              <div><dt>{{ t('field.idNumber') }}</dt><dd [class.mono]="user.idNumberMasked">{{ user.idNumberMasked ?? t('common.none') }}</dd></div>
              <div><dt>{{ t('field.phone') }}</dt><dd>{{ user.phone ?? t('common.none') }}</dd></div>
            </dl>
          }
        </app-remote-view>
      </section>
      <section class="card" aria-labelledby="password-heading">
        <h2 id="password-heading">{{ t('student.changePassword') }}</h2>
        <p class="muted small">{{ t('student.changePasswordHelp') }}</p>
        <app-change-password-form [username]="username()" />
      </section>
    </div>
  `,
})
export class StudentPage extends Localized {
  private readonly auth = inject(AuthService);
  protected readonly me = remote(() => this.auth.me());
  protected readonly username = computed(() => this.me.value()?.username ?? '');
}

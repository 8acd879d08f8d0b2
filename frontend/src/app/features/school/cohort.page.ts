import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { UsersApi } from '../../shared/api/users-api.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { CoursesApi } from '../courses/courses-api.service';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzButtonModule } from 'ng-zorro-antd/button';

/** One cohort: its students, instructors and courses; assign an instructor, enrol the cohort in a course. */
@Component({
  selector: 'app-cohort-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzSelectModule, RemoteViewComponent, RouterLink, NzFormModule, NzButtonModule],
  styles: `.pick nz-select { min-width: 14rem; max-width: 100%; }`,
  template: `
    <p><a routerLink="/school">← {{ t('school.title') }}</a></p>
    <app-remote-view [source]="cohort">
      @if (cohort.value(); as c) {
        <h1 class="page-title" data-testid="cohort-title">{{ c.name }}</h1>
        <div class="grid grid--2">
          <section class="card" aria-labelledby="cohort-courses">
            <h2 id="cohort-courses">{{ t('cohort.courses') }}</h2>
            @if (c.courses.length === 0) { <p class="state state--empty">{{ t('cohort.coursesEmpty') }}</p> }
            <ul class="list">
              @for (course of c.courses; track course.id) { <li class="list__item"><span class="list__main">{{ course.title }}</span></li> }
            </ul>
            <div nz-form nzLayout="inline" class="inline-form">
              <nz-form-item class="pick">
                <nz-form-label nzFor="enrol-course">{{ t('cohort.enrolIn') }}</nz-form-label>
                <nz-form-control><nz-select nzId="enrol-course" [ngModel]="courseId() || null" (ngModelChange)="courseId.set($event ?? 0)" [nzPlaceHolder]="t('cohort.chooseCourse')" nzShowSearch data-testid="enrol-course">
                  @for (course of availableCourses(); track course.id) { <nz-option [nzValue]="course.id" [nzLabel]="course.title" /> }
                </nz-select></nz-form-control>
              </nz-form-item>
              <button nz-button nzType="primary" type="button" [disabled]="!courseId() || pending()" (click)="enrol()" data-testid="enrol-submit">{{ t('cohort.enrol') }}</button>
            </div>
            @if (catalogue.value()?.length === 0) { <p class="muted small">{{ t('cohort.catalogueEmpty') }}</p> }
          </section>
          <section class="card" aria-labelledby="cohort-instructors">
            <h2 id="cohort-instructors">{{ t('cohort.instructors') }}</h2>
            @if (c.instructors.length === 0) { <p class="state state--empty">{{ t('cohort.instructorsEmpty') }}</p> }
            <ul class="list">
              @for (p of c.instructors; track p.id) {
                <li class="list__item"><span class="list__main">{{ p.realName }}</span>
                  <button type="button" class="btn btn--small btn--ghost" (click)="removeInstructor(p.id)">{{ t('courses.remove') }}</button></li>
              }
            </ul>
            <div nz-form nzLayout="inline" class="inline-form">
              <nz-form-item class="pick">
                <nz-form-label nzFor="assign-instructor">{{ t('cohort.assign') }}</nz-form-label>
                <nz-form-control><nz-select nzId="assign-instructor" [ngModel]="instructorId() || null" (ngModelChange)="instructorId.set($event ?? 0)" [nzPlaceHolder]="t('cohort.chooseInstructor')" nzShowSearch data-testid="assign-instructor">
                  @for (u of instructors.value()?.items ?? []; track u.id) { <nz-option [nzValue]="u.id" [nzLabel]="u.realName" /> }
                </nz-select></nz-form-control>
              </nz-form-item>
              <button nz-button type="button" [disabled]="!instructorId() || pending()" (click)="assign()">{{ t('cohort.assignSubmit') }}</button>
            </div>
          </section>
        </div>
        <section class="card section-gap" aria-labelledby="cohort-students">
          <div class="card__head"><h2 id="cohort-students">{{ t('cohort.students') }}</h2><span class="muted small">{{ t('common.total', { count: c.students.length }) }}</span></div>
          @if (c.students.length === 0) {
            <p class="state state--empty">{{ t('cohort.studentsEmpty') }}</p>
          } @else {
            <div class="table-wrap">
              <table class="table" data-testid="cohort-students">
                <thead><tr><th>{{ t('field.realName') }}</th><th>{{ t('field.username') }}</th><th>{{ t('field.idNumber') }}</th><th>{{ t('field.phone') }}</th></tr></thead>
                <tbody>
                  @for (s of c.students; track s.id) {
                    <tr><td>{{ s.realName }}</td><td class="mono">{{ s.username }}</td><td class="mono">{{ s.idNumberMasked ?? t('common.none') }}</td><td>{{ s.phone ?? t('common.none') }}</td></tr>
                  }
                </tbody>
              </table>
            </div>
          }
        </section>
      }
    </app-remote-view>
  `,
})
export class CohortPage extends Localized {
  private readonly api = inject(CoursesApi);
  private readonly notifications = inject(NotificationService);
  private readonly id = Number(inject(ActivatedRoute).snapshot.paramMap.get('id'));
  protected readonly cohort = remote(() => this.api.cohort(this.id));
  protected readonly catalogue = remote(() => this.api.list());
  protected readonly instructors = remote(() => inject(UsersApi).list({ role: 'instructor' }));
  protected readonly availableCourses = computed(() => {
    const enrolled = new Set(this.cohort.value()?.courses.map((c) => c.id) ?? []);
    return (this.catalogue.value() ?? []).filter((c) => !enrolled.has(c.id));
  });
  protected readonly courseId = signal(0);
  protected readonly instructorId = signal(0);
  protected readonly pending = signal(false);

  protected enrol(): void {
    this.pending.set(true);
    this.api.enrol(this.courseId(), { cohortId: this.id }).subscribe({
      next: (r) => {
        this.pending.set(false);
        this.courseId.set(0);
        this.notifications.success('cohort.enrolled', { n: r.enrolled });
        this.cohort.reload();
      },
      error: (e: unknown) => {
        this.pending.set(false);
        this.notifications.error(e);
      },
    });
  }

  protected assign(): void {
    this.pending.set(true);
    this.api.assignInstructor(this.id, this.instructorId()).subscribe({
      next: () => {
        this.pending.set(false);
        this.cohort.reload();
      },
      error: (e: unknown) => {
        this.pending.set(false);
        this.notifications.error(e);
      },
    });
  }

  protected removeInstructor(userId: number): void {
    this.api.removeInstructor(this.id, userId).subscribe({ next: () => this.cohort.reload(), error: (e: unknown) => this.notifications.error(e) });
  }
}

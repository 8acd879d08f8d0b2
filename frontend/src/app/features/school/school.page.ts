import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { UsersApi } from '../../shared/api/users-api.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { UserTableComponent } from '../../shared/components/user-table.component';
import { remote } from '../../shared/util/remote';
import { serverFieldErrors } from '../../shared/util/server-field-errors';
import { toApiProblem } from '../../core/http/api-problem';
import { AddStudentFormComponent } from './add-student-form.component';
import { CohortsApi } from './cohorts-api.service';
import { RosterImportComponent } from './roster-import.component';
import { RouterLink } from '@angular/router';
import { StaffAccountsComponent } from '../admin/staff-accounts.component';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';

@Component({
  selector: 'app-school-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RemoteViewComponent, UserTableComponent, AddStudentFormComponent, RosterImportComponent, RouterLink, StaffAccountsComponent, NzFormModule, NzInputModule, NzButtonModule],
  template: `
    <h1 class="page-title" data-testid="landing-school_admin">{{ t('school.title') }}</h1>
    <div class="grid grid--sidebar">
      <section class="card" aria-labelledby="cohorts-heading">
        <h2 id="cohorts-heading">{{ t('school.cohorts') }}</h2>
        <app-remote-view [source]="cohorts" [emptyText]="t('school.cohortsEmpty')">
          <ul class="list" data-testid="cohort-list">
            @for (cohort of cohorts.value(); track cohort.id) {
              <li class="list__item">
                <a class="list__main" [routerLink]="['/school/cohorts', cohort.id]" data-testid="cohort-link">{{ cohort.name }}</a>
                <span class="muted small">{{ t('school.cohortStudentCount', { count: cohort.studentCount }) }}</span>
              </li>
            }
          </ul>
        </app-remote-view>
        <form nz-form nzLayout="inline" class="inline-form" [formGroup]="cohortForm" (ngSubmit)="createCohort()" novalidate data-testid="cohort-form">
          <nz-form-item>
            <nz-form-label nzFor="cohort-name">{{ t('school.cohortName') }}</nz-form-label>
            <nz-form-control [nzValidateStatus]="cohortErrors()['name'] ? 'error' : ''" [nzErrorTip]="cohortErrors()['name']">
              <input nz-input id="cohort-name" formControlName="name" maxlength="100" />
            </nz-form-control>
          </nz-form-item>
          <button nz-button nzType="primary" type="submit" [disabled]="cohortPending() || cohortForm.invalid">{{ t('school.createCohort') }}</button>
        </form>
      </section>

      <section class="card" aria-labelledby="add-student-heading">
        <h2 id="add-student-heading">{{ t('school.addStudent') }}</h2>
        <app-add-student-form (added)="users.reload()" />
      </section>
    </div>

    <section class="card section-gap" aria-labelledby="import-heading">
      <h2 id="import-heading">{{ t('roster.title') }}</h2>
      <app-roster-import (imported)="cohorts.reload(); users.reload()" />
    </section>

    <section class="card section-gap" aria-labelledby="users-heading">
      <div class="card__head">
        <h2 id="users-heading">{{ t('school.users') }}</h2>
        @if (users.value(); as page) {
          <span class="muted small">{{ t('common.total', { count: page.total }) }}</span>
        }
      </div>
      <app-remote-view [source]="users" [empty]="usersEmpty()" [emptyText]="t('school.usersEmpty')">
        @if (users.value(); as page) {
          <app-user-table [users]="page.items" [showRole]="true" [caption]="t('school.users')" />
        }
      </app-remote-view>
    </section>

    <section class="card section-gap" aria-labelledby="staff-heading">
      <h2 id="staff-heading">{{ t('staff.title') }}</h2>
      <p class="muted small">{{ t('staff.help') }}</p>
      <app-staff-accounts [withStudents]="true" />
    </section>
  `,
})
export class SchoolPage extends Localized {
  private readonly cohortsApi = inject(CohortsApi);
  private readonly usersApi = inject(UsersApi);
  private readonly notifications = inject(NotificationService);

  protected readonly cohorts = remote(() => this.cohortsApi.list());
  protected readonly users = remote(() => this.usersApi.list());
  protected readonly usersEmpty = computed(() => this.users.value()?.items.length === 0);

  protected readonly cohortForm = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
  });
  protected readonly cohortPending = signal(false);
  private readonly cohortServer = serverFieldErrors(this.cohortForm);
  protected readonly cohortErrors = this.cohortServer.errors;

  protected createCohort(): void {
    const name = this.cohortForm.getRawValue().name.trim();
    if (!name || this.cohortPending()) return;
    this.cohortPending.set(true);
    this.cohortServer.set(null);
    this.cohortsApi.create({ name }).subscribe({
      next: (cohort) => {
        this.cohortPending.set(false);
        this.cohortForm.reset();
        this.notifications.success('notice.cohortCreated', { name: cohort.name });
        this.cohorts.reload();
      },
      error: (error: unknown) => {
        this.cohortPending.set(false);
        const problem = toApiProblem(error);
        this.cohortServer.set(problem);
        this.notifications.error(problem);
      },
    });
  }
}

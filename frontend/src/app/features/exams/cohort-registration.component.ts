import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import type { BulkRegistrationOutcome, BulkRegistrationView, EligibilityReasonView, SessionCandidatesView } from '@aitrainer/contracts';
import { FormsModule } from '@angular/forms';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API_V1 } from '../../core/http/api-url';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';

/**
 * Registering candidates from the cohorts that study the exam's courses: each student's eligibility (with the reason)
 * before registering, a whole cohort or a selection in one step, and a row per student saying what happened.
 */
@Component({
  selector: 'app-cohort-registration',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzCheckboxModule, NzTagModule],
  template: `
    @if (!view()) {
      <button type="button" class="btn btn--small" (click)="load()" [attr.data-testid]="'cohort-register-open-' + sessionId()">{{ t('cohortReg.open') }}</button>
    } @else {
      <div class="card section-gap" [attr.data-testid]="'cohort-register-' + sessionId()">
        <h4>{{ t('cohortReg.title') }}</h4>
        @for (c of view()!.cohorts; track c.id) {
          <fieldset class="section-gap">
            <legend>{{ c.organisationName }} · {{ c.name }}</legend>
            <p><button type="button" class="btn btn--small" (click)="selectEligible(c.id)" [attr.data-testid]="'cohort-select-' + c.id">{{ t('cohortReg.selectEligible') }}</button></p>
            <table class="table">
              <thead><tr><th>{{ t('cohortReg.pick') }}</th><th>{{ t('cohortReg.name') }}</th><th>{{ t('cohortReg.username') }}</th><th>{{ t('cohortReg.eligibility') }}</th></tr></thead>
              <tbody>
                @for (s of c.students; track s.userId) {
                  <tr [attr.data-testid]="'candidate-row-' + s.userId">
                    <td><label nz-checkbox [ngModel]="chosen().has(s.userId)" (ngModelChange)="toggle(s.userId)" [ngModelOptions]="{ standalone: true }" [nzDisabled]="s.registered" [attr.data-testid]="'candidate-pick-' + s.userId"><span class="visually-hidden">{{ s.realName }}</span></label></td>
                    <td>{{ s.realName }}</td>
                    <td class="mono">{{ s.username }}</td>
                    <td>
                      @if (s.registered) { {{ t('cohortReg.registered') }} }
                      @else if (s.eligible) { <nz-tag nzColor="success">{{ t('cohortReg.eligible') }}</nz-tag> }
                      @else { @for (r of s.reasons; track $index) { <span>{{ reason(r) }}</span><br /> } }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </fieldset>
        } @empty {
          <p class="muted">{{ t('cohortReg.none') }}</p>
        }
        <p>
          <button type="button" class="btn btn--primary btn--small" [disabled]="!chosen().size || pending()" (click)="register()" [attr.data-testid]="'cohort-register-submit-' + sessionId()">{{ t('cohortReg.submit', { n: chosen().size }) }}</button>
        </p>
        @if (report(); as r) {
          <div role="status" [attr.data-testid]="'cohort-register-report-' + sessionId()">
            <p>{{ t('cohortReg.summary', { registered: r.registered, already: r.alreadyRegistered, refused: r.refused }) }}</p>
            <ul>
              @for (row of r.rows; track row.userId) {
                <li>{{ row.realName }}：{{ outcome(row.outcome) }}@if (row.ticketNumber) { （{{ t('cohortReg.ticket', { ticket: row.ticketNumber }) }}） }@for (x of row.reasons; track $index) { {{ reason(x) }} }</li>
              }
            </ul>
          </div>
        }
      </div>
    }
  `,
})
export class CohortRegistrationComponent extends Localized {
  private readonly http = inject(HttpClient);
  private readonly notifications = inject(NotificationService);
  readonly sessionId = input.required<number>();
  readonly changed = output<void>();
  protected readonly view = signal<SessionCandidatesView | null>(null);
  protected readonly chosen = signal<ReadonlySet<number>>(new Set());
  protected readonly report = signal<BulkRegistrationView | null>(null);
  protected readonly pending = signal(false);
  private readonly students = computed(() => (this.view()?.cohorts ?? []).flatMap((c) => c.students));

  protected reason(r: EligibilityReasonView): string {
    const { code, ...params } = r;
    return this.t(`problem.${code}`, params);
  }

  protected outcome(o: BulkRegistrationOutcome): string {
    return this.t(`cohortReg.outcome.${o}`);
  }

  protected load(): void {
    this.http.get<SessionCandidatesView>(`${API_V1}/exam-sessions/${this.sessionId()}/candidates`).subscribe({ next: (v) => this.view.set(v), error: (e) => this.notifications.error(e) });
  }

  protected toggle(userId: number): void {
    const next = new Set(this.chosen());
    if (next.has(userId)) next.delete(userId);
    else next.add(userId);
    this.chosen.set(next);
  }

  protected selectEligible(cohortId: number): void {
    const cohort = this.view()?.cohorts.find((c) => c.id === cohortId);
    const next = new Set(this.chosen());
    for (const s of cohort?.students ?? []) if (s.eligible && !s.registered) next.add(s.userId);
    this.chosen.set(next);
  }

  protected register(): void {
    const userIds = [...this.chosen()].filter((id) => this.students().some((s) => s.userId === id && !s.registered));
    if (!userIds.length) return;
    this.pending.set(true);
    this.http.post<BulkRegistrationView>(`${API_V1}/exam-sessions/${this.sessionId()}/registrations/bulk`, { userIds }).subscribe({
      next: (r) => {
        this.pending.set(false);
        this.report.set(r);
        this.chosen.set(new Set());
        this.load();
        this.changed.emit();
      },
      error: (e) => {
        this.pending.set(false);
        this.notifications.error(e);
      },
    });
  }
}

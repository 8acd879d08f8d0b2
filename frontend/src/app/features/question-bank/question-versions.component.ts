import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { NzTagModule } from 'ng-zorro-antd/tag';
import type { QuestionView } from '@aitrainer/contracts';
import type { Subscription } from 'rxjs';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import type { RemoteState } from '../../shared/util/remote';
import { QuestionBankApi } from './question-bank-api.service';

/** A question's versions, newest first: what each one asked and how it was answered. Versions never change. */
@Component({
  selector: 'app-question-versions',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzTagModule, RemoteViewComponent],
  template: `
    <section class="section-gap" data-testid="question-versions" [attr.aria-label]="t('bank.editor.history')">
      <app-remote-view [state]="state()" (retry)="load()">
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{{ t('bank.editor.history') }}</caption>
            <thead><tr><th scope="col">{{ t('bank.version') }}</th><th scope="col">{{ t('bank.stem') }}</th><th scope="col">{{ t('bank.editor.answer') }}</th><th scope="col">{{ t('bank.dutyArea') }}</th></tr></thead>
            <tbody>
              @for (v of newestFirst(); track v.versionId) {
                <tr [attr.data-testid]="'question-version-' + v.version">
                  <td>v{{ v.version }}@if (v.version === currentVersion()) { <nz-tag class="current">{{ t('bank.editor.current') }}</nz-tag> }</td>
                  <td>{{ v.content.stem }}</td>
                  <td>{{ answerText(v) }}</td>
                  <td>{{ v.tags.dutyArea }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </app-remote-view>
    </section>
  `,
})
export class QuestionVersionsComponent extends Localized {
  private readonly api = inject(QuestionBankApi);

  readonly questionId = input.required<number>();
  /** Loads again when the current version changes (after an edit). */
  readonly currentVersion = input<number | null>(null);

  protected readonly state = signal<RemoteState<QuestionView[]>>({ status: 'loading' });
  private subscription?: Subscription;

  constructor() {
    super();
    effect(() => {
      const id = this.questionId();
      this.currentVersion();
      untracked(() => this.load(id));
    });
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  protected load(id = this.questionId()): void {
    this.subscription?.unsubscribe();
    if (this.state().status !== 'ready') this.state.set({ status: 'loading' });
    this.subscription = this.api.versions(id).subscribe({
      next: (value) => this.state.set({ status: 'ready', value }),
      error: (e: unknown) => this.state.set({ status: 'error', problem: toApiProblem(e) }),
    });
  }

  protected newestFirst(): QuestionView[] {
    const s = this.state();
    return s.status === 'ready' ? [...s.value].reverse() : [];
  }

  protected answerText(v: QuestionView): string {
    const c = v.content;
    if (v.type === 'true_false') return c.answer === undefined ? '' : c.answer ? this.t('bank.editor.true') : this.t('bank.editor.false');
    if (c.correctKeys) return c.correctKeys.join(', ');
    if (c.acceptedAnswers) return c.acceptedAnswers.join(' / ');
    if (c.labellingExerciseId !== undefined) return `${this.t('bank.editor.exercise')} #${c.labellingExerciseId}`;
    if (c.promptTaskId !== undefined) return `${this.t('bank.editor.promptTask')} #${c.promptTaskId}`;
    return c.rubric ?? '';
  }
}

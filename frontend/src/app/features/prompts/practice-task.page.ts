import { ChangeDetectionStrategy, Component, DestroyRef, type ElementRef, computed, effect, inject, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { ActivatedRoute, RouterLink } from '@angular/router';
import type { PlaygroundResponse, PromptAnswerView } from '@aitrainer/contracts';
import { missingVariables } from '@aitrainer/domain';
import type { Subscription } from 'rxjs';
import { type ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import { problemMessage } from '../../core/notifications/problem-text';
import { LocalStore } from '../../core/storage/local-store';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { AnswerResultComponent } from './answer-result.component';
import { answerStatusText } from './prompt-labels';
import { PromptsApi } from './prompts-api.service';

const POLL_MS = 1500;
const POLL_LIMIT_MS = 10 * 60_000;

/** A student practises one prompt task: write, try on visible examples, submit, read the feedback. */
@Component({
  selector: 'app-practice-task-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzFormModule, NzInputModule, NzSelectModule, NzTagModule, RouterLink, RemoteViewComponent, AnswerResultComponent],
  templateUrl: './practice-task.page.html',
  styleUrl: './practice-task.page.css',
})
export class PracticeTaskPage extends Localized {
  private readonly api = inject(PromptsApi);
  private readonly store = inject(LocalStore);
  private readonly id = Number(inject(ActivatedRoute).snapshot.paramMap.get('id'));
  private readonly draftKey = `practice.prompt.${this.id}`;

  protected readonly view = remote(() => this.api.studentView(this.id));
  protected readonly answers = remote(() => this.api.myAnswers(this.id));

  protected readonly prompt = signal(this.store.get(this.draftKey) ?? '');
  protected readonly exampleIndex = signal(0);
  protected readonly running = signal(false);
  protected readonly run = signal<PlaygroundResponse | null>(null);
  protected readonly runProblem = signal<string | null>(null);
  private readonly runsLeftAfterRun = signal<number | null>(null);
  protected readonly submitting = signal(false);
  protected readonly submitProblem = signal<string | null>(null);
  protected readonly promptError = signal<string | null>(null);
  protected readonly current = signal<PromptAnswerView | null>(null);

  private readonly editor = viewChild<ElementRef<HTMLTextAreaElement>>('editor');
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private subscriptions: Subscription[] = [];

  protected readonly missing = computed(() => {
    const view = this.view.value();
    return view && this.prompt().trim() ? missingVariables(this.prompt(), view.variables) : [];
  });
  protected readonly runsLeft = computed(() => this.runsLeftAfterRun() ?? this.view.value()?.playgroundRunsLeftToday ?? 0);
  protected readonly example = computed(() => this.view.value()?.visibleExamples[this.exampleIndex()]);
  protected readonly exampleEntries = computed(() => Object.entries(this.example()?.input ?? {}));

  constructor() {
    super();
    effect(() => this.store.set(this.draftKey, this.prompt()));
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.pollTimer);
      this.subscriptions.forEach((s) => s.unsubscribe());
    });
  }

  protected token(variable: string): string {
    return `{{${variable}}}`;
  }

  protected statusText(answer: PromptAnswerView): string {
    return answerStatusText(this.i18n, answer.status);
  }

  protected onPrompt(event: Event): void {
    this.prompt.set((event.target as HTMLTextAreaElement).value);
    this.promptError.set(null);
  }

  /** Puts `{{name}}` where the cursor is. */
  protected insert(variable: string): void {
    const area = this.editor()?.nativeElement;
    const text = this.prompt();
    const at = area ? area.selectionStart : text.length;
    const end = area ? area.selectionEnd : text.length;
    const token = this.token(variable);
    this.prompt.set(text.slice(0, at) + token + text.slice(end));
    if (area) {
      area.value = this.prompt();
      area.focus();
      area.setSelectionRange(at + token.length, at + token.length);
    }
    this.promptError.set(null);
  }

  /** A failure in the words a student needs: the daily limit, the model being away, or a prompt problem. */
  private explain(problem: ApiProblem): string {
    if (problem.code === 'LIMIT_REACHED') return this.t('practice.limitReached');
    if (problem.code === 'SERVICE_UNAVAILABLE') return this.t('practice.llmUnavailable');
    const onPrompt = problem.fields.find((f) => f.field === 'prompt');
    if (onPrompt) {
      this.promptError.set(this.i18n.reason(onPrompt.problem));
      return this.t('practice.fixPrompt');
    }
    return problemMessage(problem, this.i18n);
  }

  protected tryIt(): void {
    if (this.running() || !this.prompt().trim()) return;
    this.running.set(true);
    this.runProblem.set(null);
    this.subscriptions.push(
      this.api.playground(this.id, { prompt: this.prompt(), exampleIndex: this.exampleIndex() }).subscribe({
        next: (result) => {
          this.running.set(false);
          this.run.set(result);
          this.runsLeftAfterRun.set(result.runsLeftToday);
        },
        error: (error: unknown) => {
          this.running.set(false);
          const problem = toApiProblem(error);
          if (problem.code === 'LIMIT_REACHED') this.runsLeftAfterRun.set(0);
          this.runProblem.set(this.explain(problem));
        },
      }),
    );
  }

  protected submit(): void {
    if (this.submitting() || !this.prompt().trim()) return;
    this.submitting.set(true);
    this.submitProblem.set(null);
    this.subscriptions.push(
      this.api.submit(this.id, this.prompt()).subscribe({
        next: (answer) => {
          this.submitting.set(false);
          this.show(answer);
          this.answers.reload();
        },
        error: (error: unknown) => {
          this.submitting.set(false);
          this.submitProblem.set(this.explain(toApiProblem(error)));
        },
      }),
    );
  }

  /** Shows an answer; one still grading is polled until it settles. */
  protected show(answer: PromptAnswerView): void {
    clearTimeout(this.pollTimer);
    this.current.set(answer);
    if (answer.status === 'grading') this.poll(answer.id, Date.now());
  }

  private poll(answerId: number, startedAt: number): void {
    this.pollTimer = setTimeout(() => {
      this.subscriptions.push(
        this.api.answer(answerId).subscribe({
          next: (answer) => {
            if (this.current()?.id !== answerId) return;
            this.current.set(answer);
            if (answer.status === 'grading' && Date.now() - startedAt < POLL_LIMIT_MS) this.poll(answerId, startedAt);
            else this.answers.reload();
          },
          error: () => {
            if (Date.now() - startedAt < POLL_LIMIT_MS) this.poll(answerId, startedAt);
          },
        }),
      );
    }, POLL_MS);
  }
}

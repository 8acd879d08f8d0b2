import { FormsModule } from '@angular/forms';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { DUTY_AREAS, DIFFICULTIES, OCCUPATION_CODE, QUESTION_TYPES, SKILL_LEVELS, type Difficulty, type DutyArea, type FieldProblem, type QuestionType, type QuestionView, type SkillLevel } from '@aitrainer/contracts';
import { toApiProblem } from '../../core/http/api-problem';
import { I18n } from '../../core/i18n/i18n.service';
import { ZH, type MessageKey } from '../../core/i18n/messages.zh';
import { problemMessage } from '../../core/notifications/problem-text';
import { FieldErrorComponent } from '../../shared/components/field-error.component';
import { remote } from '../../shared/util/remote';
import { QuestionBankApi } from './question-bank-api.service';
import { type DraftTags, type QuestionDraft, draftFromQuestion, draftToRequest, emptyDraft, isChoice, newOption, optionKey, problemKey, requestProblems } from './question-draft';
import { QuestionVersionsComponent } from './question-versions.component';

let nextEditorId = 1;

/**
 * Creates a question of any type, or edits one (saving makes a new version; the type cannot change). The server's
 * checks run here first; what the server still refuses is shown beside the field it names.
 */
@Component({
  selector: 'app-question-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FieldErrorComponent, FormsModule, NzCheckboxModule, NzRadioModule, NzSelectModule, QuestionVersionsComponent],
  styles: `
    .option-row { display: flex; gap: 0.5rem; align-items: center; margin-bottom: 0.5rem; }
    .option-row input[type='text'] { flex: 1; min-width: 0; }
    .option-key { font-weight: 600; min-width: 1.5rem; }
    .correct { display: inline-flex; gap: 0.25rem; align-items: center; white-space: nowrap; }
    .form-grid { align-items: start; }
    .versions { display: block; margin-bottom: 1rem; }
    .checks { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
    .checks label { display: inline-flex; gap: 0.35rem; align-items: center; }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
    fieldset { border: 0; padding: 0; margin: 0; }
    .field textarea { width: 100%; padding: 0.45rem 0.65rem; border: 1px solid var(--border); border-radius: var(--radius); background: var(--surface); color: var(--text); font: inherit; }
    .field textarea[aria-invalid='true'], .field select[aria-invalid='true'] { border-color: var(--danger); }
  `,
  template: `
    <form (submit)="$event.preventDefault(); save()" novalidate data-testid="question-editor" [attr.aria-labelledby]="id + '-heading'">
      <div class="card__head">
        @if (question(); as q) {
          <h2 [id]="id + '-heading'">{{ t('bank.editor.editTitle', { id: q.id }) }}</h2>
          <button type="button" class="btn btn--small" (click)="showHistory.set(!showHistory())" [attr.aria-expanded]="showHistory()" data-testid="question-history">{{ t('bank.editor.history') }}</button>
        } @else {
          <h2 [id]="id + '-heading'">{{ t('bank.editor.newTitle') }}</h2>
        }
      </div>
      @if (question(); as q) {
        <p class="banner banner--info" data-testid="question-new-version">{{ t('bank.editor.newVersion', { current: q.version, next: q.version + 1 }) }}</p>
        @if (showHistory()) {
          <app-question-versions class="versions" [questionId]="q.id" [currentVersion]="q.version" />
        }
      }
      <div class="form-grid">
        <div class="field">
          <label class="field__label" [for]="id + '-type'">{{ t('bank.type') }}</label>
          <nz-select [nzId]="id + '-type'" [ngModel]="d().type" (ngModelChange)="setType($event)" [ngModelOptions]="{ standalone: true }" [nzDisabled]="!!question()" [nzStatus]="err('type') ? 'error' : ''" data-testid="question-type">
            @for (ty of types; track ty) { <nz-option [nzValue]="ty" [nzLabel]="t(typeKey(ty))" /> }
          </nz-select>
          @if (question()) { <span class="field__help" [id]="id + '-type-help'">{{ t('bank.editor.typeFixed') }}</span> }
          @if (err('type'); as m) { <app-field-error [message]="m" data-testid="error-type" /> }
        </div>
        <label class="field form-grid__wide">
          <span class="field__label">{{ t('bank.stem') }}</span>
          <textarea rows="3" [value]="d().stem" (input)="patch({ stem: val($event) })" data-testid="question-stem" [attr.aria-invalid]="!!err('content.stem')" [attr.aria-describedby]="err('content.stem') ? id + '-stem-error' : null"></textarea>
          @if (err('content.stem'); as m) { <app-field-error [id]="id + '-stem-error'" [message]="m" data-testid="error-content.stem" /> }
        </label>

        @switch (d().type) {
          @case ('true_false') {
            <fieldset class="field form-grid__wide" [attr.aria-invalid]="!!err('content.answer')">
              <legend class="field__label">{{ t('bank.editor.answer') }}</legend>
              <nz-radio-group class="checks" [ngModel]="d().answer" (ngModelChange)="patch({ answer: $event })" [nzName]="id + '-tf'">
                <label nz-radio class="correct" [nzValue]="true" data-testid="question-option-correct-1">{{ t('bank.editor.true') }}</label>
                <label nz-radio class="correct" [nzValue]="false" data-testid="question-option-correct-2">{{ t('bank.editor.false') }}</label>
              </nz-radio-group>
              @if (err('content.answer'); as m) { <app-field-error [message]="m" data-testid="error-content.answer" /> }
            </fieldset>
          }
          @case ('fill_blank') {
            <label class="field form-grid__wide">
              <span class="field__label">{{ t('bank.editor.accepted') }}</span>
              <textarea rows="3" [value]="d().accepted" (input)="patch({ accepted: val($event) })" data-testid="question-accepted" [attr.aria-describedby]="id + '-accepted-help'" [attr.aria-invalid]="!!err('content.acceptedAnswers')"></textarea>
              <span class="field__help" [id]="id + '-accepted-help'">{{ t('bank.editor.acceptedHelp') }}</span>
              @if (err('content.acceptedAnswers'); as m) { <app-field-error [message]="m" data-testid="error-content.acceptedAnswers" /> }
            </label>
          }
          @case ('numerical') {
            <label class="field form-grid__wide">
              <span class="field__label">{{ t('bank.editor.numeric') }}</span>
              <textarea rows="3" [value]="d().numeric" (input)="patch({ numeric: val($event) })" data-testid="question-numeric" [attr.aria-describedby]="id + '-numeric-help'" [attr.aria-invalid]="!!err('content.numericAnswers')"></textarea>
              <span class="field__help" [id]="id + '-numeric-help'">{{ t('bank.editor.numericHelp') }}</span>
              @if (err('content.numericAnswers'); as m) { <app-field-error [message]="m" data-testid="error-content.numericAnswers" /> }
            </label>
          }
          @case ('matching') {
            <label class="field form-grid__wide">
              <span class="field__label">{{ t('bank.editor.pairs') }}</span>
              <textarea rows="5" [value]="d().pairs" (input)="patch({ pairs: val($event) })" data-testid="question-pairs" [attr.aria-describedby]="id + '-pairs-help'" [attr.aria-invalid]="!!err('content.pairs')"></textarea>
              <span class="field__help" [id]="id + '-pairs-help'">{{ t('bank.editor.pairsHelp') }}</span>
              @if (err('content.pairs'); as m) { <app-field-error [message]="m" data-testid="error-content.pairs" /> }
            </label>
          }
          @case ('short_answer') {
            <label class="field form-grid__wide">
              <span class="field__label">{{ t('bank.editor.rubric') }}</span>
              <textarea rows="4" [value]="d().rubric" (input)="patch({ rubric: val($event) })" data-testid="question-rubric" [attr.aria-describedby]="id + '-rubric-help'"></textarea>
              <span class="field__help" [id]="id + '-rubric-help'">{{ t('bank.editor.rubricHelp') }}</span>
            </label>
          }
          @case ('labelling') {
            <div class="field form-grid__wide">
              <label class="field__label" [for]="id + '-exercise'">{{ t('bank.editor.exercise') }}</label>
              <nz-select [nzId]="id + '-exercise'" [ngModel]="d().exerciseId" (ngModelChange)="patch({ exerciseId: $event })" [ngModelOptions]="{ standalone: true }" nzShowSearch [nzLoading]="exercises.state().status === 'loading'" [nzPlaceHolder]="exercises.state().status === 'loading' ? t('common.loading') : t('bank.editor.choose')" [nzStatus]="err('content.labellingExerciseId') ? 'error' : ''" data-testid="question-exercise">
                @for (ex of exercises.value() ?? []; track ex.id) {
                  <nz-option [nzValue]="ex.id" [nzLabel]="ex.title + ' (#' + ex.id + (ex.status === 'draft' ? ' · ' + t('bank.editor.draft') : '') + ')'" />
                }
              </nz-select>
              @if (exercises.value()?.length === 0) { <span class="field__help">{{ t('bank.editor.noExercises') }}</span> }
              @if (exercises.state().status === 'error') { <span class="field__help">{{ t('bank.editor.listFailed') }}</span> }
              @if (err('content.labellingExerciseId'); as m) { <app-field-error [message]="m" data-testid="error-content.labellingExerciseId" /> }
            </div>
          }
          @case ('prompt_task') {
            <div class="field form-grid__wide">
              <label class="field__label" [for]="id + '-prompt-task'">{{ t('bank.editor.promptTask') }}</label>
              <nz-select [nzId]="id + '-prompt-task'" [ngModel]="d().promptTaskId" (ngModelChange)="patch({ promptTaskId: $event })" [ngModelOptions]="{ standalone: true }" nzShowSearch [nzLoading]="promptTasks.state().status === 'loading'" [nzPlaceHolder]="promptTasks.state().status === 'loading' ? t('common.loading') : t('bank.editor.choose')" [nzStatus]="err('content.promptTaskId') ? 'error' : ''" data-testid="question-prompt-task">
                @for (task of promptTasks.value() ?? []; track task.id) {
                  <nz-option [nzValue]="task.id" [nzLabel]="task.title + ' (#' + task.id + (task.status === 'draft' ? ' · ' + t('bank.editor.draft') : '') + ')'" />
                }
              </nz-select>
              @if (promptTasks.value()?.length === 0) { <span class="field__help">{{ t('bank.editor.noPromptTasks') }}</span> }
              @if (promptTasks.state().status === 'error') { <span class="field__help">{{ t('bank.editor.listFailed') }}</span> }
              @if (err('content.promptTaskId'); as m) { <app-field-error [message]="m" data-testid="error-content.promptTaskId" /> }
            </div>
          }
        }

        @if (choice()) {
          <fieldset class="field form-grid__wide">
            <legend class="field__label">{{ t('bank.editor.options') }}</legend>
            <p class="field__help">{{ d().type === 'single_choice' ? t('bank.editor.markOne') : t('bank.editor.markSome') }}</p>
            @for (o of d().options; track o.uid; let i = $index) {
              <div class="option-row">
                <label class="option-key" [for]="id + '-option-' + o.uid"><span aria-hidden="true">{{ key(i) }}</span><span class="visually-hidden">{{ t('bank.editor.optionText', { key: key(i) }) }}</span></label>
                <input type="text" [id]="id + '-option-' + o.uid" [value]="o.text" (input)="setOptionText(i, val($event))" [attr.data-testid]="'question-option-' + (i + 1)" [attr.aria-invalid]="!!err('content.options[' + i + '].text')" />
                @if (d().type === 'single_choice') {
                  <label nz-radio class="correct" [ngModel]="o.correct" (ngModelChange)="markCorrect(i, $event)" [attr.data-testid]="'question-option-correct-' + (i + 1)">{{ t('bank.editor.correct') }}<span class="visually-hidden"> {{ key(i) }}</span></label>
                } @else {
                  <label nz-checkbox class="correct" [nzChecked]="o.correct" (nzCheckedChange)="markCorrect(i, $event)" [attr.data-testid]="'question-option-correct-' + (i + 1)">{{ t('bank.editor.correct') }}<span class="visually-hidden"> {{ key(i) }}</span></label>
                }
                <button type="button" class="btn btn--small btn--ghost" (click)="removeOption(i)" [disabled]="d().options.length <= 2" [attr.aria-label]="t('bank.editor.removeOption', { key: key(i) })" [attr.data-testid]="'question-remove-option-' + (i + 1)">✕</button>
              </div>
              @if (err('content.options[' + i + '].text'); as m) { <app-field-error [message]="m" [attr.data-testid]="'error-content.options[' + i + '].text'" /> }
            }
            <p><button type="button" class="btn btn--small" (click)="addOption()" data-testid="question-add-option">{{ t('bank.editor.addOption') }}</button></p>
            @if (err('content.options'); as m) { <app-field-error [message]="m" data-testid="error-content.options" /> }
            @if (err('content.correctKeys'); as m) { <app-field-error [message]="m" data-testid="error-content.correctKeys" /> }
          </fieldset>
          @if (d().type === 'multiple_choice') {
            <div class="field">
              <label class="field__label" [for]="id + '-scoring'">{{ t('bank.editor.scoring') }}</label>
              <nz-select [nzId]="id + '-scoring'" [ngModel]="d().multipleScoring" (ngModelChange)="patch({ multipleScoring: $event })" [ngModelOptions]="{ standalone: true }" data-testid="question-multiple-scoring">
                <nz-option nzValue="all_or_nothing" [nzLabel]="t('bank.editor.allOrNothing')" />
                <nz-option nzValue="partial" [nzLabel]="t('bank.editor.partial')" />
                @if (d().base?.options?.some(hasWeight)) { <nz-option nzValue="weighted" [nzLabel]="t('bank.editor.weighted')" /> }
              </nz-select>
            </div>
          }
        }

        <label class="field form-grid__wide">
          <span class="field__label">{{ t('bank.editor.feedback') }}</span>
          <textarea rows="2" [value]="d().feedback" (input)="patch({ feedback: val($event) })" data-testid="question-feedback"></textarea>
        </label>

        <label class="field">
          <span class="field__label">{{ t('bank.editor.occupation') }}</span>
          <input type="text" [value]="occupation" readonly data-testid="question-occupation" />
        </label>
        <fieldset class="field" [attr.aria-invalid]="!!err('tags.levels')">
          <legend class="field__label">{{ t('bank.level') }}</legend>
          <div class="checks">
            @for (l of levels; track l) {
              <label nz-checkbox [nzChecked]="d().levels.includes(l)" (nzCheckedChange)="toggleLevel(l, $event)" [attr.data-testid]="'question-level-' + l">{{ t(levelKey(l)) }}</label>
            }
          </div>
          @if (err('tags.levels'); as m) { <app-field-error [message]="m" data-testid="error-tags.levels" /> }
        </fieldset>
        <label class="field">
          <span class="field__label">{{ t('bank.dutyArea') }}</span>
          <input type="text" [value]="d().dutyArea" (input)="patch({ dutyArea: val($event) })" [attr.list]="id + '-duty-areas'" maxlength="100" data-testid="question-duty-area" [attr.aria-invalid]="!!err('tags.dutyArea')" />
          <datalist [id]="id + '-duty-areas'">
            @for (a of dutyAreas; track a) { <option [value]="dutyAreaName(a)"></option> }
          </datalist>
          @if (err('tags.dutyArea'); as m) { <app-field-error [message]="m" data-testid="error-tags.dutyArea" /> }
        </label>
        <label class="field">
          <span class="field__label">{{ t('bank.knowledgePoint') }}</span>
          <input type="text" [value]="d().knowledgePoint" (input)="patch({ knowledgePoint: val($event) })" maxlength="200" data-testid="question-knowledge-point" />
          @if (err('tags.knowledgePoint'); as m) { <app-field-error [message]="m" data-testid="error-tags.knowledgePoint" /> }
        </label>
        <div class="field">
          <label class="field__label" [for]="id + '-difficulty'">{{ t('bank.difficulty') }}</label>
          <nz-select [nzId]="id + '-difficulty'" [ngModel]="d().difficulty" (ngModelChange)="patch({ difficulty: $event })" [ngModelOptions]="{ standalone: true }" data-testid="question-difficulty">
            @for (df of difficulties; track df) { <nz-option [nzValue]="df" [nzLabel]="t(diffKey(df))" /> }
          </nz-select>
        </div>
      </div>
      @if (summary(); as s) { <p class="banner banner--error" role="alert" tabindex="-1" data-testid="question-error">{{ s }}</p> }
      <p class="actions section-gap">
        <button type="submit" class="btn btn--primary" [disabled]="saving()" data-testid="question-save">{{ saving() ? t('bank.editor.saving') : question() ? t('bank.editor.saveVersion') : t('bank.editor.create') }}</button>
        <button type="button" class="btn" (click)="cancelled.emit()" data-testid="question-cancel">{{ t('bank.editor.cancel') }}</button>
      </p>
    </form>
  `,
})
export class QuestionEditorComponent {
  private readonly i18n = inject(I18n);
  private readonly api = inject(QuestionBankApi);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly t = this.i18n.t;
  protected readonly id = `question-editor-${nextEditorId++}`;

  /** The question to edit; null creates a new one. */
  readonly question = input<QuestionView | null>(null);
  /** Tags to start a new question with (the last ones used). */
  readonly startTags = input<DraftTags | null>(null);
  readonly saved = output<QuestionView>();
  readonly cancelled = output<void>();

  protected readonly types = QUESTION_TYPES;
  protected readonly levels = SKILL_LEVELS;
  protected readonly difficulties = DIFFICULTIES;
  protected readonly dutyAreas = DUTY_AREAS;
  protected readonly occupation = OCCUPATION_CODE;

  protected readonly d = signal<QuestionDraft>(emptyDraft());
  protected readonly choice = computed(() => isChoice(this.d().type));
  protected readonly saving = signal(false);
  protected readonly showHistory = signal(false);
  /** Field problems (server field names), from the local check or the server's 400. */
  private readonly problems = signal<readonly FieldProblem[]>([]);
  private readonly failure = signal<string | null>(null);

  protected readonly exercises = remote(() => this.api.labellingExercises());
  protected readonly promptTasks = remote(() => this.api.promptTasks());

  private readonly errors = computed(() => {
    const map: Record<string, string> = {};
    for (const p of this.problems()) {
      const key = problemKey(p.problem);
      const text = key ? this.t(key) : this.i18n.reason(p.problem);
      map[p.field] = map[p.field] ? `${map[p.field]}；${text}` : text;
    }
    return map;
  });
  protected readonly summary = computed(() => this.failure() ?? (this.problems().length ? this.t('bank.editor.fixFields') : null));

  constructor() {
    effect(() => {
      const q = this.question();
      const tags = this.startTags();
      untracked(() => {
        this.d.set(q ? draftFromQuestion(q) : emptyDraft(tags ?? undefined));
        this.problems.set([]);
        this.failure.set(null);
        this.showHistory.set(false);
      });
    });
  }

  protected err(field: string): string | null {
    return this.errors()[field] ?? null;
  }
  protected key(i: number): string {
    return optionKey(i);
  }
  protected readonly hasWeight = (o: { weight?: number }) => o.weight !== undefined;
  protected typeKey(type: QuestionType): MessageKey {
    return `exams.type.${type}` as MessageKey;
  }
  protected diffKey(d: Difficulty): MessageKey {
    return `bank.difficulty.${d}` as MessageKey;
  }
  protected levelKey(l: SkillLevel): MessageKey {
    return `level.${l}` as MessageKey;
  }
  /** Bank tags hold duty areas by their Chinese names, as the national standard writes them, whatever the UI language. */
  protected dutyAreaName(area: DutyArea): string {
    return ZH[`duty.${area}`];
  }
  protected val(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  /** A field's problem goes away once it is edited. */
  protected patch(change: Partial<QuestionDraft>): void {
    this.d.update((d) => ({ ...d, ...change }));
    this.forget(Object.keys(change).flatMap((k) => FIELDS_OF[k] ?? []));
  }
  protected setType(value: string): void {
    const type = (QUESTION_TYPES as readonly string[]).includes(value) ? (value as QuestionType) : 'single_choice';
    this.d.update((d) => ({ ...d, type, options: type === 'single_choice' && d.options.filter((o) => o.correct).length > 1 ? d.options.map((o) => ({ ...o, correct: false })) : d.options }));
    this.problems.set([]);
  }
  protected setOptionText(i: number, text: string): void {
    this.d.update((d) => ({ ...d, options: d.options.map((o, j) => (j === i ? { ...o, text } : o)) }));
    this.forget([`content.options[${i}].text`, 'content.options']);
  }
  protected markCorrect(i: number, on: boolean): void {
    const single = this.d().type === 'single_choice';
    this.d.update((d) => ({ ...d, options: d.options.map((o, j) => (j === i ? { ...o, correct: on } : single && on ? { ...o, correct: false } : o)) }));
    this.forget(['content.correctKeys']);
  }
  protected addOption(): void {
    this.d.update((d) => ({ ...d, options: [...d.options, newOption()] }));
    this.forget(['content.options']);
    // Keyboard users continue in the new option's text box.
    const n = this.d().options.length;
    setTimeout(() => this.host.nativeElement.querySelector<HTMLInputElement>(`[data-testid="question-option-${n}"]`)?.focus());
  }
  protected removeOption(i: number): void {
    this.d.update((d) => ({ ...d, options: d.options.filter((_, j) => j !== i) }));
    // Option problems are named by position, which has just changed.
    this.problems.update((ps) => ps.filter((p) => !p.field.startsWith('content.options') && p.field !== 'content.correctKeys'));
  }
  protected toggleLevel(level: SkillLevel, on: boolean): void {
    this.d.update((d) => ({ ...d, levels: on ? [...new Set([...d.levels, level])] : d.levels.filter((l) => l !== level) }));
    this.forget(['tags.levels']);
  }

  protected save(): void {
    if (this.saving()) return;
    const request = draftToRequest(this.d());
    const local = requestProblems(request);
    this.failure.set(null);
    this.problems.set(local);
    if (local.length) {
      this.focusFirstProblem();
      return;
    }
    this.saving.set(true);
    const q = this.question();
    (q ? this.api.update(q.id, request) : this.api.create(request)).subscribe({
      next: (view) => {
        this.saving.set(false);
        this.saved.emit(view);
      },
      error: (e: unknown) => {
        this.saving.set(false);
        const problem = toApiProblem(e);
        this.problems.set(problem.fields);
        if (!problem.fields.length) this.failure.set(problemMessage(problem, this.i18n));
        else this.focusFirstProblem();
      },
    });
  }

  private forget(fields: readonly string[]): void {
    if (!fields.length) return;
    this.problems.update((ps) => (ps.some((p) => fields.includes(p.field)) ? ps.filter((p) => !fields.includes(p.field)) : ps));
    this.failure.set(null);
  }

  private focusFirstProblem(): void {
    setTimeout(() => this.host.nativeElement.querySelector<HTMLElement>('input[aria-invalid="true"], textarea[aria-invalid="true"], select[aria-invalid="true"], [data-testid="question-error"]')?.focus());
  }
}

/** Which server field names a draft property stands for. */
const FIELDS_OF: Readonly<Record<string, readonly string[]>> = {
  stem: ['content.stem'],
  answer: ['content.answer'],
  accepted: ['content.acceptedAnswers'],
  rubric: ['content.rubric'],
  exerciseId: ['content.labellingExerciseId'],
  promptTaskId: ['content.promptTaskId'],
  dutyArea: ['tags.dutyArea'],
  knowledgePoint: ['tags.knowledgePoint'],
  difficulty: ['tags.difficulty'],
};

import { FormsModule } from '@angular/forms';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { DUTY_AREAS, DIFFICULTIES, OCCUPATION_CODE, QUESTION_TYPES, SKILL_LEVELS, type Difficulty, type DutyArea, type FieldProblem, type QuestionType, type QuestionView, type SkillLevel } from '@aitrainer/contracts';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import { ZH, type MessageKey } from '../../core/i18n/messages.zh';
import { problemMessage } from '../../core/notifications/problem-text';
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
  imports: [FormsModule, NzCheckboxModule, NzFormModule, NzInputModule, NzRadioModule, NzSelectModule, QuestionVersionsComponent],
  styles: `
    .option-row { display: flex; gap: 0.5rem; align-items: center; }
    .option-row input[type='text'] { flex: 1; min-width: 0; }
    nz-form-item { margin-bottom: 0; }
    nz-form-item.option { margin-bottom: 0.5rem; }
    .option-key { font-weight: 600; min-width: 1.5rem; }
    .correct { display: inline-flex; gap: 0.25rem; align-items: center; white-space: nowrap; }
    .form-grid { align-items: start; }
    .versions { display: block; margin-bottom: 1rem; }
    .checks { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
    .checks label { display: inline-flex; gap: 0.35rem; align-items: center; }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
  `,
  template: `
    <form nz-form nzLayout="vertical" (submit)="$event.preventDefault(); save()" novalidate data-testid="question-editor" [attr.aria-labelledby]="id + '-heading'">
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
        <nz-form-item>
          <nz-form-label [nzFor]="id + '-type'">{{ t('bank.type') }}</nz-form-label>
          <nz-form-control [nzValidateStatus]="status('type')" [nzErrorTip]="typeTip" [nzExtra]="question() ? t('bank.editor.typeFixed') : ''">
            <nz-select [nzId]="id + '-type'" [ngModel]="d().type" (ngModelChange)="setType($event)" [ngModelOptions]="{ standalone: true }" [nzDisabled]="!!question()" data-testid="question-type">
              @for (ty of types; track ty) { <nz-option [nzValue]="ty" [nzLabel]="t(typeKey(ty))" /> }
            </nz-select>
            <ng-template #typeTip><span data-testid="error-type">{{ err('type') }}</span></ng-template>
          </nz-form-control>
        </nz-form-item>
        <nz-form-item class="form-grid__wide">
          <nz-form-label [nzFor]="id + '-stem'">{{ t('bank.stem') }}</nz-form-label>
          <nz-form-control [nzValidateStatus]="status('content.stem')" [nzErrorTip]="stemTip">
            <textarea nz-input [id]="id + '-stem'" rows="3" [value]="d().stem" (input)="patch({ stem: val($event) })" data-testid="question-stem" [attr.aria-invalid]="!!err('content.stem')" [attr.aria-describedby]="err('content.stem') ? id + '-stem-error' : null"></textarea>
            <ng-template #stemTip><span [id]="id + '-stem-error'" data-testid="error-content.stem">{{ err('content.stem') }}</span></ng-template>
          </nz-form-control>
        </nz-form-item>

        @if (d().type === 'true_false') {
          <nz-form-item class="form-grid__wide">
            <nz-form-label [id]="id + '-tf-label'">{{ t('bank.editor.answer') }}</nz-form-label>
            <nz-form-control [nzValidateStatus]="status('content.answer')" [nzErrorTip]="answerTip">
              <nz-radio-group class="checks" role="radiogroup" [attr.aria-labelledby]="id + '-tf-label'" [attr.aria-invalid]="!!err('content.answer')" [ngModel]="d().answer" (ngModelChange)="patch({ answer: $event })" [nzName]="id + '-tf'">
                <label nz-radio class="correct" [nzValue]="true" data-testid="question-option-correct-1">{{ t('bank.editor.true') }}</label>
                <label nz-radio class="correct" [nzValue]="false" data-testid="question-option-correct-2">{{ t('bank.editor.false') }}</label>
              </nz-radio-group>
              <ng-template #answerTip><span data-testid="error-content.answer">{{ err('content.answer') }}</span></ng-template>
            </nz-form-control>
          </nz-form-item>
        }
        @if (textAnswer(); as a) {
          <nz-form-item class="form-grid__wide">
            <nz-form-label [nzFor]="id + '-' + a.prop">{{ t(a.label) }}</nz-form-label>
            <nz-form-control [nzValidateStatus]="status(a.field)" [nzErrorTip]="textTip" [nzExtra]="t(a.help)">
              <textarea nz-input [id]="id + '-' + a.prop" [rows]="a.rows" [value]="d()[a.prop]" (input)="setText(a.prop, val($event))" [attr.data-testid]="a.testId" [attr.aria-invalid]="!!err(a.field)"></textarea>
              <ng-template #textTip><span [attr.data-testid]="'error-' + a.field">{{ err(a.field) }}</span></ng-template>
            </nz-form-control>
          </nz-form-item>
        }
        @if (linked(); as l) {
          <nz-form-item class="form-grid__wide">
            <nz-form-label [nzFor]="id + '-' + l.prop">{{ t(l.label) }}</nz-form-label>
            <nz-form-control [nzValidateStatus]="status(l.field)" [nzErrorTip]="linkedTip" [nzExtra]="l.list.value()?.length === 0 ? t(l.none) : l.list.state().status === 'error' ? t('bank.editor.listFailed') : ''">
              <nz-select [nzId]="id + '-' + l.prop" [ngModel]="d()[l.prop]" (ngModelChange)="setLinked(l.prop, $event)" [ngModelOptions]="{ standalone: true }" nzShowSearch [nzLoading]="l.list.state().status === 'loading'" [nzPlaceHolder]="l.list.state().status === 'loading' ? t('common.loading') : t('bank.editor.choose')" [attr.data-testid]="l.testId">
                @for (item of l.list.value() ?? []; track item.id) {
                  <nz-option [nzValue]="item.id" [nzLabel]="item.title + ' (#' + item.id + (item.status === 'draft' ? ' · ' + t('bank.editor.draft') : '') + ')'" />
                }
              </nz-select>
              <ng-template #linkedTip><span [attr.data-testid]="'error-' + l.field">{{ err(l.field) }}</span></ng-template>
            </nz-form-control>
          </nz-form-item>
        }

        @if (choice()) {
          <nz-form-item class="form-grid__wide">
            <nz-form-label [id]="id + '-options-label'">{{ t('bank.editor.options') }}</nz-form-label>
            <nz-form-control [nzValidateStatus]="err('content.options') || err('content.correctKeys') ? 'error' : ''" [nzErrorTip]="optionsTip" [nzExtra]="d().type === 'single_choice' ? t('bank.editor.markOne') : t('bank.editor.markSome')">
              <div role="group" [attr.aria-labelledby]="id + '-options-label'">
                @for (o of d().options; track o.uid; let i = $index) {
                  <nz-form-item class="option">
                    <nz-form-control [nzValidateStatus]="status(optionField(i))" [nzErrorTip]="optionTip">
                      <div class="option-row">
                        <label class="option-key" [for]="id + '-option-' + o.uid"><span aria-hidden="true">{{ key(i) }}</span><span class="visually-hidden">{{ t('bank.editor.optionText', { key: key(i) }) }}</span></label>
                        <input nz-input type="text" [id]="id + '-option-' + o.uid" [value]="o.text" (input)="setOptionText(i, val($event))" [attr.data-testid]="'question-option-' + (i + 1)" [attr.aria-invalid]="!!err(optionField(i))" />
                        @if (d().type === 'single_choice') {
                          <label nz-radio class="correct" [ngModel]="o.correct" (ngModelChange)="markCorrect(i, $event)" [attr.data-testid]="'question-option-correct-' + (i + 1)">{{ t('bank.editor.correct') }}<span class="visually-hidden"> {{ key(i) }}</span></label>
                        } @else {
                          <label nz-checkbox class="correct" [nzChecked]="o.correct" (nzCheckedChange)="markCorrect(i, $event)" [attr.data-testid]="'question-option-correct-' + (i + 1)">{{ t('bank.editor.correct') }}<span class="visually-hidden"> {{ key(i) }}</span></label>
                        }
                        <button type="button" class="btn btn--small btn--ghost" (click)="removeOption(i)" [disabled]="d().options.length <= 2" [attr.aria-label]="t('bank.editor.removeOption', { key: key(i) })" [attr.data-testid]="'question-remove-option-' + (i + 1)">✕</button>
                      </div>
                      <ng-template #optionTip><span [attr.data-testid]="'error-' + optionField(i)">{{ err(optionField(i)) }}</span></ng-template>
                    </nz-form-control>
                  </nz-form-item>
                }
                <p><button type="button" class="btn btn--small" (click)="addOption()" data-testid="question-add-option">{{ t('bank.editor.addOption') }}</button></p>
              </div>
              <ng-template #optionsTip>
                @for (f of optionGroupFields; track f) { @if (err(f); as m) { <div [attr.data-testid]="'error-' + f">{{ m }}</div> } }
              </ng-template>
            </nz-form-control>
          </nz-form-item>
          @if (d().type === 'multiple_choice') {
            <nz-form-item>
              <nz-form-label [nzFor]="id + '-scoring'">{{ t('bank.editor.scoring') }}</nz-form-label>
              <nz-form-control>
                <nz-select [nzId]="id + '-scoring'" [ngModel]="d().multipleScoring" (ngModelChange)="patch({ multipleScoring: $event })" [ngModelOptions]="{ standalone: true }" data-testid="question-multiple-scoring">
                  <nz-option nzValue="all_or_nothing" [nzLabel]="t('bank.editor.allOrNothing')" />
                  <nz-option nzValue="partial" [nzLabel]="t('bank.editor.partial')" />
                  @if (d().base?.options?.some(hasWeight)) { <nz-option nzValue="weighted" [nzLabel]="t('bank.editor.weighted')" /> }
                </nz-select>
              </nz-form-control>
            </nz-form-item>
          }
        }

        <nz-form-item class="form-grid__wide">
          <nz-form-label [nzFor]="id + '-feedback'">{{ t('bank.editor.feedback') }}</nz-form-label>
          <nz-form-control>
            <textarea nz-input [id]="id + '-feedback'" rows="2" [value]="d().feedback" (input)="patch({ feedback: val($event) })" data-testid="question-feedback"></textarea>
          </nz-form-control>
        </nz-form-item>

        <nz-form-item>
          <nz-form-label [nzFor]="id + '-occupation'">{{ t('bank.editor.occupation') }}</nz-form-label>
          <nz-form-control>
            <input nz-input [id]="id + '-occupation'" type="text" [value]="occupation" readonly data-testid="question-occupation" />
          </nz-form-control>
        </nz-form-item>
        <nz-form-item>
          <nz-form-label [id]="id + '-levels-label'">{{ t('bank.level') }}</nz-form-label>
          <nz-form-control [nzValidateStatus]="status('tags.levels')" [nzErrorTip]="levelsTip">
            <div class="checks" role="group" [attr.aria-labelledby]="id + '-levels-label'" [attr.aria-invalid]="!!err('tags.levels')">
              @for (l of levels; track l) {
                <label nz-checkbox [nzChecked]="d().levels.includes(l)" (nzCheckedChange)="toggleLevel(l, $event)" [attr.data-testid]="'question-level-' + l">{{ t(levelKey(l)) }}</label>
              }
            </div>
            <ng-template #levelsTip><span data-testid="error-tags.levels">{{ err('tags.levels') }}</span></ng-template>
          </nz-form-control>
        </nz-form-item>
        @for (f of tagFields; track f.prop) {
          <nz-form-item>
            <nz-form-label [nzFor]="id + '-' + f.prop">{{ t(f.label) }}</nz-form-label>
            <nz-form-control [nzValidateStatus]="status(f.field)" [nzErrorTip]="tagTip">
              <input nz-input [id]="id + '-' + f.prop" type="text" [value]="d()[f.prop]" (input)="setText(f.prop, val($event))" [attr.list]="f.suggest ? id + '-duty-areas' : null" [attr.maxlength]="f.max" [attr.data-testid]="f.testId" [attr.aria-invalid]="!!err(f.field)" />
              <ng-template #tagTip><span [attr.data-testid]="'error-' + f.field">{{ err(f.field) }}</span></ng-template>
            </nz-form-control>
          </nz-form-item>
        }
        <datalist [id]="id + '-duty-areas'">
          @for (a of dutyAreas; track a) { <option [value]="dutyAreaName(a)"></option> }
        </datalist>
        <nz-form-item>
          <nz-form-label [nzFor]="id + '-difficulty'">{{ t('bank.difficulty') }}</nz-form-label>
          <nz-form-control>
            <nz-select [nzId]="id + '-difficulty'" [ngModel]="d().difficulty" (ngModelChange)="patch({ difficulty: $event })" [ngModelOptions]="{ standalone: true }" data-testid="question-difficulty">
              @for (df of difficulties; track df) { <nz-option [nzValue]="df" [nzLabel]="t(diffKey(df))" /> }
            </nz-select>
          </nz-form-control>
        </nz-form-item>
      </div>
      @if (summary(); as s) { <p class="banner banner--error" role="alert" tabindex="-1" data-testid="question-error">{{ s }}</p> }
      <p class="actions section-gap">
        <button type="submit" class="btn btn--primary" [disabled]="saving()" data-testid="question-save">{{ saving() ? t('bank.editor.saving') : question() ? t('bank.editor.saveVersion') : t('bank.editor.create') }}</button>
        <button type="button" class="btn" (click)="cancelled.emit()" data-testid="question-cancel">{{ t('bank.editor.cancel') }}</button>
      </p>
    </form>
  `,
})
export class QuestionEditorComponent extends Localized {
  private readonly api = inject(QuestionBankApi);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
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
  /** The answer box of a type answered in free text, if the type is one. */
  protected readonly textAnswer = computed(() => TEXT_ANSWERS[this.d().type] ?? null);
  /** The labelling exercise or prompt task a question of those types points at. */
  protected readonly linked = computed(() => {
    const type = this.d().type;
    if (type === 'labelling') return { ...LINKED.labelling, list: this.exercises };
    if (type === 'prompt_task') return { ...LINKED.prompt_task, list: this.promptTasks };
    return null;
  });
  protected readonly tagFields = TAG_FIELDS;
  protected readonly optionGroupFields = ['content.options', 'content.correctKeys'] as const;
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
    super();
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
  protected status(field: string): 'error' | '' {
    return this.errors()[field] ? 'error' : '';
  }
  protected optionField(i: number): string {
    return `content.options[${i}].text`;
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
  protected setText(prop: TextProp, value: string): void {
    this.patch({ [prop]: value });
  }
  protected setLinked(prop: 'exerciseId' | 'promptTaskId', value: number | null): void {
    this.patch({ [prop]: value });
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

/** The draft's free-text properties. */
type TextProp = 'accepted' | 'numeric' | 'pairs' | 'rubric' | 'dutyArea' | 'knowledgePoint';

interface TextField {
  prop: TextProp;
  /** The server's name for it, which its problems carry. */
  field: string;
  label: MessageKey;
  testId: string;
}

/** The answer of the types answered in free text: one entry a line, as the help says. */
const TEXT_ANSWERS: Partial<Record<QuestionType, TextField & { help: MessageKey; rows: number }>> = {
  fill_blank: { prop: 'accepted', field: 'content.acceptedAnswers', label: 'bank.editor.accepted', help: 'bank.editor.acceptedHelp', rows: 3, testId: 'question-accepted' },
  numerical: { prop: 'numeric', field: 'content.numericAnswers', label: 'bank.editor.numeric', help: 'bank.editor.numericHelp', rows: 3, testId: 'question-numeric' },
  matching: { prop: 'pairs', field: 'content.pairs', label: 'bank.editor.pairs', help: 'bank.editor.pairsHelp', rows: 5, testId: 'question-pairs' },
  short_answer: { prop: 'rubric', field: 'content.rubric', label: 'bank.editor.rubric', help: 'bank.editor.rubricHelp', rows: 4, testId: 'question-rubric' },
};

/** The free-text tags; the duty area suggests the standard's names. */
const TAG_FIELDS: readonly (TextField & { max: number; suggest?: boolean })[] = [
  { prop: 'dutyArea', field: 'tags.dutyArea', label: 'bank.dutyArea', testId: 'question-duty-area', max: 100, suggest: true },
  { prop: 'knowledgePoint', field: 'tags.knowledgePoint', label: 'bank.knowledgePoint', testId: 'question-knowledge-point', max: 200 },
];

/** The choice of what a labelling or prompt-task question points at. */
const LINKED = {
  labelling: { prop: 'exerciseId', field: 'content.labellingExerciseId', label: 'bank.editor.exercise', none: 'bank.editor.noExercises', testId: 'question-exercise' },
  prompt_task: { prop: 'promptTaskId', field: 'content.promptTaskId', label: 'bank.editor.promptTask', none: 'bank.editor.noPromptTasks', testId: 'question-prompt-task' },
} as const satisfies Record<string, { prop: 'exerciseId' | 'promptTaskId'; field: string; label: MessageKey; none: MessageKey; testId: string }>;

/** Which server field names a draft property stands for. */
const FIELDS_OF: Readonly<Record<string, readonly string[]>> = {
  stem: ['content.stem'],
  answer: ['content.answer'],
  accepted: ['content.acceptedAnswers'],
  numeric: ['content.numericAnswers'],
  pairs: ['content.pairs'],
  rubric: ['content.rubric'],
  exerciseId: ['content.labellingExerciseId'],
  promptTaskId: ['content.promptTaskId'],
  dutyArea: ['tags.dutyArea'],
  knowledgePoint: ['tags.knowledgePoint'],
  difficulty: ['tags.difficulty'],
};

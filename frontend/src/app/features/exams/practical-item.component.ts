import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, linkedSignal, output, signal } from '@angular/core';
import type { ExamAnswerValue, PracticalLabellingView, PracticalPromptTaskView } from '@aitrainer/contracts';
import { missingVariables } from '@aitrainer/domain';
import { I18n } from '../../core/i18n/i18n.service';
import { FieldErrorComponent } from '../../shared/components/field-error.component';
import { BoxAnnotatorComponent, type LabelledBox } from '../labelling/box-annotator.component';
import { SpanAnnotatorComponent, type Span } from '../labelling/span-annotator.component';
import { ChoiceAnnotatorComponent, RankAnnotatorComponent } from '../labelling/simple-annotators.component';
import { CorrectionTableComponent, LongTextEditorComponent, PreferenceEditorComponent, type Correction } from '../labelling/open-task-editors.component';
import { ExamsApi } from './exams-api.service';

type V = Record<string, unknown>;
const FLAGS = ['duplicate', 'blurred', 'off_topic'];
/** The prompt practice's limit, so a prompt that fits there fits here. */
export const PROMPT_MAX_LENGTH = 8000;

/** The `items` map of a labelling answer (`{ items: { <item id>: <answer> } }`), or an empty one. */
export function labellingItemsOf(value: ExamAnswerValue | undefined): Record<string, V> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const items = (value as { items?: unknown }).items;
  return items && typeof items === 'object' && !Array.isArray(items) ? (items as Record<string, V>) : {};
}

/** The text of a prompt answer (`{ prompt }`). */
export function promptOf(value: ExamAnswerValue | undefined): string {
  const prompt = value && typeof value === 'object' && !Array.isArray(value) ? (value as { prompt?: unknown }).prompt : undefined;
  return typeof prompt === 'string' ? prompt : '';
}

/** Nothing chosen (an undo of the last choice): not stored, so the grader never sees an answer without its fields. */
const isEmpty = (v: V) => Object.values(v).every((x) => x === undefined);

/**
 * A labelling exam item: every dataset item of the exercise in one block each, answered with the practice workspace's
 * annotators. Each change emits the whole answer `{ items: { <item id>: <answer> } }`, which the exam room queues and
 * saves like any other answer. Single-label classification uses radios (as the room's single-choice questions do), so
 * each label is reachable by its own name.
 */
@Component({
  selector: 'app-practical-labelling',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [SpanAnnotatorComponent, BoxAnnotatorComponent, ChoiceAnnotatorComponent, RankAnnotatorComponent, LongTextEditorComponent, PreferenceEditorComponent, CorrectionTableComponent],
  template: `
    @let ex = view();
    <div class="practical" data-testid="practical-labelling">
      <p class="muted small"><b>{{ ex.title }}</b> · <span data-testid="practical-progress">{{ t('exams.practical.progress', { done: done(), total: ex.items.length }) }}</span></p>
      @if (ex.description) {
        <details class="guidelines" open><summary>{{ t('exams.practical.guidelines') }}</summary><p class="pre">{{ ex.description }}</p></details>
      }
      @if (ex.rubric?.length) {
        <details class="guidelines"><summary>{{ t('practice.howGraded') }}</summary>
          <ul>@for (c of ex.rubric; track c.id) { <li><b>{{ c.name }}</b> <span class="muted small">{{ t('practice.criterionMeta', { max: c.maxScore, weight: c.weight }) }}</span></li> }</ul>
        </details>
      }
      @for (it of ex.items; track it.id; let i = $index) {
        <!-- One form per item: radio groups of different items (same names inside the reused editors) stay apart. -->
        <form class="item" role="group" [attr.aria-labelledby]="name() + '-h-' + i" [attr.data-testid]="'practical-item-' + (i + 1)" (submit)="$event.preventDefault()">
          <h3 class="item-head" [id]="name() + '-h-' + i">{{ t('exams.practical.itemOf', { n: i + 1, total: ex.items.length }) }}
            @if (answers()[it.id]) { <span class="done" aria-hidden="true">✓</span> }</h3>
          @switch (ex.taskType) {
            @case ('text_classification') {
              @if (it.data.text) { <p class="item-text" data-testid="item-text">{{ it.data.text }}</p> }
              @if (media()[it.id]; as src) { <img class="thumb" [src]="src" alt="" /> }
              <div class="radios" role="radiogroup" [attr.aria-label]="t('labelling.labels')">
                @for (l of ex.labels; track l) {
                  <label class="radio"><input type="radio" [name]="name() + '-' + it.id" [value]="l" [checked]="answers()[it.id]?.['label'] === l" (change)="set(it.id, { label: l })" />{{ l }}</label>
                }
              </div>
            }
            @case ('named_entity_spans') {
              <app-span-annotator [text]="it.data.text ?? ''" [types]="ex.entityTypes" [value]="spans(it.id)" (changed)="set(it.id, { spans: $event })" />
            }
            @case ('image_bounding_boxes') {
              <app-box-annotator [src]="media()[it.id] ?? null" [labels]="ex.labels" [value]="boxes(it.id)" (changed)="set(it.id, { boxes: $event })" />
            }
            @case ('transcription') {
              @if (media()[it.id]; as src) { <audio controls [src]="src" data-testid="audio"></audio> }
              <label class="field"><span>{{ t('labelling.transcript') }}</span>
                <textarea rows="4" data-testid="transcript" [value]="str(it.id, 'text', it.data.machineTranscript)" (input)="set(it.id, { text: $any($event.target).value })"></textarea></label>
            }
            @case ('response_ranking') {
              <p class="item-text">{{ it.data.prompt }}</p>
              <app-rank-annotator [responses]="it.data.responses ?? []" [ranking]="$any(answers()[it.id]?.['ranking'] ?? [])" (changed)="set(it.id, { ranking: $event })" />
            }
            @case ('dialogue_intent_slots') {
              <div class="turns">@for (turn of it.data.turns ?? []; track $index) { <p><b>{{ t(turn.speaker === 'user' ? 'labelling.speaker.user' : 'labelling.speaker.agent') }}：</b>{{ turn.text }}</p> }</div>
              <app-choice-annotator [options]="ex.intents" [chosen]="one(it.id, 'intent')" (changed)="set(it.id, { intent: $event[0], slots: slots(it.id) })" />
              @for (s of slots(it.id); track $index; let k = $index) {
                <div class="slot"><select [value]="s.name" [attr.aria-label]="t('labelling.slot')" (change)="setSlot(it.id, k, $any($event.target).value, s.value)">
                  @for (n of ex.slotNames; track n) { <option [value]="n">{{ n }}</option> }</select>
                  <input [value]="s.value" (change)="setSlot(it.id, k, s.name, $any($event.target).value)" />
                  <button type="button" class="btn btn--small" (click)="removeSlot(it.id, k)">×</button></div>
              }
              <button type="button" class="btn btn--small" [disabled]="!ex.slotNames.length" (click)="setSlot(it.id, slots(it.id).length, ex.slotNames[0], '')">+ {{ t('labelling.slot') }}</button>
            }
            @case ('sft_writing') {
              <p>{{ it.data.sftDirection === 'write_instruction' ? t('labelling.sftWriteInstruction') : t('labelling.sftWriteResponse') }}</p>
              <p class="item-text" data-testid="item-text">{{ it.data.sftDirection === 'write_instruction' ? it.data.response : it.data.instruction }}</p>
              <app-long-text-editor [label]="t('labelling.yourAnswer')" [value]="str(it.id, 'text')" (changed)="set(it.id, { text: $event })" />
            }
            @case ('guideline_writing') {
              <h4>{{ t('labelling.datasetDescription') }}</h4>
              <p class="item-text" data-testid="item-text">{{ it.data.text }}</p>
              @if (ex.labels.length) { <p class="muted">{{ t('labelling.labels') }}: {{ ex.labels.join(', ') }}</p> }
              @if (it.data.guideline) { <h4>{{ t('labelling.guidelineToReview') }}</h4><p class="item-text">{{ it.data.guideline }}</p> }
              <app-long-text-editor [label]="t('labelling.yourAnswer')" [value]="str(it.id, 'text')" (changed)="set(it.id, { text: $event })" />
            }
            @case ('preference_rationale') {
              <app-preference-editor [data]="it.data" [choice]="str(it.id, 'choice')" [rationale]="str(it.id, 'rationale')" (changed)="set(it.id, $event)" />
            }
            @case ('error_review') {
              <app-correction-table [data]="it.data" [labels]="ex.labels" [corrections]="corrections(it.id)" (changed)="set(it.id, { corrections: $event })" />
            }
            @default {
              @if (it.data.text) { <p class="item-text" data-testid="item-text">{{ it.data.text }}</p> }
              @if (media()[it.id]; as src) { <img class="thumb" [src]="src" alt="" /> }
              @if (ex.taskType === 'data_cleaning') {
                <app-choice-annotator [options]="flags" [chosen]="list(it.id, 'flags')" [multiple]="true" [display]="flagLabel" (changed)="set(it.id, { flags: $event })" />
              } @else {
                <app-choice-annotator [options]="ex.labels" [chosen]="list(it.id, 'labels')" [multiple]="true" (changed)="set(it.id, { labels: $event })" />
              }
            }
          }
        </form>
      }
    </div>
  `,
  styles: `
    .practical { display: grid; gap: .75rem; min-width: 0; }
    .guidelines { border-left: 3px solid var(--brand-soft, #bfdbfe); padding: .25rem .75rem; }
    .pre, .item-text { white-space: pre-wrap; overflow-wrap: anywhere; }
    .item-text { font-size: 1.05rem; line-height: 1.6; }
    .item { border: 1px solid #ddd; border-radius: .4rem; padding: .75rem; min-width: 0; overflow-x: auto; }
    .item-head { font-size: 1rem; margin: 0 0 .5rem; }
    .done { color: #15803d; }
    .radios { display: flex; flex-wrap: wrap; gap: .5rem; }
    .radio { display: flex; gap: .5rem; align-items: center; padding: .6rem .9rem; border: 1px solid #ccc; border-radius: .4rem; min-height: 2.75rem; cursor: pointer; }
    .thumb { max-width: 100%; max-height: 50vh; display: block; margin-bottom: .75rem; }
    .field { display: grid; gap: .25rem; margin-top: .5rem; }
    textarea { width: 100%; font: inherit; box-sizing: border-box; }
    .slot { display: flex; flex-wrap: wrap; gap: .5rem; margin: .4rem 0; }
    .turns p { margin: .2rem 0; }
    audio { max-width: 100%; }
  `,
})
export class PracticalLabellingComponent {
  private readonly api = inject(ExamsApi);
  protected readonly t = inject(I18n).t;
  readonly view = input.required<PracticalLabellingView>();
  readonly value = input<ExamAnswerValue | undefined>(undefined);
  /** Unique per question: names the radio groups and headings. */
  readonly name = input.required<string>();
  readonly changed = output<ExamAnswerValue>();

  protected readonly flags = FLAGS;
  protected readonly flagLabel = (f: string) => this.t(`labelling.flag.${f}` as 'labelling.flag.duplicate');
  /** The latest answers by item id: follows the saved value, and changes at once on an edit (before the room re-renders). */
  protected readonly answers = linkedSignal(() => labellingItemsOf(this.value()));
  protected readonly done = computed(() => this.view().items.filter((i) => this.answers()[i.id]).length);
  /** Object URLs (or absolute URLs) of the items' media, by item id. */
  protected readonly media = signal<Partial<Record<string, string>>>({});

  constructor() {
    const objectUrls: string[] = [];
    const requested = new Set<string>();
    inject(DestroyRef).onDestroy(() => objectUrls.forEach((u) => URL.revokeObjectURL(u)));
    effect(() => {
      for (const it of this.view().items) {
        const url = it.mediaUrl;
        if (!url || requested.has(url)) continue;
        requested.add(url);
        // Exam media need the access token, so they are fetched as blobs and shown through object URLs.
        this.api.media(url).subscribe({
          next: (src) => {
            if (src.startsWith('blob:')) objectUrls.push(src);
            this.media.update((m) => ({ ...m, [it.id]: src }));
          },
          error: () => requested.delete(url),
        });
      }
    });
  }

  protected set(itemId: string, v: V): void {
    const next = { ...this.answers() };
    if (isEmpty(v)) delete next[itemId];
    else next[itemId] = v;
    this.answers.set(next);
    this.changed.emit({ items: next });
  }

  protected str(itemId: string, key: string, fallback = ''): string {
    const v = this.answers()[itemId]?.[key];
    return typeof v === 'string' ? v : fallback;
  }
  protected list(itemId: string, key: string): string[] {
    const v = this.answers()[itemId]?.[key];
    return Array.isArray(v) ? (v as string[]) : [];
  }
  protected one(itemId: string, key: string): string[] {
    const v = this.answers()[itemId]?.[key];
    return typeof v === 'string' ? [v] : [];
  }
  protected spans(itemId: string): Span[] {
    return (this.answers()[itemId]?.['spans'] as Span[] | undefined) ?? [];
  }
  protected boxes(itemId: string): LabelledBox[] {
    return (this.answers()[itemId]?.['boxes'] as LabelledBox[] | undefined) ?? [];
  }
  protected slots(itemId: string): { name: string; value: string }[] {
    return (this.answers()[itemId]?.['slots'] as { name: string; value: string }[] | undefined) ?? [];
  }
  protected corrections(itemId: string): Correction[] {
    return (this.answers()[itemId]?.['corrections'] as Correction[] | undefined) ?? [];
  }

  protected setSlot(itemId: string, i: number, name: string, value: string): void {
    const slots = [...this.slots(itemId)];
    slots[i] = { name, value };
    this.set(itemId, { intent: this.answers()[itemId]?.['intent'], slots: slots.filter((s) => s.value.trim() !== '' || s === slots[i]) });
  }
  protected removeSlot(itemId: string, i: number): void {
    this.set(itemId, { intent: this.answers()[itemId]?.['intent'], slots: this.slots(itemId).filter((_, k) => k !== i) });
  }
}

/** A prompt-task exam item: the brief as the practice view shows it, and the prompt editor. Emits `{ prompt }`. */
@Component({
  selector: 'app-practical-prompt',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FieldErrorComponent],
  template: `
    @let task = view();
    <div class="practical" data-testid="practical-prompt">
      <h3 data-testid="prompt-title">{{ task.title }}</h3>
      <h4>{{ t('practice.scenario') }}</h4>
      <p class="pre" data-testid="prompt-scenario">{{ task.scenario }}</p>
      <h4>{{ t('practice.variables') }}</h4>
      <p class="muted small">{{ t('practice.variablesHelp') }}</p>
      <p class="chips">@for (v of task.variables; track v) { <span class="badge mono">{{ token(v) }}</span> }</p>
      @if (task.visibleExamples.length) {
        <h4>{{ t('exams.practical.examples') }}</h4>
        <ul class="examples">
          @for (ex of task.visibleExamples; track $index) {
            <li>@for (v of task.variables; track v) { <span class="mono">{{ token(v) }}</span> = {{ ex.input[v] }} }</li>
          }
        </ul>
      }
      <details class="guidelines"><summary>{{ t('practice.howGraded') }}</summary>
        <p class="small">{{ t('practice.weights', { execution: task.weights.execution, rubric: task.weights.rubric, passMark: task.passMark }) }}</p>
        <ul>
          @for (c of task.rubric; track c.id) {
            <li><b>{{ c.name }}</b> <span class="muted small">{{ t('practice.criterionMeta', { max: c.maxScore, weight: c.weight }) }}</span>
              <ul>@for (level of c.levels; track $index) { <li><span class="mono">{{ level.score }}</span> {{ level.descriptor }}</li> }</ul></li>
          }
        </ul>
      </details>
      <label class="field" [for]="name() + '-prompt'"><span>{{ t('practice.yourPrompt') }}</span></label>
      <textarea [id]="name() + '-prompt'" rows="10" [attr.maxlength]="max" data-testid="prompt-answer" [value]="text()" (input)="edit($any($event.target).value)"
        [attr.aria-describedby]="name() + '-count'"></textarea>
      <p class="muted small" [id]="name() + '-count'" data-testid="prompt-count">{{ t('exams.practical.chars', { n: text().length, max: max }) }}</p>
      @if (missing().length) { <app-field-error [message]="t('practice.missingVariables', { names: missing().join(', ') })" /> }
    </div>
  `,
  styles: `
    .practical { display: grid; gap: .4rem; min-width: 0; }
    h3, h4 { margin: .5rem 0 0; }
    .pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
    .chips { display: flex; flex-wrap: wrap; gap: .35rem; margin: 0; }
    .examples { margin: 0; padding-left: 1.2rem; overflow-wrap: anywhere; }
    .guidelines { border-left: 3px solid var(--brand-soft, #bfdbfe); padding: .25rem .75rem; }
    .field { margin-top: .5rem; font-weight: 600; }
    textarea { width: 100%; font: inherit; box-sizing: border-box; }
  `,
})
export class PracticalPromptComponent {
  protected readonly t = inject(I18n).t;
  readonly view = input.required<PracticalPromptTaskView>();
  readonly value = input<ExamAnswerValue | undefined>(undefined);
  readonly name = input.required<string>();
  readonly changed = output<ExamAnswerValue>();

  protected readonly max = PROMPT_MAX_LENGTH;
  /** The latest text: follows the saved value, and changes at once on input. */
  protected readonly text = linkedSignal(() => promptOf(this.value()));
  protected readonly missing = computed(() => (this.text().trim() ? missingVariables(this.text(), this.view().variables) : []));
  protected readonly token = (v: string) => `{{${v}}}`;

  protected edit(text: string): void {
    this.text.set(text);
    this.changed.emit({ prompt: text });
  }
}

import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { OPEN_TASK_TYPES, type AnswerValue, type ExerciseItemView, type ExerciseView, type SubmissionView } from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';
import { Confirm } from '../../shared/util/confirm';
import { NotificationService } from '../../core/notifications/notification.service';
import { LabellingApi } from './labelling-api.service';
import { BoxAnnotatorComponent, type LabelledBox } from './box-annotator.component';
import { SpanAnnotatorComponent, type Span } from './span-annotator.component';
import { ChoiceAnnotatorComponent, RankAnnotatorComponent } from './simple-annotators.component';
import { CorrectionTableComponent, LongTextEditorComponent, PreferenceEditorComponent, type Correction } from './open-task-editors.component';

const FLAGS = ['duplicate', 'blurred', 'off_topic'];
type V = Record<string, unknown>;

/**
 * The annotation workspace: one item at a time, autosaved (debounced; each save carries a rising sequence
 * number so the server keeps the latest), undo per item (Ctrl+Z), progress, submit, then score and feedback.
 */
@Component({
  selector: 'app-labelling-workspace',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzSelectModule, RouterLink, SpanAnnotatorComponent, BoxAnnotatorComponent, ChoiceAnnotatorComponent, RankAnnotatorComponent, LongTextEditorComponent, PreferenceEditorComponent, CorrectionTableComponent],
  host: { '(document:keydown)': 'globalKey($event)' },
  template: `
    <p><a routerLink="/student/labelling">← {{ t('labelling.backToList') }}</a></p>
    @if (exercise(); as ex) {
      <h1 class="page-title" data-testid="workspace-title">{{ ex.title }}</h1>
      @if (submission(); as sub) {
        @if (sub.state === 'draft') {
          <div class="bar card">
            <span data-testid="progress">{{ t('labelling.progress', { done: answeredCount(), total: items().length }) }}</span>
            <progress [value]="answeredCount()" [max]="items().length"></progress>
            <span class="muted small" data-testid="save-state">{{ saveText() }}</span>
            <span class="spacer"></span>
            <button type="button" class="btn btn--small" [disabled]="index() === 0" (click)="go(-1)" data-testid="prev">← {{ t('labelling.prev') }}</button>
            <span>{{ index() + 1 }} / {{ items().length }}</span>
            <button type="button" class="btn btn--small" [disabled]="index() >= items().length - 1" (click)="go(1)" data-testid="next">{{ t('labelling.next') }} →</button>
            <button type="button" class="btn btn--small" [disabled]="!canUndo()" (click)="undo()" data-testid="undo">{{ t('labelling.undo') }}</button>
            <button type="button" class="btn btn--primary" [disabled]="submitting()" (click)="submit()" data-testid="submit">{{ t('labelling.submit') }}</button>
          </div>
          @if (item(); as it) {
            <section class="card" data-testid="item">
              @if (it.prediction && !current()) {
                <p class="prediction" data-testid="prediction">{{ t('labelling.predictionOffered') }}
                  <button type="button" class="btn btn--small" data-testid="use-prediction" (click)="set($any(it.prediction))">{{ t('labelling.usePrediction') }}</button></p>
              }
              @switch (ex.taskType) {
                @case ('named_entity_spans') {
                  <app-span-annotator [text]="it.data.text ?? ''" [types]="ex.entityTypes" [value]="spans()" (changed)="set({ spans: $event })" />
                }
                @case ('image_bounding_boxes') {
                  <app-box-annotator [src]="mediaUrl()" [labels]="ex.labels" [value]="boxes()" [imageSize]="it.data" (changed)="set({ boxes: $event })" />
                }
                @case ('transcription') {
                  @if (mediaUrl()) { <audio controls [src]="mediaUrl()" data-testid="audio"></audio> }
                  <label class="field"><span>{{ t('labelling.transcript') }}</span>
                    <textarea rows="5" data-testid="transcript" [value]="str('text')" (input)="set({ text: $any($event.target).value })"></textarea></label>
                }
                @case ('response_ranking') {
                  <p class="prompt">{{ it.data.prompt }}</p>
                  <app-rank-annotator [responses]="it.data.responses ?? []" [ranking]="$any(current()?.['ranking'] ?? [])" (changed)="set({ ranking: $event })" />
                }
                @case ('dialogue_intent_slots') {
                  <div class="turns">@for (turn of it.data.turns ?? []; track $index) { <p><b>{{ t(turn.speaker === 'user' ? 'labelling.speaker.user' : 'labelling.speaker.agent') }}：</b>{{ turn.text }}</p> }</div>
                  <app-choice-annotator [options]="ex.intents" [chosen]="intentChosen()" (changed)="set({ intent: $event[0], slots: slots() })" />
                  @for (s of slots(); track $index; let i = $index) {
                    <div class="slot"><label class="visually-hidden" [for]="'slot-name-' + i">{{ t('labelling.slotName', { n: i + 1 }) }}</label>
                      <nz-select class="slot-name" [nzId]="'slot-name-' + i" [ngModel]="s.name" (ngModelChange)="setSlot(i, $event, s.value)" [ngModelOptions]="{ standalone: true }">
                        @for (n of ex.slotNames; track n) { <nz-option [nzValue]="n" [nzLabel]="n" /> }</nz-select>
                      <input [value]="s.value" (change)="setSlot(i, s.name, $any($event.target).value)" [attr.aria-label]="t('labelling.slotValue', { n: i + 1 })" />
                      <button type="button" class="btn btn--small" (click)="removeSlot(i)">×</button></div>
                  }
                  <button type="button" class="btn btn--small" [disabled]="!ex.slotNames.length" (click)="setSlot(slots().length, ex.slotNames[0], '')">+ {{ t('labelling.slot') }}</button>
                }
                @case ('sft_writing') {
                  <p>{{ it.data.sftDirection === 'write_instruction' ? t('labelling.sftWriteInstruction') : t('labelling.sftWriteResponse') }}</p>
                  <p class="prompt" data-testid="item-text">{{ it.data.sftDirection === 'write_instruction' ? it.data.response : it.data.instruction }}</p>
                  <app-long-text-editor [label]="t('labelling.yourAnswer')" [value]="str('text')" (changed)="set({ text: $event })" />
                }
                @case ('guideline_writing') {
                  <h3>{{ t('labelling.datasetDescription') }}</h3>
                  <p class="prompt" data-testid="item-text">{{ it.data.text }}</p>
                  @if (ex.labels.length) { <p class="muted">{{ t('labelling.labels') }}: {{ ex.labels.join(', ') }}</p> }
                  @if (it.data.guideline) { <h3>{{ t('labelling.guidelineToReview') }}</h3><p class="prompt">{{ it.data.guideline }}</p> }
                  <app-long-text-editor [label]="t('labelling.yourAnswer')" [value]="str('text')" (changed)="set({ text: $event })" />
                }
                @case ('preference_rationale') {
                  <app-preference-editor [data]="it.data" [choice]="str('choice')" [rationale]="str('rationale')" (changed)="set($event)" />
                }
                @case ('error_review') {
                  <app-correction-table [data]="it.data" [labels]="ex.labels" [corrections]="corrections()" (changed)="set({ corrections: $event })" />
                }
                @default {
                  @if (it.data.text) { <p class="item-text" data-testid="item-text">{{ it.data.text }}</p> }
                  @if (mediaUrl()) { <img class="thumb" [src]="mediaUrl()" alt="" /> }
                  @if (ex.taskType === 'data_cleaning') {
                    <app-choice-annotator [options]="flags" [chosen]="list('flags')" [multiple]="true" [display]="flagLabel" (changed)="set({ flags: $event })" />
                  } @else {
                    <app-choice-annotator [options]="ex.labels" [chosen]="ex.taskType === 'text_classification' ? labelChosen() : list('labels')"
                      [multiple]="ex.taskType === 'multi_label_classification'" (changed)="set(ex.taskType === 'text_classification' ? { label: $event[0] } : { labels: $event })" />
                  }
                }
              }
            </section>
          }
        } @else {
          <section class="card" data-testid="result">
            @if (sub.state === 'graded' && sub.result) {
              <h2>{{ t('labelling.score') }}: <span data-testid="score">{{ percent(sub.result.score) }}</span>
                @if (sub.result.passed !== undefined) { <span class="muted"> · {{ sub.result.passed ? t('labelling.passed') : t('labelling.notPassed') }}</span> }</h2>
              @if (sub.result.kappa !== null) { <p>Cohen's κ = {{ sub.result.kappa.toFixed(3) }}</p> }
              <dl class="small muted metric-help" data-testid="metric-help">
                <div><dt>{{ t('labelling.score') }}</dt><dd>{{ scoreHelp(ex.taskType) }}</dd></div>
                @if (sub.result.kappa !== null) { <div><dt>κ</dt><dd>{{ t('labelling.help.kappa') }}</dd></div> }
                @if (!isOpen(ex.taskType)) {
                  <div><dt>{{ t('labelling.missed') }}</dt><dd>{{ t('labelling.help.missed') }}</dd></div>
                  <div><dt>{{ t('labelling.wrong') }}</dt><dd>{{ t('labelling.help.wrong') }}</dd></div>
                  <div><dt>{{ t('labelling.extra') }}</dt><dd>{{ t('labelling.help.extra') }}</dd></div>
                }
              </dl>
              @if (sub.result.reviewerComment) { <p data-testid="reviewer-comment"><b>{{ t('labelling.reviewerComment') }}:</b> {{ sub.result.reviewerComment }}</p> }
              @if (isOpen(ex.taskType)) {
                @for (f of sub.result.items; track f.itemId) {
                  <div class="judged" [attr.data-testid]="'feedback-' + f.itemId">
                    <h3>{{ t('labelling.item') }} {{ f.itemId }}: {{ percent(f.score) }}</h3>
                    <p class="muted small">
                      @if (f.exactScore !== null && f.exactScore !== undefined) { {{ t('labelling.exactPart') }} {{ percent(f.exactScore) }} · }
                      @if (f.judgedScore !== null && f.judgedScore !== undefined) { {{ t('labelling.judgedPart') }} {{ percent(f.judgedScore) }} }
                    </p>
                    <table class="table"><thead><tr><th>{{ t('labelling.criterion') }}</th><th>{{ t('labelling.score') }}</th><th>{{ t('labelling.explanation') }}</th></tr></thead>
                      <tbody>@for (c of f.criteria ?? []; track c.id) {
                        <tr><td>{{ c.name }}</td><td>{{ c.score }} / {{ c.maxScore }}</td><td>{{ c.rationale }}@if (c.evidence) { <span class="muted small"> “{{ c.evidence }}”</span> }</td></tr>
                      }</tbody></table>
                  </div>
                }
              } @else {
              <table class="table"><thead><tr><th>{{ t('labelling.item') }}</th><th>{{ t('labelling.itemScore') }}</th><th>{{ t('labelling.missed') }}</th><th>{{ t('labelling.wrong') }}</th><th>{{ t('labelling.extra') }}</th></tr></thead>
                <tbody>@for (f of sub.result.items; track f.itemId) {
                  <tr [attr.data-testid]="'feedback-' + f.itemId"><td>{{ f.itemId }} {{ f.correct ? '✓' : '' }}</td><td>{{ percent(f.score) }}</td>
                    <td>{{ describe(f.missed, f.itemId) }}</td><td>{{ describe(f.wrong, f.itemId) }}</td><td>{{ describe(f.extra, f.itemId) }}</td></tr>
                }</tbody></table>
              }
              @if (sub.explanation; as exp) {
                <section class="explanation" data-testid="mistake-explanation" aria-live="polite">
                  <h3>{{ t('labelling.mistakeExplanation') }}</h3>
                  @switch (exp.status) {
                    @case ('pending') { <p class="muted">{{ t('labelling.explanationPending') }}</p> }
                    @case ('unavailable') { <p class="muted">{{ t('labelling.explanationUnavailable') }}</p> }
                    @default {
                      <p>{{ exp.summary }}</p>
                      <ul>@for (g of exp.groups; track g.key) { <li><b>{{ g.key }}</b> (×{{ g.count }}): {{ g.explanation }}</li> }</ul>
                    }
                  }
                </section>
              }
              <button type="button" class="btn" (click)="again()">{{ t('labelling.tryAgain') }}</button>
            } @else if (sub.state === 'needs_review') {
              <p class="state" role="status" data-testid="awaiting-review">{{ t('labelling.awaitingReview') }}</p>
            } @else if (sub.state === 'failed') {
              <p class="state state--error" role="alert">{{ t('labelling.failed') }} {{ sub.failureReason }}</p>
            } @else {
              <p class="state state--loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('labelling.grading') }}</p>
            }
          </section>
        }
      }
    } @else {
      <p class="state state--loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('common.loading') }}</p>
    }
  `,
  styles: `
    .bar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-bottom: 1rem; position: sticky; top: 0; z-index: 2; }
    .spacer { flex: 1; }
    .field { display: grid; gap: 0.25rem; margin-top: 0.75rem; }
    textarea { width: 100%; font: inherit; }
    .item-text, .prompt { white-space: pre-wrap; font-size: 1.05rem; }
    .thumb { max-width: 100%; max-height: 50vh; display: block; margin-bottom: 0.75rem; }
    .slot { display: flex; gap: 0.5rem; margin: 0.4rem 0; }
    .slot-name { min-width: 8rem; }
    .turns p { margin: 0.2rem 0; }
    .judged { border-top: 1px solid var(--border); padding-top: 0.5rem; margin-top: 0.5rem; }
    .explanation { margin: 1rem 0; padding: 0.75rem; border-left: 3px solid var(--brand-soft); }
  `,
})
export class LabellingWorkspacePage extends Localized {
  private readonly api = inject(LabellingApi);
  private readonly notify = inject(NotificationService);
  private readonly confirm = inject(Confirm);
  readonly id = input.required<string>();

  protected readonly flags = FLAGS;
  protected readonly exercise = signal<ExerciseView | null>(null);
  protected readonly items = signal<ExerciseItemView[]>([]);
  protected readonly submission = signal<SubmissionView | null>(null);
  protected readonly index = signal(0);
  /** Answers by item id, as edited here (the server has them too once saved). */
  private readonly answers = signal<Record<string, V>>({});
  private readonly history = signal<Record<string, V[]>>({});
  private readonly pending = signal(0);
  protected readonly submitting = signal(false);
  protected readonly mediaUrl = signal<string | null>(null);
  private seq = Date.now();
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private poll: ReturnType<typeof setTimeout> | null = null;
  private readonly mediaCache = new Map<string, string>();

  protected readonly item = computed(() => this.items()[this.index()] ?? null);
  protected readonly current = computed<V | null>(() => {
    const it = this.item();
    return it ? (this.answers()[it.id] ?? null) : null;
  });
  protected readonly answeredCount = computed(() => Object.keys(this.answers()).length);
  protected readonly spans = computed(() => (this.current()?.['spans'] as Span[]) ?? []);
  protected readonly boxes = computed(() => (this.current()?.['boxes'] as LabelledBox[]) ?? []);
  protected readonly slots = computed(() => (this.current()?.['slots'] as { name: string; value: string }[]) ?? []);
  protected readonly labelChosen = computed(() => (this.current()?.['label'] ? [this.current()!['label'] as string] : []));
  protected readonly corrections = computed(() => (this.current()?.['corrections'] as Correction[]) ?? []);
  protected readonly isOpen = (tt: string) => (OPEN_TASK_TYPES as readonly string[]).includes(tt);
  protected readonly intentChosen = computed(() => (this.current()?.['intent'] ? [this.current()!['intent'] as string] : []));
  protected readonly canUndo = computed(() => {
    const it = this.item();
    return !!it && (this.history()[it.id]?.length ?? 0) > 0;
  });
  protected readonly saveText = computed(() => (this.pending() > 0 ? this.t('common.saving') : this.t('labelling.saved')));
  protected readonly flagLabel = (f: string) => this.t(`labelling.flag.${f}` as 'labelling.flag.duplicate');

  constructor() {
    super();
    inject(DestroyRef).onDestroy(() => {
      if (this.poll) clearTimeout(this.poll);
      for (const url of this.mediaCache.values()) if (url.startsWith('blob:')) URL.revokeObjectURL(url);
    });
    let loaded = false;
    effect(() => {
      const id = Number(this.id());
      if (loaded || !id) return;
      loaded = true;
      this.api.get(id).subscribe({ next: (e) => this.exercise.set(e), error: (e) => this.notify.error(e) });
      this.api.items(id).subscribe({ next: (items) => this.items.set(items), error: (e) => this.notify.error(e) });
      this.api.start(id).subscribe({ next: (s) => this.load(s), error: (e) => this.notify.error(e) });
    });
    effect(() => {
      const it = this.item();
      const ex = this.exercise();
      const name = it?.data.image ?? it?.data.audio;
      if (!ex || !name) return this.mediaUrl.set(null);
      const cached = this.mediaCache.get(name);
      if (cached) return this.mediaUrl.set(cached);
      this.mediaUrl.set(null);
      this.api.media(ex.id, name).subscribe({
        next: (url) => {
          this.mediaCache.set(name, url);
          if ((this.item()?.data.image ?? this.item()?.data.audio) === name) this.mediaUrl.set(url);
        },
        error: (e) => this.notify.error(e),
      });
    });
  }

  private load(s: SubmissionView): void {
    this.submission.set(s);
    this.answers.set(Object.fromEntries(s.answers.map((a) => [a.itemId, a.value as unknown as V])));
    this.seq = Math.max(this.seq, ...s.answers.map((a) => a.seq + 1));
    if (s.state === 'submitted' || s.explanation?.status === 'pending') this.watch(s.id);
  }

  protected str(key: string): string {
    const v = this.current()?.[key];
    if (typeof v === 'string') return v;
    return key === 'text' ? (this.item()?.data.machineTranscript ?? '') : '';
  }
  protected list(key: string): string[] {
    return (this.current()?.[key] as string[]) ?? [];
  }

  protected set(value: V): void {
    const it = this.item();
    if (!it) return;
    const before = this.answers()[it.id];
    this.history.update((h) => ({ ...h, [it.id]: [...(h[it.id] ?? []), before ?? emptyValue(this.exercise()!.taskType)].slice(-100) }));
    this.write(it.id, value);
  }

  private write(itemId: string, value: V): void {
    this.answers.update((a) => ({ ...a, [itemId]: value }));
    // Debounced per item; each save gets a higher sequence number than any before it.
    const old = this.timers.get(itemId);
    if (old) clearTimeout(old);
    else this.pending.update((n) => n + 1);
    this.timers.set(itemId, setTimeout(() => this.flush(itemId), 400));
  }

  private flush(itemId: string, done?: () => void): void {
    this.timers.delete(itemId);
    const sub = this.submission();
    const value = this.answers()[itemId];
    // An undo back to "nothing chosen" for a single choice has nothing valid to store.
    if (!sub || !value || Object.keys(value).length === 0) {
      this.pending.update((n) => n - 1);
      return done?.();
    }
    this.api.save(sub.id, itemId, ++this.seq, value as unknown as AnswerValue).subscribe({
      next: () => {
        this.pending.update((n) => n - 1);
        done?.();
      },
      error: (e) => {
        this.pending.update((n) => n - 1);
        this.notify.error(e);
      },
    });
  }

  protected setSlot(i: number, name: string, value: string): void {
    const slots = [...this.slots()];
    slots[i] = { name, value };
    this.set({ intent: this.current()?.['intent'], slots: slots.filter((s) => s.value.trim() !== '' || s === slots[i]) });
  }
  protected removeSlot(i: number): void {
    this.set({ intent: this.current()?.['intent'], slots: this.slots().filter((_, k) => k !== i) });
  }

  protected undo(): void {
    const it = this.item();
    if (!it) return;
    const stack = this.history()[it.id] ?? [];
    if (!stack.length) return;
    const previous = stack[stack.length - 1];
    this.history.update((h) => ({ ...h, [it.id]: stack.slice(0, -1) }));
    this.write(it.id, previous);
  }

  protected go(step: number): void {
    this.index.update((i) => Math.max(0, Math.min(this.items().length - 1, i + step)));
  }

  protected globalKey(e: KeyboardEvent): void {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && !(e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement)) {
      this.undo();
      e.preventDefault();
    } else if (e.altKey && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      this.go(e.key === 'ArrowRight' ? 1 : -1);
      e.preventDefault();
    }
  }

  protected async submit(): Promise<void> {
    const sub = this.submission();
    if (!sub) return;
    if (this.answeredCount() < this.items().length && !(await this.confirm.ask(this.t('labelling.confirmIncomplete')))) return;
    this.submitting.set(true);
    // Send what is still waiting in the debounce first.
    await Promise.all([...this.timers.keys()].map((itemId) => new Promise<void>((resolve) => (clearTimeout(this.timers.get(itemId)!), this.flush(itemId, resolve)))));
    this.api.submit(sub.id).subscribe({
      next: (s) => {
        this.submitting.set(false);
        this.submission.set(s);
        this.watch(s.id);
      },
      error: (e) => {
        this.submitting.set(false);
        this.notify.error(e);
      },
    });
  }

  private watch(id: number): void {
    this.poll = setTimeout(() => {
      this.api.submission(id).subscribe({
        next: (s) => {
          this.submission.set(s);
          if (s.state === 'submitted' || s.explanation?.status === 'pending') this.watch(id);
        },
        error: () => this.watch(id),
      });
    }, 700);
  }

  protected again(): void {
    const ex = this.exercise();
    if (!ex) return;
    this.history.set({});
    this.index.set(0);
    this.api.start(ex.id).subscribe({ next: (s) => this.load(s), error: (e) => this.notify.error(e) });
  }

  protected percent(v: number): string {
    return `${(v * 100).toFixed(1)}%`;
  }

  /** One sentence on how the task type's score is computed. */
  protected scoreHelp(taskType: string): string {
    const key = `labelling.help.score.${taskType}`;
    return this.i18n.has(key) ? this.t(key) : '';
  }

  /** Missed, wrong or extra answers in words; a span is named by its text (“杭州”（地名）), not by its offsets. */
  protected describe(list: unknown[], itemId?: string): string {
    if (!list.length) return '—';
    const text = this.items().find((i) => i.id === itemId)?.data.text ?? '';
    return list
      .slice(0, 6)
      .map((x) => describeOne(x, text))
      .join('; ') + (list.length > 6 ? ` … (+${list.length - 6})` : '');
  }
}

function describeOne(x: unknown, text = ''): string {
  if (typeof x === 'string') return x;
  if (typeof x !== 'object' || x === null) return String(x);
  const o = x as Record<string, unknown>;
  if ('expected' in o && 'got' in o) return `${describeOne(o['expected'], text)} → ${describeOne(o['got'], text)}`;
  if ('start' in o && 'end' in o) {
    const span = text.slice(Number(o['start']), Number(o['end']));
    return span ? `“${span}”（${o['type']}）` : `${o['type']} [${o['start']}, ${o['end']})`;
  }
  if ('x' in o && 'width' in o) return `${o['label']} (${Number(o['x']).toFixed(1)}, ${Number(o['y']).toFixed(1)})`;
  if ('name' in o && 'value' in o) return `${o['name']}=${o['value']}`;
  if ('first' in o) return `${o['first']}/${o['second']}: ${o['expected']}`;
  return JSON.stringify(x);
}

function emptyValue(taskType: string): V {
  switch (taskType) {
    case 'named_entity_spans':
      return { spans: [] };
    case 'image_bounding_boxes':
      return { boxes: [] };
    case 'multi_label_classification':
      return { labels: [] };
    case 'data_cleaning':
      return { flags: [] };
    case 'transcription':
    case 'sft_writing':
    case 'guideline_writing':
      return { text: '' };
    case 'error_review':
      return { corrections: [] };
    case 'response_ranking':
      return { ranking: [] };
    case 'dialogue_intent_slots':
      return { slots: [] };
    default:
      return {};
  }
}

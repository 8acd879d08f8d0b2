import { NzResultComponent, NzResultSubtitleDirective, NzResultTitleDirective } from 'ng-zorro-antd/result';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal, type OnInit } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import type { AttemptView, ExamAnswerValue, PaperQuestionView, PracticalLabellingView, PracticalPromptTaskView } from '@aitrainer/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import { Confirm } from '../../shared/util/confirm';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { AnswerQueue } from './answer-queue';
import { ExamsApi } from './exams-api.service';
import { PracticalLabellingComponent, PracticalPromptComponent } from './practical-item.component';

interface AnswerState {
  value: ExamAnswerValue;
  seq: number;
}

const SAVE_DEBOUNCE_MS = 600;
/** Where the server put an imported question's files (GET /attempts/:id/media/:questionId/:name). */
const MEDIA_URL = /\/api\/v1\/attempts\/\d+\/media\/\d+\/[^"'\s<>]+/g;
const RETRY_MS = 4000;

/**
 * The candidate's exam room. The countdown runs from the server's clock (deadline - serverNow, corrected for the local
 * clock's offset); every change is queued in localStorage first, then sent (debounced) with a rising sequence number
 * per question, so a reload, an offline spell or another device never loses or reorders an answer.
 */
@Component({
  selector: 'app-exam-room-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, PracticalLabellingComponent, PracticalPromptComponent, NzResultComponent, NzResultTitleDirective, NzResultSubtitleDirective],
  styles: `
    .room { display: grid; grid-template-columns: 1fr 16rem; gap: 1rem; align-items: start; }
    .room > * { min-width: 0; }
    .bar { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; justify-content: space-between; background: var(--surface, #fff); padding: .5rem 0; border-bottom: 1px solid #ddd; }
    .clock { font-variant-numeric: tabular-nums; font-size: 1.4rem; font-weight: 600; }
    .clock.low { color: #b00020; }
    .nav { display: grid; grid-template-columns: repeat(auto-fill, minmax(2.5rem, 1fr)); gap: .35rem; }
    .nav button { min-height: 2.5rem; border: 1px solid #999; border-radius: .3rem; background: #fff; cursor: pointer; position: relative; }
    .nav button.answered { background: #dbeafe; }
    .nav button.current { outline: 3px solid #1d4ed8; }
    .nav button.flagged::after { content: '⚑'; position: absolute; top: -2px; right: 2px; font-size: .7rem; color: #b45309; }
    .options { display: grid; gap: .5rem; padding: 0; list-style: none; }
    .options label { display: flex; gap: .6rem; align-items: flex-start; padding: .7rem; border: 1px solid #ccc; border-radius: .4rem; min-height: 2.75rem; cursor: pointer; }
    .stem { font-size: 1.1rem; line-height: 1.6; white-space: pre-wrap; }
    .save-state.unsaved { color: #b45309; }
    .stem--html { white-space: normal; }
    .stem--html img, .stem--html video { max-width: 100%; height: auto; }
    .match th { text-align: left; font-weight: normal; padding: .4rem .75rem .4rem 0; }
    .match select { min-height: 2.5rem; }
    .submitted-title { font-size: inherit; margin: 0; }
    @media (max-width: 720px) { .room { grid-template-columns: 1fr; } .side { order: -1; } }
  `,
  template: `
    <p><a routerLink="/student/exams">← {{ t('exams.backToList') }}</a></p>
    @if (loadError()) { <p class="error" role="alert">{{ loadError() }}</p> }
    @if (attempt(); as a) {
      @if (a.state === 'submitted') {
        <section class="card" data-testid="attempt-submitted">
          <!-- The result page's code loads only once an attempt is submitted: the room itself stays light on a phone. -->
          @defer (on immediate) {
            <nz-result nzStatus="success">
              <div nz-result-title><h1 class="submitted-title">{{ t('exams.submittedTitle') }}</h1></div>
              <div nz-result-subtitle>
                <p>{{ t('exams.submittedAt', { time: i18n.dateTime(a.finishedAt ?? a.deadline) }) }}</p>
                <p>{{ t('exams.resultLater') }}</p>
              </div>
            </nz-result>
          } @placeholder {
            <h1>{{ t('exams.submittedTitle') }}</h1>
          }
        </section>
      } @else {
        <div class="bar">
          <span class="clock" [class.low]="remainingMs() < 5 * 60_000" data-testid="countdown" role="timer" [attr.aria-label]="t('exams.timeLeft')">{{ clock() }}</span>
          <span class="save-state" [class.unsaved]="pendingCount() > 0" data-testid="save-state" aria-live="polite">{{ saveText() }}</span>
          <button type="button" class="btn btn--primary" (click)="submit()" [disabled]="submitting()" data-testid="submit-attempt">{{ t('exams.submit') }}</button>
        </div>
        <div class="room">
          <section class="card">
            @if (question(); as q) {
              <p class="muted small">{{ t('exams.questionOf', { n: q.position, total: a.questions.length }) }} · {{ t(typeKey(q)) }} · {{ t('exams.points', { points: q.points }) }}</p>
              @if (q.format === 'html') { <div class="stem stem--html" data-testid="stem" [innerHTML]="withMedia(q.stem)"></div> } @else { <p class="stem" data-testid="stem">{{ q.stem }}</p> }
              @switch (q.type) {
                @case ('true_false') {
                  <ul class="options">
                    @for (opt of trueFalse; track opt.value) {
                      <li><label><input type="radio" [name]="'q' + q.questionId" [checked]="valueOf(q) === opt.value" (change)="answer(q, opt.value)" [attr.data-testid]="'option-' + opt.value" /> {{ t(opt.label) }}</label></li>
                    }
                  </ul>
                }
                @case ('single_choice') {
                  <ul class="options">
                    @for (o of q.options ?? []; track o.key; let i = $index) {
                      <li><label><input type="radio" [name]="'q' + q.questionId" [checked]="valueOf(q) === o.key" (change)="answer(q, o.key)" [attr.data-testid]="'option-' + i" /> {{ letter(i) }}. @if (q.format === 'html') { <span [innerHTML]="withMedia(o.text)"></span> } @else { {{ o.text }} }</label></li>
                    }
                  </ul>
                }
                @case ('multiple_choice') {
                  <ul class="options">
                    @for (o of q.options ?? []; track o.key; let i = $index) {
                      <li><label><input type="checkbox" [checked]="chosen(q).includes(o.key)" (change)="toggle(q, o.key)" [attr.data-testid]="'option-' + i" /> {{ letter(i) }}. @if (q.format === 'html') { <span [innerHTML]="withMedia(o.text)"></span> } @else { {{ o.text }} }</label></li>
                    }
                  </ul>
                }
                @case ('numerical') {
                  <label class="field"><span>{{ t('exams.numericAnswer') }}</span>
                    <input type="text" inputmode="decimal" autocomplete="off" maxlength="100" [value]="textOf(q)" (input)="answer(q, $any($event.target).value)" data-testid="numeric-answer" /></label>
                }
                @case ('matching') {
                  <table class="match" data-testid="matching">
                    <tbody>
                      @for (p of q.matchPrompts ?? []; track p.key; let i = $index) {
                        <tr>
                          <th scope="row">@if (q.format === 'html') { <span [innerHTML]="withMedia(p.text)"></span> } @else { {{ p.text }} }</th>
                          <td><select [attr.aria-label]="t('exams.matchChoose')" (change)="match(q, p.key, $any($event.target).value)" [attr.data-testid]="'match-' + i">
                            <option value="" [selected]="!matchOf(q, p.key)">{{ t('exams.matchChoose') }}</option>
                            @for (c of q.matchChoices ?? []; track c) { <option [value]="c" [selected]="matchOf(q, p.key) === c">{{ c }}</option> }
                          </select></td>
                        </tr>
                      }
                    </tbody>
                  </table>
                }
                @case ('labelling') {
                  @if (labellingOf(q); as view) {
                    <app-practical-labelling [view]="view" [value]="valueOf(q)" [name]="'q' + q.questionId" (changed)="answer(q, $event)" />
                  } @else { <p class="muted" role="status" data-testid="practical-unavailable">{{ t('exams.practical.unavailable') }}</p> }
                }
                @case ('prompt_task') {
                  @if (promptOf(q); as view) {
                    <app-practical-prompt [view]="view" [value]="valueOf(q)" [name]="'q' + q.questionId" (changed)="answer(q, $event)" />
                  } @else { <p class="muted" role="status" data-testid="practical-unavailable">{{ t('exams.practical.unavailable') }}</p> }
                }
                @default {
                  <label class="field"><span>{{ t('exams.yourAnswer') }}</span>
                    <textarea [rows]="q.type === 'fill_blank' ? 1 : 8" [value]="textOf(q)" (input)="answer(q, $any($event.target).value)" data-testid="text-answer"></textarea></label>
                }
              }
              <p class="section-gap">
                <button type="button" class="btn btn--small" [disabled]="index() === 0" (click)="go(index() - 1)" data-testid="prev-question">← {{ t('exams.prev') }}</button>
                <button type="button" class="btn btn--small" (click)="toggleFlag(q)" [attr.aria-pressed]="flags().has(q.questionId)" data-testid="flag">{{ flags().has(q.questionId) ? t('exams.unflag') : t('exams.flag') }}</button>
                <button type="button" class="btn btn--small" [disabled]="index() >= a.questions.length - 1" (click)="go(index() + 1)" data-testid="next-question">{{ t('exams.next') }} →</button>
              </p>
            }
          </section>
          <aside class="card side">
            <h2 class="small">{{ t('exams.navigator') }} · {{ t('exams.answeredCount', { done: answeredCount(), total: a.questions.length }) }}</h2>
            <div class="nav" role="list">
              @for (q of a.questions; track q.questionId; let i = $index) {
                <button type="button" role="listitem" [class.answered]="answers()[q.questionId] !== undefined" [class.flagged]="flags().has(q.questionId)" [class.current]="i === index()"
                  (click)="go(i)" [attr.data-testid]="'nav-' + (i + 1)" [attr.aria-label]="t('exams.questionOf', { n: i + 1, total: a.questions.length })">{{ i + 1 }}</button>
              }
            </div>
          </aside>
        </div>
      }
    }
  `,
})
export class ExamRoomPage implements OnInit {
  readonly id = input.required<string>();
  protected readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;
  private readonly confirm = inject(Confirm);
  private readonly api = inject(ExamsApi);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly attempt = signal<AttemptView | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly answers = signal<Record<number, AnswerState>>({});
  protected readonly pendingCount = signal(0);
  protected readonly offline = signal(false);
  protected readonly index = signal(0);
  protected readonly flags = signal<Set<number>>(new Set());
  protected readonly submitting = signal(false);
  /** Attempt media URL -> object URL (see withMedia). */
  private readonly mediaUrls = signal<Record<string, string>>({});
  private readonly now = signal(Date.now());
  /** server clock - local clock, measured when the attempt was loaded. */
  private offsetMs = 0;
  private queue!: AnswerQueue;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private sending = false;
  private closed = false;

  protected readonly trueFalse: { value: boolean; label: MessageKey }[] = [
    { value: true, label: 'exams.true' },
    { value: false, label: 'exams.false' },
  ];
  protected readonly question = computed<PaperQuestionView | undefined>(() => this.attempt()?.questions[this.index()]);
  protected readonly remainingMs = computed(() => {
    const a = this.attempt();
    return a ? Math.max(0, Date.parse(a.deadline) - (this.now() + this.offsetMs)) : 0;
  });
  protected readonly clock = computed(() => {
    const s = Math.ceil(this.remainingMs() / 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  });
  protected readonly answeredCount = computed(() => Object.keys(this.answers()).length);
  protected readonly saveText = computed(() => {
    const n = this.pendingCount();
    if (n === 0) return this.t('exams.allSaved');
    return this.offline() ? this.t('exams.unsavedOffline', { n }) : this.t('exams.saving', { n });
  });

  ngOnInit(): void {
    const attemptId = Number(this.id());
    this.queue = new AnswerQueue(typeof localStorage === 'undefined' ? null : localStorage, attemptId);
    this.flags.set(new Set(JSON.parse(localStorage.getItem(`aitrainer.exam.${attemptId}.flags`) ?? '[]') as number[]));
    this.load();
    const tick = setInterval(() => this.tick(), 1000);
    const retry = setInterval(() => this.flush(), RETRY_MS);
    const online = () => {
      this.offline.set(false);
      this.flush();
    };
    window.addEventListener('online', online);
    this.destroyRef.onDestroy(() => {
      clearInterval(tick);
      clearInterval(retry);
      clearTimeout(this.saveTimer);
      window.removeEventListener('online', online);
    });
  }

  private load(): void {
    const sentAt = Date.now();
    this.api.attempt(Number(this.id())).subscribe({
      next: (a) => {
        const receivedAt = Date.now();
        this.offsetMs = Date.parse(a.serverNow) - (sentAt + receivedAt) / 2;
        const merged: Record<number, AnswerState> = {};
        for (const s of a.answers) merged[s.questionId] = { value: s.value, seq: s.seq };
        // Answers kept locally while offline (or before a reload) win over older server copies.
        for (const [qid, p] of Object.entries(this.queue.all())) {
          const current = merged[Number(qid)];
          if (!current || p.seq > current.seq) merged[Number(qid)] = { value: p.value, seq: p.seq };
          else this.queue.acknowledge(Number(qid), p.seq);
        }
        this.answers.set(merged);
        this.attempt.set(a);
        this.loadMedia(a);
        this.pendingCount.set(Object.keys(this.queue.all()).length);
        if (a.state === 'submitted') {
          this.closed = true;
          this.queue.clear();
        } else this.flush();
      },
      error: (e: unknown) => this.loadError.set(e instanceof HttpErrorResponse && e.status === 0 ? this.t('exams.offlineLoad') : this.t('exams.loadFailed')),
    });
  }

  private tick(): void {
    this.now.set(Date.now());
    const a = this.attempt();
    if (a && a.state === 'in_progress' && this.remainingMs() <= 0 && !this.closed) {
      // Time is up on the server's clock: the server submits (or has submitted); show what it recorded.
      this.closed = true;
      setTimeout(() => this.load(), 1500);
    }
  }

  protected valueOf(q: PaperQuestionView): ExamAnswerValue | undefined {
    return this.answers()[q.questionId]?.value;
  }
  protected chosen(q: PaperQuestionView): string[] {
    const v = this.valueOf(q);
    return Array.isArray(v) ? v : [];
  }
  protected textOf(q: PaperQuestionView): string {
    const v = this.valueOf(q);
    return typeof v === 'string' ? v : '';
  }
  protected matchOf(q: PaperQuestionView, key: string): string {
    const v = this.valueOf(q);
    return v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>)[key] === 'string' ? ((v as Record<string, string>)[key] ?? '') : '';
  }
  protected match(q: PaperQuestionView, key: string, choice: string): void {
    const v = this.valueOf(q);
    const current = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
    this.answer(q, { ...current, [key]: choice });
  }
  /**
   * An imported question's HTML with its files (served for this attempt, with the access token) as object URLs;
   * a file still loading shows nothing rather than a broken request without the token.
   */
  protected withMedia(html: string): string {
    const urls = this.mediaUrls();
    return html.replace(MEDIA_URL, (url) => urls[url] ?? '');
  }
  private loadMedia(a: AttemptView): void {
    const wanted = new Set<string>();
    for (const q of a.questions) {
      if (q.format !== 'html') continue;
      for (const text of [q.stem, ...(q.options ?? []).map((o) => o.text), ...(q.matchPrompts ?? []).map((p) => p.text)]) for (const m of text.match(MEDIA_URL) ?? []) wanted.add(m);
    }
    for (const url of wanted) {
      if (this.mediaUrls()[url]) continue;
      this.api.media(url.replace(/&amp;/g, '&')).subscribe({ next: (objectUrl) => this.mediaUrls.update((all) => ({ ...all, [url]: objectUrl })), error: () => undefined });
    }
  }
  protected labellingOf(q: PaperQuestionView): PracticalLabellingView | null {
    return q.practical?.kind === 'labelling' ? q.practical : null;
  }
  protected promptOf(q: PaperQuestionView): PracticalPromptTaskView | null {
    return q.practical?.kind === 'prompt_task' ? q.practical : null;
  }
  protected letter(i: number): string {
    return String.fromCharCode(65 + i);
  }
  protected typeKey(q: PaperQuestionView): MessageKey {
    return `exams.type.${q.type}` as MessageKey;
  }

  protected toggle(q: PaperQuestionView, key: string): void {
    const set = new Set(this.chosen(q));
    if (set.has(key)) set.delete(key);
    else set.add(key);
    this.answer(q, (q.options ?? []).map((o) => o.key).filter((k) => set.has(k)));
  }

  /** Queues the change locally first (it survives a reload), then sends it after a short pause. */
  protected answer(q: PaperQuestionView, value: ExamAnswerValue): void {
    if (this.closed) return;
    const seq = (this.answers()[q.questionId]?.seq ?? 0) + 1;
    this.answers.update((all) => ({ ...all, [q.questionId]: { value, seq } }));
    this.queue.put(q.questionId, { seq, value });
    this.pendingCount.set(Object.keys(this.queue.all()).length);
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flush(), SAVE_DEBOUNCE_MS);
  }

  /** Sends every queued answer, one request each; failures stay queued and are retried. */
  private flush(): void {
    if (this.sending || this.closed) return;
    const pending = Object.entries(this.queue.all());
    if (!pending.length) return;
    this.sending = true;
    let left = pending.length;
    const done = () => {
      left--;
      this.pendingCount.set(Object.keys(this.queue.all()).length);
      if (left === 0) this.sending = false;
    };
    for (const [qid, p] of pending) {
      this.api.save(Number(this.id()), Number(qid), p.seq, p.value).subscribe({
        next: (res) => {
          this.offline.set(false);
          this.queue.acknowledge(res.questionId, p.seq);
          done();
        },
        error: (e: unknown) => {
          if (e instanceof HttpErrorResponse && e.status === 409) {
            // The deadline passed or the attempt was submitted: nothing more can be saved.
            this.closed = true;
            this.load();
          } else if (e instanceof HttpErrorResponse && e.status === 400) {
            this.queue.acknowledge(Number(qid), p.seq); // a malformed answer will never be accepted
          } else this.offline.set(true);
          done();
        },
      });
    }
  }

  protected go(i: number): void {
    this.index.set(i);
  }

  protected toggleFlag(q: PaperQuestionView): void {
    const next = new Set(this.flags());
    if (next.has(q.questionId)) next.delete(q.questionId);
    else next.add(q.questionId);
    this.flags.set(next);
    try {
      localStorage.setItem(`aitrainer.exam.${this.id()}.flags`, JSON.stringify([...next]));
    } catch {
      /* flags are a convenience */
    }
  }

  protected async submit(): Promise<void> {
    if (!(await this.confirm.ask(this.pendingCount() ? this.t('exams.confirmSubmitUnsaved', { n: this.pendingCount() }) : this.t('exams.confirmSubmit')))) return;
    this.submitting.set(true);
    this.api.submit(Number(this.id())).subscribe({
      next: (a) => {
        this.closed = true;
        this.queue.clear();
        this.attempt.set(a);
        this.submitting.set(false);
      },
      error: () => this.submitting.set(false),
    });
  }
}

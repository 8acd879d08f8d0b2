import { HttpEventType } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, output, signal } from '@angular/core';
import { DIFFICULTIES, OCCUPATION_CODE, SKILL_LEVELS, type Difficulty, type ImportNote, type ImportQuestionsResponse, type QuestionImportFormat, type QuestionTags, type SkillLevel } from '@aitrainer/contracts';
import type { Subscription } from 'rxjs';
import { toApiProblem } from '../../core/http/api-problem';
import { I18n } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { problemMessage } from '../../core/notifications/problem-text';
import { QuestionBankApi } from './question-bank-api.service';

export type ImportFormat = QuestionImportFormat | 'xlsx';

/**
 * The API takes every file as base64 in a 2 MB JSON body (at most 2,000,000 base64 characters). Text files go as
 * their bytes too, so the server detects the encoding (UTF-8, UTF-16, GB18030/GBK) instead of the browser guessing.
 */
const MAX_FILE_BYTES = 1_450_000;

/** Base64 of a file's bytes, in slices so that no call gets too many arguments. */
export function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function formatOfFile(name: string): ImportFormat | null {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'xml') return 'moodle_xml';
  if (ext === 'csv') return 'csv';
  if (ext === 'gift' || ext === 'txt') return 'gift';
  return null;
}

/**
 * Imports GIFT, Moodle XML, the bank's CSV template or its Excel template, with default tags; the answer names every
 * question or row that was skipped and why. Uploads show their progress; the button is off until the answer arrives.
 */
@Component({
  selector: 'app-question-import',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    progress { width: 100%; height: 1.25rem; }
    .form-grid { align-items: start; }
  `,
  template: `
    <form class="form-grid" (submit)="$event.preventDefault(); run()" novalidate data-testid="bank-import-form">
      <label class="field">
        <span class="field__label">{{ t('bank.format') }}</span>
        <select (change)="format.set(formatOf(val($event)))" data-testid="bank-format">
          @for (f of formats; track f.value) { <option [value]="f.value" [selected]="f.value === format()">{{ f.label ? t(f.label) : f.value }}</option> }
        </select>
      </label>
      <label class="field">
        <span class="field__label">{{ t('bank.file') }}</span>
        <input type="file" accept=".gift,.txt,.xml,.csv,.xlsx" (change)="pick($event)" data-testid="bank-file" />
        <span class="field__help">{{ t('bank.fileHelp') }}</span>
      </label>
      <label class="field">
        <span class="field__label">{{ t('bank.level') }}</span>
        <select (change)="level.set(levelOf(val($event)))" data-testid="bank-import-level">
          @for (l of levels; track l) { <option [value]="l" [selected]="l === level()">{{ t(levelKey(l)) }}</option> }
        </select>
        <span class="field__help">{{ t('bank.importTagsHelp') }}</span>
      </label>
      <label class="field">
        <span class="field__label">{{ t('bank.dutyArea') }}</span>
        <input type="text" [value]="dutyArea()" (input)="dutyArea.set(val($event))" maxlength="100" data-testid="bank-import-duty-area" />
      </label>
      <label class="field">
        <span class="field__label">{{ t('bank.knowledgePoint') }}</span>
        <input type="text" [value]="knowledgePoint()" (input)="knowledgePoint.set(val($event))" maxlength="200" data-testid="bank-import-knowledge-point" />
      </label>
      <label class="field">
        <span class="field__label">{{ t('bank.difficulty') }}</span>
        <select (change)="difficulty.set(difficultyOf(val($event)))" data-testid="bank-import-difficulty">
          @for (d of difficulties; track d) { <option [value]="d" [selected]="d === difficulty()">{{ t(diffKey(d)) }}</option> }
        </select>
      </label>
      <div class="form-grid__wide">
        <button class="btn btn--primary" type="submit" [disabled]="running() || !file() || !dutyArea().trim()" data-testid="bank-import">{{ running() ? t('bank.importing') : t('bank.import') }}</button>
        @if (!dutyArea().trim()) { <span class="field__help"> {{ t('bank.importNeedsDutyArea') }}</span> }
      </div>
    </form>
    @if (phase(); as p) {
      <label class="field section-gap" data-testid="import-progress">
        <span class="field__label">{{ p === 'read' ? t('bank.phase.read') : p === 'upload' ? t('bank.phase.upload', { percent: percent() ?? 0 }) : t('bank.phase.import') }}</span>
        @if (percent() === null) { <progress></progress> } @else { <progress [value]="percent()" max="100"></progress> }
      </label>
    }
    @if (report(); as r) {
      <div class="section-gap" role="status">
        <p data-testid="import-summary">{{ t('bank.imported', { n: r.imported.length, skipped: r.skipped.length }) }}</p>
        @if (changed(r); as list) {
          @if (list.length) {
            <p>{{ t('bank.importChanged', { n: list.length }) }}</p>
            <ul data-testid="import-changed">
              @for (q of list; track q.position) {
                <li>{{ t('bank.changedQuestion', { position: q.position, title: q.title || '—' }) }}{{ notes(q.changes) }}</li>
              }
            </ul>
          }
        }
        @if (r.skipped.length) {
          <p>{{ t('bank.importSkipped', { n: r.skipped.length }) }}</p>
          <ul data-testid="import-skipped">
            @for (s of r.skipped; track s.position) {
              <li>{{ t('bank.skippedRow', { line: s.line, title: s.title || '—' }) }}{{ skipText(s) }}</li>
            }
          </ul>
        }
      </div>
    }
    @if (error(); as message) { <p class="banner banner--error" role="alert" data-testid="import-error">{{ message }}</p> }
  `,
})
export class QuestionImportComponent {
  private readonly i18n = inject(I18n);
  private readonly api = inject(QuestionBankApi);
  protected readonly t = this.i18n.t;

  /** After an import that created questions. */
  readonly imported = output<ImportQuestionsResponse>();

  protected readonly formats: readonly { value: ImportFormat; label: MessageKey | null }[] = [
    { value: 'gift', label: null },
    { value: 'moodle_xml', label: 'bank.format.moodle' },
    { value: 'csv', label: 'bank.csvTemplate' },
    { value: 'xlsx', label: 'bank.format.xlsx' },
  ];
  protected readonly levels = SKILL_LEVELS;
  protected readonly difficulties = DIFFICULTIES;

  protected readonly format = signal<ImportFormat>('gift');
  protected readonly file = signal<File | null>(null);
  protected readonly level = signal<SkillLevel>(4);
  protected readonly dutyArea = signal('');
  protected readonly knowledgePoint = signal('');
  protected readonly difficulty = signal<Difficulty>('medium');
  protected readonly running = signal(false);
  protected readonly phase = signal<'read' | 'upload' | 'import' | null>(null);
  protected readonly percent = signal<number | null>(null);
  protected readonly report = signal<ImportQuestionsResponse | null>(null);
  protected readonly error = signal<string | null>(null);
  private subscription?: Subscription;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  protected val(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }
  protected formatOf(value: string): ImportFormat {
    return this.formats.find((f) => f.value === value)?.value ?? 'gift';
  }
  protected levelOf(value: string): SkillLevel {
    return (SKILL_LEVELS.find((l) => String(l) === value) ?? 4) as SkillLevel;
  }
  protected difficultyOf(value: string): Difficulty {
    return DIFFICULTIES.find((d) => d === value) ?? 'medium';
  }
  protected levelKey(l: SkillLevel): MessageKey {
    return `level.${l}` as MessageKey;
  }
  protected diffKey(d: Difficulty): MessageKey {
    return `bank.difficulty.${d}` as MessageKey;
  }
  protected changed(r: ImportQuestionsResponse): ImportQuestionsResponse['imported'] {
    return r.imported.filter((q) => q.changes?.length);
  }
  /** A change or skip in the reader's language from its code (`bank.change.*`, `bank.skip.*`); an unknown code shows the server's English. */
  private note(prefix: 'bank.change' | 'bank.skip', note: ImportNote, fallback: string): string {
    const key = `${prefix}.${note.code}`;
    return this.i18n.has(key) ? this.t(key as MessageKey, note.params ?? {}) : fallback;
  }
  protected notes(changes: readonly ImportNote[]): string {
    return changes.map((c) => this.note('bank.change', c, c.code)).join('；');
  }
  protected skipText(s: ImportQuestionsResponse['skipped'][number]): string {
    return this.note('bank.skip', s, this.i18n.reason(s.reason));
  }

  protected pick(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0] ?? null;
    this.file.set(file);
    this.report.set(null);
    this.error.set(null);
    const format = file ? formatOfFile(file.name) : null;
    if (format) this.format.set(format);
  }

  protected async run(): Promise<void> {
    const file = this.file();
    if (!file || this.running() || !this.dutyArea().trim()) return;
    const format = this.format();
    if (file.size > MAX_FILE_BYTES) {
      this.error.set(this.t('bank.fileTooLarge', { max: '1.4 MB' }));
      return;
    }
    const tags: QuestionTags = { occupation: OCCUPATION_CODE, levels: [this.level()], dutyArea: this.dutyArea().trim(), knowledgePoint: this.knowledgePoint().trim(), difficulty: this.difficulty() };
    this.running.set(true);
    this.error.set(null);
    this.report.set(null);
    this.phase.set('read');
    this.percent.set(null);
    try {
      if (format === 'xlsx') {
        const base64 = toBase64(await file.arrayBuffer());
        this.phase.set('upload');
        this.percent.set(0);
        this.subscription = this.api.importXlsx(base64, tags).subscribe({
          next: (event) => {
            if (event.type === HttpEventType.UploadProgress) {
              const p = event.total ? Math.round((100 * event.loaded) / event.total) : null;
              if (p === 100) this.waitForServer();
              else this.percent.set(p);
            } else if (event.type === HttpEventType.Response && event.body) this.done(event.body);
          },
          error: (e: unknown) => this.fail(e),
        });
      } else {
        const contentBase64 = toBase64(await file.arrayBuffer());
        this.waitForServer();
        this.subscription = this.api.import({ format, contentBase64, tags }).subscribe({ next: (r) => this.done(r), error: (e: unknown) => this.fail(e) });
      }
    } catch (e) {
      this.fail(e);
    }
  }

  private waitForServer(): void {
    this.phase.set('import');
    this.percent.set(null);
  }

  private done(report: ImportQuestionsResponse): void {
    this.report.set(report);
    this.phase.set(null);
    this.running.set(false);
    if (report.imported.length) this.imported.emit(report);
  }

  private fail(e: unknown): void {
    const problem = toApiProblem(e);
    const reasons = problem.fields.map((f) => this.i18n.reason(f.problem));
    this.error.set([problemMessage(problem, this.i18n), ...reasons].join(' '));
    this.phase.set(null);
    this.running.set(false);
  }
}

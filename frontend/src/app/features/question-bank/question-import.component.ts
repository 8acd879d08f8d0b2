import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, output, signal, type WritableSignal } from '@angular/core';
import { DIFFICULTIES, OCCUPATION_CODE, SKILL_LEVELS, type Difficulty, type ImportNote, type ImportQuestionsResponse, type QuestionImportFormat, type QuestionTags, type SkillLevel } from '@aitrainer/contracts';
import type { Subscription } from 'rxjs';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { codedProblemText, problemMessage } from '../../core/notifications/problem-text';
import { FormsModule } from '@angular/forms';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { FilePickComponent } from '../../shared/components/file-pick.component';
import { UploadProgressComponent } from '../../shared/components/upload-progress.component';
import { trackUpload, type UploadProgress } from '../../shared/util/upload-progress';
import { QuestionBankApi } from './question-bank-api.service';

export type ImportFormat = QuestionImportFormat | 'xlsx';

/**
 * The API takes the file as a multipart upload (its bytes: the server detects the encoding, UTF-8, UTF-16 or
 * GB18030/GBK) within a limit per kind: 5 MB for the Excel template, 20 MB for GIFT, Moodle XML and CSV.
 */
export const MAX_IMPORT_MB: Readonly<Record<ImportFormat, number>> = { xlsx: 5, gift: 20, moodle_xml: 20, csv: 20 };

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
  imports: [FormsModule, FilePickComponent, NzFormModule, NzInputModule, NzSelectModule, UploadProgressComponent],
  styles: `
    .form-grid { align-items: start; }
    nz-form-item { margin-bottom: 0; }
  `,
  template: `
    <form nz-form nzLayout="vertical" class="form-grid" (submit)="$event.preventDefault(); run()" novalidate data-testid="bank-import-form">
      <nz-form-item>
        <nz-form-label nzFor="bank-format">{{ t('bank.format') }}</nz-form-label>
        <nz-form-control>
          <nz-select nzId="bank-format" [ngModel]="format()" (ngModelChange)="format.set($event)" [ngModelOptions]="{ standalone: true }" data-testid="bank-format">
            @for (f of formats; track f.value) { <nz-option [nzValue]="f.value" [nzLabel]="f.label ? t(f.label) : f.value.toUpperCase()" /> }
          </nz-select>
        </nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label>{{ t('bank.file') }}</nz-form-label>
        <nz-form-control [nzExtra]="t('bank.fileHelp') + ' ' + t('upload.limit', { mb: maxMb() })">
          <app-file-pick accept=".gift,.txt,.xml,.csv,.xlsx" (picked)="pick($event)" testId="bank-file" />
        </nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label nzFor="bank-import-level">{{ t('bank.level') }}</nz-form-label>
        <nz-form-control [nzExtra]="t('bank.importTagsHelp')">
          <nz-select nzId="bank-import-level" [ngModel]="level()" (ngModelChange)="level.set($event)" [ngModelOptions]="{ standalone: true }" data-testid="bank-import-level">
            @for (l of levels; track l) { <nz-option [nzValue]="l" [nzLabel]="t(levelKey(l))" /> }
          </nz-select>
        </nz-form-control>
      </nz-form-item>
      @for (f of tagFields; track f.id) {
        <nz-form-item>
          <nz-form-label [nzFor]="f.id" [nzRequired]="f.required">{{ t(f.label) }}</nz-form-label>
          <nz-form-control [nzExtra]="f.required && !f.value().trim() ? t('bank.importNeedsDutyArea') : ''">
            <input nz-input [id]="f.id" [value]="f.value()" (input)="f.value.set(val($event))" [attr.maxlength]="f.max" [attr.data-testid]="f.id" />
          </nz-form-control>
        </nz-form-item>
      }
      <nz-form-item>
        <nz-form-label nzFor="bank-import-difficulty">{{ t('bank.difficulty') }}</nz-form-label>
        <nz-form-control>
          <nz-select nzId="bank-import-difficulty" [ngModel]="difficulty()" (ngModelChange)="difficulty.set($event)" [ngModelOptions]="{ standalone: true }" data-testid="bank-import-difficulty">
            @for (d of difficulties; track d) { <nz-option [nzValue]="d" [nzLabel]="t(diffKey(d))" /> }
          </nz-select>
        </nz-form-control>
      </nz-form-item>
      <div class="form-grid__wide">
        <button class="btn btn--primary" type="submit" [disabled]="running() || !file() || !dutyArea().trim()" data-testid="bank-import">{{ running() ? t('bank.importing') : t('bank.import') }}</button>
      </div>
    </form>
    <app-upload-progress [progress]="progress()" />
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
export class QuestionImportComponent extends Localized {
  private readonly api = inject(QuestionBankApi);

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
  /** The free-text default tags; an import needs a duty area. */
  protected readonly tagFields = [
    { id: 'bank-import-duty-area', label: 'bank.dutyArea', value: this.dutyArea, max: 100, required: true },
    { id: 'bank-import-knowledge-point', label: 'bank.knowledgePoint', value: this.knowledgePoint, max: 200, required: false },
  ] as const satisfies readonly { id: string; label: MessageKey; value: WritableSignal<string>; max: number; required: boolean }[];
  protected readonly running = signal(false);
  protected readonly progress = signal<UploadProgress>(undefined);
  protected readonly maxMb = computed(() => MAX_IMPORT_MB[this.format()]);
  protected readonly report = signal<ImportQuestionsResponse | null>(null);
  protected readonly error = signal<string | null>(null);
  private subscription?: Subscription;

  constructor() {
    super();
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  protected val(event: Event): string {
    return (event.target as HTMLInputElement).value;
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

  protected pick(files: File[]): void {
    const file = files[0] ?? null;
    this.file.set(file);
    this.report.set(null);
    this.error.set(null);
    const format = file ? formatOfFile(file.name) : null;
    if (format) this.format.set(format);
  }

  protected run(): void {
    const file = this.file();
    if (!file || this.running() || !this.dutyArea().trim()) return;
    const format = this.format();
    const maxMb = MAX_IMPORT_MB[format];
    if (file.size > maxMb * 1024 * 1024) {
      this.error.set(this.t('upload.tooLarge', { size: (file.size / 1024 / 1024).toFixed(1), mb: maxMb }));
      return;
    }
    const tags: QuestionTags = { occupation: OCCUPATION_CODE, levels: [this.level()], dutyArea: this.dutyArea().trim(), knowledgePoint: this.knowledgePoint().trim(), difficulty: this.difficulty() };
    this.running.set(true);
    this.error.set(null);
    this.report.set(null);
    const events = format === 'xlsx' ? this.api.importXlsx(file, tags) : this.api.import(file, { format, tags });
    this.subscription = trackUpload(events, this.progress).subscribe({ next: (r) => this.done(r), error: (e: unknown) => this.fail(e) });
  }

  private done(report: ImportQuestionsResponse): void {
    this.report.set(report);
    this.running.set(false);
    if (report.imported.length) this.imported.emit(report);
  }

  private fail(e: unknown): void {
    const problem = toApiProblem(e);
    const reasons = problem.fields.map((f) => codedProblemText(f, this.i18n) ?? this.i18n.reason(f.problem));
    this.error.set([problemMessage(problem, this.i18n), ...reasons].join(' '));
    this.running.set(false);
  }
}

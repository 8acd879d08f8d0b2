import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { DIFFICULTIES, OCCUPATION_CODE, QUESTION_TYPES, type Difficulty, type ImportQuestionsResponse, type QuestionImportFormat, type QuestionView, type SkillLevel } from '@aitrainer/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { QuestionBankApi } from './question-bank-api.service';

/** The instructor's question bank: search by tag, import GIFT / Moodle XML with a report of what was skipped. */
@Component({
  selector: 'app-question-bank-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule],
  template: `
    <h1 class="page-title">{{ t('bank.title') }}</h1>
    <section class="card section-gap">
      <h2>{{ t('bank.search') }}</h2>
      <form class="grid grid--2" (submit)="$event.preventDefault(); search()">
        <label class="field"><span>{{ t('bank.type') }}</span>
          <select [(ngModel)]="filter.type" name="type"><option value="">{{ t('bank.any') }}</option>
            @for (ty of types; track ty) { <option [value]="ty">{{ t(typeKey(ty)) }}</option> }</select></label>
        <label class="field"><span>{{ t('bank.level') }}</span>
          <select [(ngModel)]="filter.level" name="level"><option value="">{{ t('bank.any') }}</option>
            @for (l of [5, 4, 3, 2, 1]; track l) { <option [value]="'' + l">{{ l }}</option> }</select></label>
        <label class="field"><span>{{ t('bank.dutyArea') }}</span><input [(ngModel)]="filter.dutyArea" name="dutyArea" /></label>
        <label class="field"><span>{{ t('bank.knowledgePoint') }}</span><input [(ngModel)]="filter.knowledgePoint" name="knowledgePoint" /></label>
        <label class="field"><span>{{ t('bank.text') }}</span><input [(ngModel)]="filter.q" name="q" /></label>
        <p><button class="btn btn--primary" type="submit" data-testid="bank-search">{{ t('bank.search') }}</button>
          <button class="btn" type="button" (click)="exportCsv()" data-testid="bank-export">{{ t('bank.exportCsv') }}</button></p>
      </form>
      <table class="table" data-testid="bank-table">
        <thead><tr><th>#</th><th>{{ t('bank.type') }}</th><th>{{ t('bank.stem') }}</th><th>{{ t('bank.dutyArea') }}</th><th>{{ t('bank.knowledgePoint') }}</th><th>{{ t('bank.version') }}</th></tr></thead>
        <tbody>
          @for (q of questions(); track q.id) {
            <tr><td>{{ q.id }}</td><td>{{ t(typeKey(q.type)) }}</td><td>{{ q.content.stem }}</td><td>{{ q.tags.dutyArea }}</td><td>{{ q.tags.knowledgePoint }}</td><td>v{{ q.version }}</td></tr>
          }
        </tbody>
      </table>
    </section>
    <section class="card section-gap">
      <h2>{{ t('bank.import') }}</h2>
      <div class="grid grid--2">
        <label class="field"><span>{{ t('bank.format') }}</span>
          <select [(ngModel)]="format" name="format"><option value="gift">GIFT</option><option value="moodle_xml">Moodle XML</option><option value="csv">{{ t('bank.csvTemplate') }}</option></select></label>
        <label class="field"><span>{{ t('bank.file') }}</span><input type="file" accept=".gift,.txt,.xml,.csv" (change)="pick($event)" data-testid="bank-file" /></label>
        <label class="field"><span>{{ t('bank.level') }}</span>
          <select [(ngModel)]="importLevel" name="importLevel">@for (l of [5, 4, 3, 2, 1]; track l) { <option [ngValue]="l">{{ l }}</option> }</select></label>
        <label class="field"><span>{{ t('bank.dutyArea') }}</span><input [(ngModel)]="importDutyArea" name="importDutyArea" /></label>
        <label class="field"><span>{{ t('bank.difficulty') }}</span>
          <select [(ngModel)]="importDifficulty" name="importDifficulty">@for (d of difficulties; track d) { <option [value]="d">{{ t(diffKey(d)) }}</option> }</select></label>
      </div>
      <p><button class="btn btn--primary" type="button" [disabled]="!content() || !importDutyArea" (click)="runImport()" data-testid="bank-import">{{ t('bank.import') }}</button></p>
      @if (report(); as r) {
        <p data-testid="import-summary">{{ t('bank.imported', { n: r.imported.length, skipped: r.skipped.length }) }}</p>
        @if (r.skipped.length) {
          <ul data-testid="import-skipped">
            @for (s of r.skipped; track s.position) { <li>#{{ s.position }} {{ s.title }}: {{ s.reason }}</li> }
          </ul>
        }
      }
      @if (error()) { <p class="error" role="alert">{{ error() }}</p> }
    </section>
  `,
})
export class QuestionBankPage {
  protected readonly t = inject(I18n).t;
  private readonly api = inject(QuestionBankApi);
  protected readonly types = QUESTION_TYPES;
  protected readonly difficulties = DIFFICULTIES;
  protected filter: { type: string; level: string; dutyArea: string; knowledgePoint: string; q: string } = { type: '', level: '', dutyArea: '', knowledgePoint: '', q: '' };
  protected readonly questions = signal<QuestionView[]>([]);
  protected format: QuestionImportFormat = 'gift';
  protected importLevel: SkillLevel = 4;
  protected importDutyArea = '';
  protected importDifficulty: Difficulty = 'medium';
  protected readonly content = signal('');
  protected readonly report = signal<ImportQuestionsResponse | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    this.search();
  }

  protected typeKey(type: string): MessageKey {
    return `exams.type.${type}` as MessageKey;
  }
  protected diffKey(d: Difficulty): MessageKey {
    return `bank.difficulty.${d}` as MessageKey;
  }

  protected search(): void {
    this.api.list({ ...this.filter }).subscribe((rows) => this.questions.set(rows));
  }

  protected async pick(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const text = await file.text();
    this.content.set(text);
    if (file.name.toLowerCase().endsWith('.xml')) this.format = 'moodle_xml';
    if (file.name.toLowerCase().endsWith('.csv')) this.format = 'csv';
  }

  protected exportCsv(): void {
    this.api.exportCsv({ ...this.filter }).subscribe((text) => {
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'question-bank.csv';
      a.click();
      URL.revokeObjectURL(url);
    });
  }

  protected runImport(): void {
    this.error.set(null);
    this.api
      .import({ format: this.format, content: this.content(), tags: { occupation: OCCUPATION_CODE, levels: [this.importLevel], dutyArea: this.importDutyArea, knowledgePoint: '', difficulty: this.importDifficulty } })
      .subscribe({
        next: (r) => {
          this.report.set(r);
          this.search();
        },
        error: (e: { error?: { message?: string } }) => this.error.set(e.error?.message ?? 'error'),
      });
  }
}

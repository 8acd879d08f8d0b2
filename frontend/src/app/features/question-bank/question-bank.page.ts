import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { DIFFICULTIES, QUESTION_TYPES, SKILL_LEVELS, type Difficulty, type QuestionView } from '@aitrainer/contracts';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { NotificationService } from '../../core/notifications/notification.service';
import { DataTableComponent, type TableColumn, by, filterBy } from '../../shared/components/data-table.component';
import { remote } from '../../shared/util/remote';
import { saveBlob } from '../../shared/util/save-blob';
import { QuestionBankApi, type QuestionFilter } from './question-bank-api.service';
import type { DraftTags } from './question-draft';
import { QuestionEditorComponent } from './question-editor.component';
import { QuestionImportComponent } from './question-import.component';

interface BankFilter {
  type: string;
  level: string;
  dutyArea: string;
  knowledgePoint: string;
  difficulty: string;
  q: string;
}
const NO_FILTER: BankFilter = { type: '', level: '', dutyArea: '', knowledgePoint: '', difficulty: '', q: '' };

/** The search form's fields, in order: a choice among `options` (and "any"), or free text. */
const FILTER_FIELDS: readonly { key: keyof BankFilter; label: MessageKey; testId: string; options?: readonly { value: string; label: MessageKey }[] }[] = [
  { key: 'type', label: 'bank.type', testId: 'bank-filter-type', options: QUESTION_TYPES.map((ty) => ({ value: ty, label: `exams.type.${ty}` as MessageKey })) },
  { key: 'level', label: 'bank.level', testId: 'bank-filter-level', options: SKILL_LEVELS.map((l) => ({ value: `${l}`, label: `level.${l}` as MessageKey })) },
  { key: 'dutyArea', label: 'bank.dutyArea', testId: 'bank-filter-duty-area' },
  { key: 'knowledgePoint', label: 'bank.knowledgePoint', testId: 'bank-filter-knowledge-point' },
  { key: 'difficulty', label: 'bank.difficulty', testId: 'bank-filter-difficulty', options: DIFFICULTIES.map((d) => ({ value: d, label: `bank.difficulty.${d}` as MessageKey })) },
  { key: 'q', label: 'bank.text', testId: 'bank-filter-text' },
];

/**
 * The instructor's question bank: search by tag; write and edit questions of every type (an edit is a new version);
 * export the search as the bank's CSV or Excel template; import GIFT, Moodle XML, CSV or Excel with a report of what
 * was skipped.
 */
@Component({
  selector: 'app-question-bank-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, DataTableComponent, NzFormModule, NzInputModule, NzSelectModule, QuestionEditorComponent, QuestionImportComponent],
  styles: `
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
    .stem { white-space: pre-line; max-width: 32rem; overflow-wrap: anywhere; }
    nz-form-item { margin-bottom: 0; }
  `,
  template: `
    <div class="card__head">
      <h1 class="page-title">{{ t('bank.title') }}</h1>
      <button type="button" class="btn btn--primary" (click)="openNew()" data-testid="question-new">{{ t('bank.new') }}</button>
    </div>

    @if (editing(); as e) {
      <section class="card section-gap">
        <app-question-editor [question]="e.question" [startTags]="lastTags()" (saved)="onSaved($event)" (cancelled)="closeEditor()" />
      </section>
    }
    @if (savedNotice(); as notice) {
      <p class="banner banner--info section-gap" role="status" data-testid="question-saved">{{ notice }}</p>
    }

    <section class="card section-gap" aria-labelledby="bank-search-heading">
      <h2 id="bank-search-heading">{{ t('bank.search') }}</h2>
      <form nz-form nzLayout="vertical" class="form-grid" (ngSubmit)="search()">
        @for (f of filterFields; track f.key) {
          <nz-form-item>
            <nz-form-label [nzFor]="f.testId">{{ t(f.label) }}</nz-form-label>
            <nz-form-control>
              @if (f.options; as options) {
                <nz-select [nzId]="f.testId" [(ngModel)]="filter[f.key]" [name]="f.key" [attr.data-testid]="f.testId"><nz-option nzValue="" [nzLabel]="t('bank.any')" />
                  @for (o of options; track o.value) { <nz-option [nzValue]="o.value" [nzLabel]="t(o.label)" /> }</nz-select>
              } @else {
                <input nz-input [id]="f.testId" [(ngModel)]="filter[f.key]" [name]="f.key" [attr.data-testid]="f.testId" />
              }
            </nz-form-control>
          </nz-form-item>
        }
        <p class="actions form-grid__wide">
          <button class="btn btn--primary" type="submit" data-testid="bank-search">{{ t('bank.search') }}</button>
          <button class="btn" type="button" (click)="exportCsv()" data-testid="bank-export">{{ t('bank.exportCsv') }}</button>
          <button class="btn" type="button" (click)="exportXlsx()" [disabled]="exportingXlsx()" data-testid="bank-export-xlsx">{{ exportingXlsx() ? t('bank.exporting') : t('bank.exportXlsx') }}</button>
          <span class="muted small">{{ t('bank.exportHelp') }}</span>
        </p>
      </form>
      <app-data-table [source]="questions" [columns]="columns()" [trackBy]="trackById" [pageSize]="50"
                      [emptyText]="emptyText()" testId="bank-table" [rowTestId]="rowTestId">
        <ng-template let-q>
          <td>{{ q.id }}</td><td>{{ t(typeKey(q.type)) }}</td><td class="stem">{{ q.content.stem }}</td><td>{{ q.tags.levels.join(', ') }}</td>
          <td>{{ q.tags.dutyArea }}</td><td>{{ q.tags.knowledgePoint }}</td><td>{{ t(diffKey(q.tags.difficulty)) }}</td>
          <td [attr.data-testid]="'bank-version-' + q.id">v{{ q.version }}</td>
          <td><button type="button" class="btn btn--small" (click)="openEdit(q)" [attr.aria-label]="t('bank.editOne', { id: q.id })" [attr.data-testid]="'question-edit-' + q.id">{{ t('bank.edit') }}</button></td>
        </ng-template>
      </app-data-table>
    </section>

    <section class="card section-gap" aria-labelledby="bank-import-heading">
      <h2 id="bank-import-heading">{{ t('bank.import') }}</h2>
      <app-question-import (imported)="questions.reload()" />
    </section>
  `,
})
export class QuestionBankPage extends Localized {
  private readonly api = inject(QuestionBankApi);
  private readonly notifications = inject(NotificationService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly types = QUESTION_TYPES;
  protected readonly difficulties = DIFFICULTIES;
  protected readonly filterFields = FILTER_FIELDS;

  /** What the form shows; `applied` is what the table and the exports use. */
  protected filter: BankFilter = { ...NO_FILTER };
  private readonly applied = signal<QuestionFilter>({});
  protected readonly questions = remote(() => this.api.list(this.applied()));
  protected readonly trackById = (q: QuestionView) => q.id;
  protected readonly rowTestId = (q: QuestionView) => `bank-row-${q.id}`;
  protected readonly columns = computed((): TableColumn<QuestionView>[] => [
    { label: '#', sort: by.number((q) => q.id) },
    { label: this.t('bank.type'), ...filterBy((q) => q.type, this.types.map((ty) => [ty, this.t(this.typeKey(ty))] as const)) },
    { label: this.t('bank.stem') },
    { label: this.t('bank.level') },
    { label: this.t('bank.dutyArea'), sort: by.text((q) => q.tags.dutyArea) },
    { label: this.t('bank.knowledgePoint'), sort: by.text((q) => q.tags.knowledgePoint) },
    { label: this.t('bank.difficulty'), ...filterBy((q) => q.tags.difficulty, this.difficulties.map((d) => [d, this.t(this.diffKey(d))] as const)) },
    { label: this.t('bank.version'), sort: by.number((q) => q.version) },
    { label: this.t('bank.actions'), hiddenLabel: true },
  ]);

  /** The open editor: `question` null for a new one. */
  protected readonly editing = signal<{ question: QuestionView | null } | null>(null);
  /** New questions start with the tags of the last one saved. */
  protected readonly lastTags = signal<DraftTags | null>(null);
  protected readonly savedNotice = signal<string | null>(null);
  protected readonly exportingXlsx = signal(false);

  protected typeKey(type: string): MessageKey {
    return `exams.type.${type}` as MessageKey;
  }
  protected diffKey(d: Difficulty): MessageKey {
    return `bank.difficulty.${d}` as MessageKey;
  }
  protected emptyText(): string {
    return Object.values(this.applied()).some(Boolean) ? this.t('bank.noMatch') : this.t('bank.empty');
  }

  protected search(): void {
    this.applied.set({ ...this.filter });
    this.questions.reload();
  }

  protected openNew(): void {
    this.savedNotice.set(null);
    this.editing.set({ question: null });
    this.focusEditor();
  }
  protected openEdit(q: QuestionView): void {
    this.savedNotice.set(null);
    this.editing.set({ question: q });
    this.focusEditor();
  }
  protected closeEditor(): void {
    this.editing.set(null);
  }

  protected onSaved(q: QuestionView): void {
    const wasEdit = this.editing()?.question !== null;
    this.lastTags.set({ levels: q.tags.levels, dutyArea: q.tags.dutyArea, knowledgePoint: q.tags.knowledgePoint, difficulty: q.tags.difficulty });
    this.editing.set(null);
    this.savedNotice.set(wasEdit ? this.t('bank.savedVersion', { id: q.id, version: q.version }) : this.t('bank.created', { id: q.id }));
    this.questions.reload();
  }

  /** Exports use the filters as the form shows them. */
  protected exportCsv(): void {
    this.api.exportCsv({ ...this.filter }).subscribe({
      next: (text) => saveBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), 'question-bank.csv'),
      error: (e: unknown) => this.notifications.error(e),
    });
  }

  protected exportXlsx(): void {
    this.exportingXlsx.set(true);
    this.api.exportXlsx({ ...this.filter }).subscribe({
      next: (blob) => {
        this.exportingXlsx.set(false);
        saveBlob(blob, 'question-bank.xlsx');
      },
      error: (e: unknown) => {
        this.exportingXlsx.set(false);
        this.notifications.error(e);
      },
    });
  }

  /** The editor opens above the table: bring it into view and put the keyboard there. */
  private focusEditor(): void {
    setTimeout(() => {
      const editor = this.host.nativeElement.querySelector<HTMLElement>('app-question-editor');
      editor?.scrollIntoView({ block: 'start' });
      editor?.querySelector<HTMLElement>('select:not([disabled]), textarea')?.focus();
    });
  }
}

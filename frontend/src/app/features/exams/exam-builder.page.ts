import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { Confirm } from '../../shared/util/confirm';
import { FormsModule, type NgForm } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzStatisticModule } from 'ng-zorro-antd/statistic';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { QUESTION_TYPES, type BlueprintSection, type ExamPart, type ExamView, type ItemAnalysisReport, type QuestionType, type SkillLevel } from '@aitrainer/contracts';
import { toApiProblem } from '../../core/http/api-problem';
import { fieldProblemText, problemMessage } from '../../core/notifications/problem-text';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { ExamAdminApi, type ExamResultsView } from './exam-admin-api.service';
import { ItemAnalysisComponent } from './item-analysis.component';
import { FormFieldComponent } from '../../shared/components/form-field.component';

const RESULTS_REFRESH_MS = 5_000;

interface SectionRow {
  part: ExamPart;
  type: QuestionType;
  count: number;
  points: number;
  dutyAreas: string;
}

/** The instructor's exam builder (parts, blueprint, check against the bank, publish) with results and item analysis. */
@Component({
  selector: 'app-exam-builder-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, ItemAnalysisComponent, NzButtonModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzStatisticModule, NzTableModule, NzTagModule],
  styles: `
    .stats { display: flex; flex-wrap: wrap; gap: 0.75rem 2rem; margin: 0.5rem 0 1rem; }
    app-form-field nz-select, app-form-field nz-input-number { width: 100%; }
    .cell-part { width: 7rem; }
    .cell-type { width: 10rem; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.75rem; }
  `,
  template: `
    <h1 class="page-title">{{ t('examAdmin.title') }}</h1>
    <section class="card section-gap">
      <h2>{{ editingId() === null ? t('examAdmin.new') : t('examAdmin.editing') }}</h2>
      <form nz-form nzLayout="vertical" #form="ngForm" (ngSubmit)="create(form)" data-testid="exam-form">
      <div class="grid grid--2">
        <app-form-field required [label]="t('examAdmin.examTitle')" fieldId="exam-title" [invalidTip]="t('examAdmin.titleRequired')">
          <input nz-input id="exam-title" [(ngModel)]="title" name="title" required maxlength="200" data-testid="exam-title" />
        </app-form-field>
        <app-form-field [label]="t('bank.level')" fieldId="exam-level">
          <nz-select nzId="exam-level" [(ngModel)]="level" (ngModelChange)="preview()" name="level" data-testid="exam-level">
            @for (l of [5, 4, 3, 2, 1]; track l) { <nz-option [nzValue]="l" [nzLabel]="levelName(l)" /> }
          </nz-select>
        </app-form-field>
        <app-form-field required [label]="t('examAdmin.theoryMinutes')" fieldId="exam-theory-minutes" [invalidTip]="t('examAdmin.minutesRange', { min: 1 })">
          <nz-input-number nzId="exam-theory-minutes" [nzMin]="1" [nzMax]="600" [nzPrecision]="0" [(ngModel)]="theoryMinutes" name="theoryMinutes" required data-testid="exam-theory-minutes" />
        </app-form-field>
        <app-form-field [label]="t('examAdmin.practicalMinutes')" fieldId="exam-practical-minutes" [invalidTip]="t('examAdmin.minutesRange', { min: 0 })" [extra]="t('examAdmin.practicalMinutesHelp')">
          <nz-input-number nzId="exam-practical-minutes" [nzMin]="0" [nzMax]="600" [nzPrecision]="0" [(ngModel)]="practicalMinutes" name="practicalMinutes" data-testid="exam-practical-minutes" />
        </app-form-field>
        <app-form-field required [label]="t('examAdmin.passMark')" fieldId="exam-pass-mark" [invalidTip]="t('examAdmin.passMarkRange')">
          <nz-input-number nzId="exam-pass-mark" [nzMin]="0" [nzMax]="100" [(ngModel)]="passMark" name="passMark" required data-testid="exam-pass-mark" />
        </app-form-field>
        <app-form-field [label]="t('examAdmin.minHours')" fieldId="exam-min-hours">
          <nz-input-number nzId="exam-min-hours" [nzMin]="0" [nzMax]="2000" [(ngModel)]="minHours" name="minHours" data-testid="exam-min-hours" />
        </app-form-field>
      </div>
      <h3>{{ t('examAdmin.blueprint') }}</h3>
      <nz-table #blueprintTable [nzData]="sections()" [nzShowPagination]="false" [nzFrontPagination]="false" nzSize="small" [nzScroll]="{ x: '720px' }" data-testid="blueprint">
        <thead><tr><th>{{ t('examAdmin.part') }}</th><th>{{ t('bank.type') }}</th><th>{{ t('examAdmin.count') }}</th><th>{{ t('examAdmin.pointsEach') }}</th><th>{{ t('bank.dutyArea') }}</th><th>{{ t('examAdmin.matching') }}</th><th><span class="visually-hidden">{{ t('examAdmin.rowActions') }}</span></th></tr></thead>
        <tbody>
          @for (row of blueprintTable.data; track $index; let i = $index) {
            <tr [attr.data-testid]="'section-' + (i + 1)">
              <td><label class="visually-hidden" [for]="'part' + i">{{ t('examAdmin.part') }} {{ i + 1 }}</label><nz-select class="cell-part" [(ngModel)]="row.part" (ngModelChange)="preview()" [name]="'part' + i" [nzId]="'part' + i" data-testid="section-part">
                <nz-option nzValue="theory" [nzLabel]="t('exams.partTheory')" /><nz-option nzValue="practical" [nzLabel]="t('exams.partPractical')" /></nz-select></td>
              <td><label class="visually-hidden" [for]="'type' + i">{{ t('bank.type') }} {{ i + 1 }}</label><nz-select class="cell-type" [(ngModel)]="row.type" (ngModelChange)="preview()" [name]="'type' + i" [nzId]="'type' + i" data-testid="section-type">
                @for (ty of types; track ty) { <nz-option [nzValue]="ty" [nzLabel]="t(typeKey(ty))" /> }</nz-select></td>
              <td><label class="visually-hidden" [for]="'count' + i">{{ t('examAdmin.count') }} {{ i + 1 }}</label><nz-input-number [nzMin]="1" [nzMax]="500" [nzPrecision]="0" [(ngModel)]="row.count" (ngModelChange)="preview()" [name]="'count' + i" [nzId]="'count' + i" data-testid="section-count" /></td>
              <td><label class="visually-hidden" [for]="'points' + i">{{ t('examAdmin.pointsEach') }} {{ i + 1 }}</label><nz-input-number [nzMin]="0.01" [nzStep]="0.5" [(ngModel)]="row.points" (ngModelChange)="preview()" [name]="'points' + i" [nzId]="'points' + i" data-testid="section-points" /></td>
              <td><input nz-input [(ngModel)]="row.dutyAreas" (change)="preview()" [name]="'duty' + i" [attr.aria-label]="t('bank.dutyArea') + ' ' + (i + 1)" /></td>
              <td [attr.data-testid]="'matching-' + (i + 1)" [class.error]="matching()[i] !== undefined && matching()[i]! < row.count">{{ matching()[i] ?? '—' }}</td>
              <td><button nz-button nzSize="small" nzType="text" nzDanger type="button" (click)="removeSection(i)" [attr.aria-label]="t('examAdmin.removeSection', { n: i + 1 })" [attr.title]="t('examAdmin.removeSection', { n: i + 1 })">×</button></td>
            </tr>
          }
        </tbody>
      </nz-table>
      <p class="actions"><button nz-button nzType="dashed" type="button" (click)="addSection()" data-testid="add-section">+ {{ t('examAdmin.addSection') }}</button>
        <button nz-button nzType="primary" type="submit" data-testid="exam-create">{{ editingId() === null ? t('examAdmin.create') : t('examAdmin.saveChanges') }}</button>
        @if (editingId() !== null) { <button nz-button type="button" (click)="stopEditing()" data-testid="exam-edit-cancel">{{ t('examAdmin.cancelEdit') }}</button> }</p>
      </form>
      @if (message()) { <p role="status">{{ message() }}</p> }
    </section>
    <section class="card section-gap">
      <h2>{{ t('examAdmin.list') }}</h2>
      @for (e of exams(); track e.id) {
        <article class="section-gap" [attr.data-testid]="'exam-' + e.id">
          <h3>{{ e.title }} · {{ levelName(e.level) }} · {{ e.status === 'published' ? t('examAdmin.published') : t('examAdmin.draft') }}</h3>
          <p>
            @if (e.status === 'draft') {
              <button type="button" class="btn btn--small" (click)="check(e)" [attr.data-testid]="'check-' + e.id">{{ t('examAdmin.check') }}</button>
              <button type="button" class="btn btn--small btn--primary" (click)="publish(e)" [attr.data-testid]="'publish-' + e.id">{{ t('examAdmin.publish') }}</button>
              <button type="button" class="btn btn--small" (click)="edit(e)" [attr.data-testid]="'edit-' + e.id">{{ t('examAdmin.edit') }}</button>
              <button type="button" class="btn btn--small" (click)="remove(e)" [attr.data-testid]="'delete-' + e.id">{{ t('examAdmin.delete') }}</button>
            } @else {
              <button type="button" class="btn btn--small" (click)="loadResults(e)" [attr.data-testid]="'results-' + e.id">{{ t('examAdmin.results') }}</button>
            }
          </p>
          @if (problems()[e.id]; as ps) {
            @if (ps.length) { <ul class="error">@for (p of ps; track $index) { <li>{{ p }}</li> }</ul> } @else { <p>{{ t('examAdmin.checkOk') }}</p> }
          }
          @if (results()[e.id]; as r) {
            @if (grading(r)) { <p class="muted small" role="status" [attr.data-testid]="'grading-' + e.id">{{ t('examAdmin.gradingRefresh') }}</p> }
            @if (!r.results.length) { <p class="muted" [attr.data-testid]="'no-results-' + e.id">{{ t('examAdmin.noResults') }}</p> }
            <div class="stats" [attr.data-testid]="'stats-' + e.id">
              <nz-statistic [nzTitle]="t('stats.candidates')" [nzValue]="r.results.length" />
              @for (entry of distributionOf(r); track entry.part) {
                <nz-statistic [nzTitle]="t(entry.part === 'theory' ? 'exams.partTheory' : 'exams.partPractical') + ' · ' + t('stats.mean')" [nzValue]="entry.mean" />
                <nz-statistic [nzTitle]="t(entry.part === 'theory' ? 'exams.partTheory' : 'exams.partPractical') + ' · ' + t('stats.median')" [nzValue]="entry.median" />
              }
            </div>
            <table class="table">
              <thead><tr><th>#</th><th>{{ t('examAdmin.status') }}</th><th>{{ t('exams.partTheory') }}</th><th>{{ t('exams.partPractical') }}</th><th>{{ t('exams.passed') }}</th></tr></thead>
              <tbody>@for (res of r.results; track res.registrationId) {
                <tr><td>{{ res.registrationId }}</td><td>{{ t(statusKey(res.status)) }}</td>
                  <td>{{ partScore(res.parts, 'theory') }}</td><td>{{ partScore(res.parts, 'practical') }}</td><td>{{ res.passed ? '✓' : '✗' }}</td></tr>
              }</tbody>
            </table>
            @if (analysis()[e.id]; as report) { <app-item-analysis [report]="report" /> }
          }
        </article>
      } @empty {
        <p class="muted" data-testid="exams-empty">{{ t('examAdmin.empty') }}</p>
      }
    </section>
  `,
})
export class ExamBuilderPage extends Localized {
  private readonly confirm = inject(Confirm);
  private readonly toast = inject(NzMessageService);
  protected statusKey(status: string): MessageKey {
    return `examAdmin.resultStatus.${status}` as MessageKey;
  }
  private readonly api = inject(ExamAdminApi);
  protected readonly types = QUESTION_TYPES;
  protected title = '';
  protected level: SkillLevel = 4;
  protected theoryMinutes = 90;
  protected practicalMinutes: number | null = 0;
  protected passMark = 60;
  protected minHours: number | null = null;
  protected readonly sections = signal<SectionRow[]>([
    { part: 'theory', type: 'true_false', count: 50, points: 0.5, dutyAreas: '' },
    { part: 'theory', type: 'single_choice', count: 150, points: 0.5, dutyAreas: '' },
  ]);
  protected readonly exams = signal<ExamView[]>([]);
  protected readonly editingId = signal<number | null>(null);
  /** Per blueprint row: how many bank questions match it now. */
  protected readonly matching = signal<(number | undefined)[]>([]);
  protected readonly levelName = (level: number) => this.t(`level.${level}` as MessageKey);
  protected readonly message = signal<string | null>(null);
  protected readonly problems = signal<Record<number, string[]>>({});
  protected readonly results = signal<Record<number, ExamResultsView>>({});
  protected readonly analysis = signal<Record<number, ItemAnalysisReport>>({});

  private readonly refreshTimers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor() {
    super();
    this.reload();
    this.preview();
    inject(DestroyRef).onDestroy(() => this.refreshTimers.forEach((timer) => clearTimeout(timer)));
  }

  private reload(): void {
    this.api.exams().subscribe((rows) => this.exams.set(rows));
  }

  protected typeKey(type: string): MessageKey {
    return `exams.type.${type}` as MessageKey;
  }
  protected addSection(): void {
    this.sections.update((s) => [...s, { part: 'theory', type: 'multiple_choice', count: 10, points: 1, dutyAreas: '' }]);
    this.preview();
  }
  protected removeSection(i: number): void {
    this.sections.update((s) => s.filter((_, k) => k !== i));
    this.preview();
  }

  private blueprint(): BlueprintSection[] {
    return this.sections().map((r) => ({
      part: r.part,
      type: r.type,
      count: Number(r.count),
      points: Number(r.points),
      ...(r.dutyAreas.trim() && { dutyAreas: r.dutyAreas.split(/[,，]/).map((d) => d.trim()).filter(Boolean) }),
    }));
  }

  /** Asks the bank how many questions match each row (called on every change to the rows or the level). */
  protected preview(): void {
    const blueprint = this.blueprint();
    if (!blueprint.length) return this.matching.set([]);
    this.api.preview({ level: this.level, blueprint }).subscribe({ next: (r) => this.matching.set(r.rows.map((x) => x.matching)), error: () => this.matching.set([]) });
  }

  /** Loads a draft into the form; saving then changes it (until it is published). */
  protected edit(e: ExamView): void {
    this.editingId.set(e.id);
    this.title = e.title;
    this.level = e.level;
    this.theoryMinutes = e.parts.find((p) => p.part === 'theory')?.durationMinutes ?? 90;
    this.practicalMinutes = e.parts.find((p) => p.part === 'practical')?.durationMinutes ?? 0;
    this.passMark = e.parts[0]?.passMark ?? 60;
    this.minHours = e.eligibility.minTrainingHours ?? null;
    this.sections.set(e.blueprint.map((s) => ({ part: s.part, type: s.type, count: s.count, points: s.points, dutyAreas: (s.dutyAreas ?? []).join(',') })));
    this.preview();
  }

  protected stopEditing(): void {
    this.editingId.set(null);
    this.title = '';
  }

  protected async remove(e: ExamView): Promise<void> {
    if (!(await this.confirm.ask(this.t('examAdmin.confirmDelete', { title: e.title }), { danger: true }))) return;
    this.api.remove(e.id).subscribe({
      next: () => {
        if (this.editingId() === e.id) this.stopEditing();
        this.reload();
      },
      error: (err: unknown) => this.problems.update((p) => ({ ...p, [e.id]: [problemMessage(toApiProblem(err), this.i18n), ...toApiProblem(err).fields.map((f) => fieldProblemText(f, this.i18n))] })),
    });
  }

  protected create(form: NgForm): void {
    if (form.invalid) {
      Object.values(form.controls).forEach((c) => {
        c.markAsDirty();
        c.updateValueAndValidity();
      });
      return;
    }
    const parts = [{ part: 'theory' as const, durationMinutes: this.theoryMinutes, passMark: this.passMark }];
    if ((this.practicalMinutes ?? 0) > 0) parts.push({ part: 'practical' as never, durationMinutes: this.practicalMinutes ?? 0, passMark: this.passMark });
    const blueprint = this.blueprint();
    const editing = this.editingId();
    const request = { title: this.title, level: this.level, parts, blueprint, eligibility: { requiredCourseIds: [], ...(this.minHours !== null && { minTrainingHours: Number(this.minHours) }) } };
    (editing === null ? this.api.create(request) : this.api.update(editing, request)).subscribe({
      next: () => {
        this.message.set(this.t(editing === null ? 'examAdmin.created' : 'examAdmin.saved'));
        this.editingId.set(null);
        this.reload();
      },
      error: (e: unknown) => {
        const problem = toApiProblem(e);
        this.message.set([problemMessage(problem, this.i18n), ...problem.fields.map((f) => fieldProblemText(f, this.i18n))].join(' '));
      },
    });
  }

  protected check(e: ExamView): void {
    this.api.check(e.id).subscribe((r) =>
      this.problems.update((p) => ({ ...p, [e.id]: r.problems.map((x) => this.t('problem.BLUEPRINT_SHORT', { row: x.section + 1, required: x.required, available: x.available })) })),
    );
  }

  protected publish(e: ExamView): void {
    this.api.publish(e.id).subscribe({
      next: () => {
        this.toast.success(this.t('examAdmin.publishedNotice', { title: e.title }));
        this.reload();
      },
      error: (err: unknown) => this.problems.update((p) => ({ ...p, [e.id]: toApiProblem(err).fields.map((f) => fieldProblemText(f, this.i18n)) })),
    });
  }

  protected loadResults(e: ExamView): void {
    clearTimeout(this.refreshTimers.get(e.id));
    this.api.results(e.id).subscribe((r) => {
      this.results.update((all) => ({ ...all, [e.id]: r }));
      // While items are still being graded (the queue), look again shortly: the table fills in by itself.
      if (this.grading(r)) this.refreshTimers.set(e.id, setTimeout(() => this.loadResults(e), RESULTS_REFRESH_MS));
    });
    this.api.itemAnalysis(e.id).subscribe((report) => this.analysis.update((all) => ({ ...all, [e.id]: report })));
  }

  protected grading(r: ExamResultsView): boolean {
    return r.results.some((res) => res.status === 'incomplete');
  }

  protected distributionOf(r: ExamResultsView): { part: string; mean: string; median: string }[] {
    return Object.entries(r.distribution).map(([part, d]) => ({ part, mean: d.mean.toFixed(1), median: d.median.toFixed(1) }));
  }
  protected partScore(parts: { part: ExamPart; scaled: number; submitted: boolean }[], part: ExamPart): string {
    const p = parts.find((x) => x.part === part);
    return p?.submitted ? String(p.scaled) : '—';
  }
}

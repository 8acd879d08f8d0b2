import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzStatisticModule } from 'ng-zorro-antd/statistic';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { QUESTION_TYPES, type BlueprintSection, type ExamPart, type ExamView, type ItemAnalysisView, type QuestionType, type SkillLevel } from '@aitrainer/contracts';
import { I18n } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { ExamAdminApi, type ExamResultsView } from './exam-admin-api.service';

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
  imports: [FormsModule, NzInputModule, NzStatisticModule, NzTableModule, NzTagModule],
  styles: `.stats { display: flex; flex-wrap: wrap; gap: 0.75rem 2rem; margin: 0.5rem 0 1rem; }`,
  template: `
    <h1 class="page-title">{{ t('examAdmin.title') }}</h1>
    <section class="card section-gap">
      <h2>{{ t('examAdmin.new') }}</h2>
      <div class="grid grid--2">
        <label class="field"><span>{{ t('examAdmin.examTitle') }}</span><input [(ngModel)]="title" name="title" data-testid="exam-title" /></label>
        <label class="field"><span>{{ t('bank.level') }}</span>
          <select [(ngModel)]="level" name="level" data-testid="exam-level">@for (l of [5, 4, 3, 2, 1]; track l) { <option [ngValue]="l">{{ l }}</option> }</select></label>
        <label class="field"><span>{{ t('examAdmin.theoryMinutes') }}</span><input type="number" min="1" [(ngModel)]="theoryMinutes" name="theoryMinutes" data-testid="exam-theory-minutes" /></label>
        <label class="field"><span>{{ t('examAdmin.practicalMinutes') }}</span><input type="number" min="0" [(ngModel)]="practicalMinutes" name="practicalMinutes" data-testid="exam-practical-minutes" /></label>
        <label class="field"><span>{{ t('examAdmin.passMark') }}</span><input type="number" min="0" max="100" [(ngModel)]="passMark" name="passMark" data-testid="exam-pass-mark" /></label>
        <label class="field"><span>{{ t('examAdmin.minHours') }}</span><input type="number" min="0" [(ngModel)]="minHours" name="minHours" data-testid="exam-min-hours" /></label>
      </div>
      <h3>{{ t('examAdmin.blueprint') }}</h3>
      <nz-table nzTemplateMode nzSize="small" class="blueprint" data-testid="blueprint">
        <thead><tr><th scope="col">{{ t('examAdmin.part') }}</th><th scope="col">{{ t('bank.type') }}</th><th scope="col">{{ t('examAdmin.count') }}</th><th scope="col">{{ t('examAdmin.pointsEach') }}</th><th scope="col">{{ t('bank.dutyArea') }}</th><th scope="col"><span class="visually-hidden">{{ t('table.actions') }}</span></th></tr></thead>
        <tbody>
          @for (row of sections(); track $index; let i = $index) {
            <tr [attr.data-testid]="'section-' + (i + 1)">
              <td><select class="ant-input" [(ngModel)]="row.part" [name]="'part' + i" [attr.aria-label]="t('examAdmin.part') + ' ' + (i + 1)"><option value="theory">{{ t('exams.partTheory') }}</option><option value="practical">{{ t('exams.partPractical') }}</option></select></td>
              <td><select class="ant-input" [(ngModel)]="row.type" [name]="'type' + i" [attr.aria-label]="t('bank.type') + ' ' + (i + 1)">@for (ty of types; track ty) { <option [value]="ty">{{ t(typeKey(ty)) }}</option> }</select></td>
              <td><input nz-input type="number" min="1" [(ngModel)]="row.count" [name]="'count' + i" [attr.aria-label]="t('examAdmin.count') + ' ' + (i + 1)" /></td>
              <td><input nz-input type="number" min="0.01" step="0.5" [(ngModel)]="row.points" [name]="'points' + i" [attr.aria-label]="t('examAdmin.pointsEach') + ' ' + (i + 1)" /></td>
              <td><input nz-input [(ngModel)]="row.dutyAreas" [name]="'duty' + i" [attr.aria-label]="t('bank.dutyArea') + ' ' + (i + 1)" /></td>
              <td><button type="button" class="btn btn--small" (click)="removeSection(i)" [attr.aria-label]="t('examAdmin.removeSection', { n: i + 1 })" [attr.title]="t('examAdmin.removeSection', { n: i + 1 })">×</button></td>
            </tr>
          }
        </tbody>
      </nz-table>
      <p><button type="button" class="btn btn--small" (click)="addSection()" data-testid="add-section">+ {{ t('examAdmin.addSection') }}</button>
        <button type="button" class="btn btn--primary" (click)="create()" [disabled]="!title" data-testid="exam-create">{{ t('examAdmin.create') }}</button></p>
      @if (message()) { <p role="status">{{ message() }}</p> }
    </section>
    <section class="card section-gap">
      <h2>{{ t('examAdmin.list') }}</h2>
      @for (e of exams(); track e.id) {
        <article class="section-gap" [attr.data-testid]="'exam-' + e.id">
          <h3>{{ e.title }} · {{ e.level }} <nz-tag [nzColor]="e.status === 'published' ? 'success' : 'default'">{{ e.status === 'published' ? t('examAdmin.published') : t('examAdmin.draft') }}</nz-tag></h3>
          <p>
            @if (e.status === 'draft') {
              <button type="button" class="btn btn--small" (click)="check(e)" [attr.data-testid]="'check-' + e.id">{{ t('examAdmin.check') }}</button>
              <button type="button" class="btn btn--small btn--primary" (click)="publish(e)" [attr.data-testid]="'publish-' + e.id">{{ t('examAdmin.publish') }}</button>
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
            @if (analysis()[e.id]; as items) {
              <h4>{{ t('examAdmin.itemAnalysis') }}</h4>
              <table class="table">
                <thead><tr><th>#</th><th>{{ t('bank.stem') }}</th><th>{{ t('examAdmin.facility') }}</th><th>{{ t('examAdmin.discrimination') }}</th><th>r<sub>pb</sub></th><th>{{ t('examAdmin.options') }}</th></tr></thead>
                <tbody>@for (it of items; track it.questionId) {
                  <tr><td>{{ it.questionId }}</td><td>{{ it.stem }}</td><td>{{ fmt(it.facility) }}</td><td>{{ fmt(it.discrimination) }}</td><td>{{ fmt(it.pointBiserial, 3) }}</td><td>{{ optionsText(it) }}</td></tr>
                }</tbody>
              </table>
            }
          }
        </article>
      } @empty {
        <p class="muted" data-testid="exams-empty">{{ t('examAdmin.empty') }}</p>
      }
    </section>
  `,
})
export class ExamBuilderPage {
  protected readonly t = inject(I18n).t;
  protected statusKey(status: string): MessageKey {
    return `examAdmin.resultStatus.${status}` as MessageKey;
  }
  private readonly api = inject(ExamAdminApi);
  protected readonly types = QUESTION_TYPES;
  protected title = '';
  protected level: SkillLevel = 4;
  protected theoryMinutes = 90;
  protected practicalMinutes = 0;
  protected passMark = 60;
  protected minHours: number | null = null;
  protected readonly sections = signal<SectionRow[]>([
    { part: 'theory', type: 'true_false', count: 50, points: 0.5, dutyAreas: '' },
    { part: 'theory', type: 'single_choice', count: 150, points: 0.5, dutyAreas: '' },
  ]);
  protected readonly exams = signal<ExamView[]>([]);
  protected readonly message = signal<string | null>(null);
  protected readonly problems = signal<Record<number, string[]>>({});
  protected readonly results = signal<Record<number, ExamResultsView>>({});
  protected readonly analysis = signal<Record<number, ItemAnalysisView[]>>({});

  private readonly refreshTimers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor() {
    this.reload();
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
  }
  protected removeSection(i: number): void {
    this.sections.update((s) => s.filter((_, k) => k !== i));
  }

  protected create(): void {
    const parts = [{ part: 'theory' as const, durationMinutes: this.theoryMinutes, passMark: this.passMark }];
    if (this.practicalMinutes > 0) parts.push({ part: 'practical' as never, durationMinutes: this.practicalMinutes, passMark: this.passMark });
    const blueprint: BlueprintSection[] = this.sections().map((r) => ({
      part: r.part,
      type: r.type,
      count: Number(r.count),
      points: Number(r.points),
      ...(r.dutyAreas.trim() && { dutyAreas: r.dutyAreas.split(/[,，]/).map((d) => d.trim()).filter(Boolean) }),
    }));
    this.api
      .create({ title: this.title, level: this.level, parts, blueprint, eligibility: { requiredCourseIds: [], ...(this.minHours !== null && { minTrainingHours: Number(this.minHours) }) } })
      .subscribe({
        next: () => {
          this.message.set(this.t('examAdmin.created'));
          this.reload();
        },
        error: (e: { error?: { message?: string } }) => this.message.set(e.error?.message ?? 'error'),
      });
  }

  protected check(e: ExamView): void {
    this.api.check(e.id).subscribe((r) => this.problems.update((p) => ({ ...p, [e.id]: r.problems.map((x) => `#${x.section + 1}: ${x.problem}`) })));
  }

  protected publish(e: ExamView): void {
    this.api.publish(e.id).subscribe({
      next: () => this.reload(),
      error: (err: { error?: { fields?: { field: string; problem: string }[] } }) =>
        this.problems.update((p) => ({ ...p, [e.id]: (err.error?.fields ?? []).map((f) => `${f.field}: ${f.problem}`) })),
    });
  }

  protected loadResults(e: ExamView): void {
    clearTimeout(this.refreshTimers.get(e.id));
    this.api.results(e.id).subscribe((r) => {
      this.results.update((all) => ({ ...all, [e.id]: r }));
      // While items are still being graded (the queue), look again shortly: the table fills in by itself.
      if (this.grading(r)) this.refreshTimers.set(e.id, setTimeout(() => this.loadResults(e), RESULTS_REFRESH_MS));
    });
    this.api.itemAnalysis(e.id).subscribe((items) => this.analysis.update((all) => ({ ...all, [e.id]: items })));
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
  protected fmt(x: number | null, digits = 1): string {
    return x === null ? '—' : x.toFixed(digits);
  }
  protected optionsText(it: ItemAnalysisView): string {
    return Object.entries(it.optionCounts)
      .map(([k, n]) => `${k}:${n}`)
      .join(' ');
  }
}

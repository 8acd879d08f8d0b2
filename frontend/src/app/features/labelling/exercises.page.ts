import { DatasetFormatComponent } from './dataset-format.component';
import { ChangeDetectionStrategy, Component, computed, inject, signal, type WritableSignal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { FilePickComponent } from '../../shared/components/file-pick.component';
import {
  GOLD_RULES,
  LABELLING_TASK_TYPES,
  isOpenTaskType,
  type DatasetImportResult,
  type ExerciseAgreementView,
  type ExerciseView,
  type GoldRule,
  type LabellingTaskType,
  type OpenTaskGrading,
} from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { NotificationService } from '../../core/notifications/notification.service';
import { SessionStore } from '../../core/auth/session.store';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { saveBlob } from '../../shared/util/save-blob';
import { LabellingApi } from './labelling-api.service';
import { UploadProgressComponent } from '../../shared/components/upload-progress.component';
import { trackUpload, type UploadProgress } from '../../shared/util/upload-progress';
import { JudgeCalibrationComponent, LabellingReviewsComponent } from './judge-panels.component';
import { ImportReportComponent } from './import-report.component';

/**
 * Students: the published exercises they may practise. Instructors: their own exercises, a form to create one,
 * dataset / Label Studio import (with image and audio files), Label Studio export, publishing.
 */
@Component({
  selector: 'app-labelling-exercises',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, FilePickComponent, NzCheckboxModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTagModule, RemoteViewComponent, RouterLink, JudgeCalibrationComponent, LabellingReviewsComponent, UploadProgressComponent, ImportReportComponent, DatasetFormatComponent],
  template: `
    <h1 class="page-title" data-testid="labelling-title">{{ t('labelling.title') }}</h1>
    @if (isInstructor()) {
      <section class="card" aria-labelledby="new-heading">
        <h2 id="new-heading">{{ t('labelling.create') }}</h2>
        <form nz-form nzLayout="vertical" class="form" (submit)="create($event)">
          <nz-form-item>
            <nz-form-label nzFor="new-title" nzRequired>{{ t('labelling.exerciseTitle') }}</nz-form-label>
            <nz-form-control><input nz-input id="new-title" name="title" required maxlength="200" data-testid="new-title" /></nz-form-control>
          </nz-form-item>
          <nz-form-item>
            <nz-form-label nzFor="new-type">{{ t('labelling.taskType') }}</nz-form-label>
            <nz-form-control>
              <nz-select nzId="new-type" data-testid="new-type" [ngModel]="selectedType()" (ngModelChange)="selectedType.set($event)" [ngModelOptions]="{ standalone: true }">@for (tt of taskTypes; track tt) { <nz-option [nzValue]="tt" [nzLabel]="typeLabel(tt)" /> }</nz-select>
            </nz-form-control>
          </nz-form-item>
          @for (f of listFields; track f.name) {
            <nz-form-item>
              <nz-form-label [nzFor]="'new-' + f.name">{{ t(f.label) }}</nz-form-label>
              <nz-form-control><input nz-input [id]="'new-' + f.name" [name]="f.name" [placeholder]="t('labelling.labelSetHint')" [attr.data-testid]="f.testId" /></nz-form-control>
            </nz-form-item>
          }
          <nz-form-item>
            <nz-form-label nzFor="new-audience">{{ t('labelling.audience') }}</nz-form-label>
            <nz-form-control>
              <nz-select nzId="new-audience" data-testid="new-audience" [ngModel]="audience()" (ngModelChange)="audience.set($event)" [ngModelOptions]="{ standalone: true }">
                @for (a of audiences; track a) { <nz-option [nzValue]="a" [nzLabel]="t(audienceKey(a))" /> }
              </nz-select>
            </nz-form-control>
          </nz-form-item>
          @if (isOpen(selectedType())) {
            <nz-form-item class="wide">
              <nz-form-label nzFor="new-rubric">{{ t('labelling.rubric') }}</nz-form-label>
              <nz-form-control [nzExtra]="t('labelling.rubricHint')">
                <textarea nz-input id="new-rubric" name="rubric" rows="8" class="mono" [value]="defaultRubric" data-testid="new-rubric"></textarea>
              </nz-form-control>
            </nz-form-item>
            @for (f of gradingFields; track f.testId) {
              <nz-form-item>
                <nz-form-label [nzFor]="f.testId">{{ t(f.label) }}</nz-form-label>
                <nz-form-control>
                  <nz-input-number [nzId]="f.testId" [nzMin]="0" [nzMax]="f.max" [ngModel]="f.value()" (ngModelChange)="f.value.set($event ?? f.empty)" [ngModelOptions]="{ standalone: true }" [attr.data-testid]="f.testId" />
                </nz-form-control>
              </nz-form-item>
            }
          }
          <button class="btn btn--primary" type="submit" data-testid="new-submit">{{ t('labelling.create') }}</button>
        </form>
      </section>
    }
    <section class="card section-gap">
      <app-remote-view [source]="exercises" [emptyText]="t('labelling.empty')">
        <ul class="list">
          @for (ex of exercises.value() ?? []; track ex.id) {
            <li class="row" [attr.data-testid]="'exercise-' + ex.id">
              <div class="grow">
                <strong>{{ ex.title }}</strong>
                <span class="muted small"> · {{ typeLabel(ex.taskType) }} · {{ t('labelling.itemCount', { count: ex.itemCount }) }} · {{ ex.ownerName }}</span>
                @if (isInstructor()) {
                  <nz-tag [nzColor]="ex.status === 'published' ? 'success' : 'default'">{{ ex.status === 'published' ? t('labelling.published') : t('labelling.draft') }}</nz-tag>
                  <span class="muted small"> · {{ t('labelling.goldCount', { count: ex.goldCount ?? 0 }) }}</span>
                }
              </div>
              @if (isInstructor()) {
                @if (ex.status === 'draft') {
                  <app-file-pick multiple accept=".jsonl,.csv,.json,image/*,audio/*" [disabled]="uploading() !== null" [label]="t('labelling.importDataset')" (picked)="upload(ex, 'dataset', $event)" [testId]="'dataset-file-' + ex.id" />
                  <app-file-pick multiple accept=".json,.csv,.xml,image/*,audio/*" [disabled]="uploading() !== null" [label]="t('labelling.importLabelStudio')" (picked)="upload(ex, 'label-studio', $event)" [testId]="'label-studio-file-' + ex.id" />
                  <span class="muted small">{{ t('upload.limit', { mb: 50 }) }}</span>
                  <button type="button" class="btn btn--small btn--primary" (click)="publish(ex)">{{ t('labelling.publish') }}</button>
                  <app-dataset-format class="full" [taskType]="ex.taskType" />
                }
                <button type="button" class="btn btn--small" (click)="exportLs(ex)">{{ t('labelling.exportLabelStudio') }}</button>
                @if (!isOpen(ex.taskType)) { <button type="button" class="btn btn--small" (click)="showAgreement(ex)" [attr.data-testid]="'agreement-' + ex.id">{{ t('labelling.agreement') }}</button> }
                @if (isOpen(ex.taskType)) { <app-judge-calibration [exercise]="ex" /> }
                @if (uploading() === ex.id) { <app-upload-progress class="full" [progress]="progress()" /> }
                @if (report(); as r) { @if (r.exerciseId === ex.id) { <app-import-report class="full" [result]="r.result" (closed)="report.set(null)" /> } }
                @if (agreement(); as a) {
                  @if (a.exerciseId === ex.id) {
                    <div class="full" data-testid="agreement-view">
                      @if (a.view.mean === null) { <p class="muted small">{{ t('labelling.agreement.none') }}</p> } @else {
                        <p>{{ t('labelling.agreement.mean', { value: a.view.mean.toFixed(2) }) }}</p>
                        <ul class="small">@for (i of a.view.items; track i.id) { @if (i.agreement !== null) { <li>{{ t('labelling.agreement.item', { id: i.id, annotators: i.annotators, value: i.agreement.toFixed(2) }) }}</li> } }</ul>
                      }
                    </div>
                  }
                }
              } @else {
                <a class="btn btn--primary btn--small" [routerLink]="['/student/labelling', ex.id]" [attr.data-testid]="'open-' + ex.id">{{ t('labelling.open') }}</a>
              }
            </li>
          }
        </ul>
      </app-remote-view>
      @if (isInstructor()) {
        <p class="muted small">{{ t('labelling.importHelp') }}</p>
        <fieldset class="ls-options">
          <legend>{{ t('labelling.lsOptions') }}</legend>
          <label nz-checkbox data-testid="ls-partial" [nzChecked]="partial()" (nzCheckedChange)="partial.set($event)">{{ t('labelling.lsPartial') }}</label>
          <div nz-form nzLayout="vertical">
            <nz-form-item>
              <nz-form-label nzFor="ls-gold-rule">{{ t('labelling.lsGoldRule') }}</nz-form-label>
              <nz-form-control [nzExtra]="t('labelling.lsHelp')">
                <nz-select nzId="ls-gold-rule" data-testid="ls-gold-rule" [ngModel]="goldRule()" (ngModelChange)="goldRule.set($event)" [ngModelOptions]="{ standalone: true }">
                  @for (rule of goldRules; track rule) { <nz-option [nzValue]="rule" [nzLabel]="t(ruleKey(rule))" /> }
                </nz-select>
              </nz-form-control>
            </nz-form-item>
          </div>
        </fieldset>
      }
    </section>
    @if (isInstructor()) { <section class="card section-gap"><app-labelling-reviews /></section> }
  `,
  styles: `
    .list { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.5rem; }
    .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; border-bottom: 1px solid var(--border); padding: 0.5rem 0; }
    .grow { flex: 1; min-width: 14rem; }
    .grow nz-tag { margin-inline-start: 0.5rem; }
    .form { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); align-items: end; }
    nz-form-item { margin-bottom: 0; }
    nz-input-number { width: 100%; }
    .wide { grid-column: 1 / -1; }
    .full { flex-basis: 100%; }
    .ls-options { border: 1px solid var(--border); border-radius: 0.4rem; display: grid; gap: 0.5rem; padding: 0.5rem 0.75rem; }
  `,
})
export class LabellingExercisesPage extends Localized {
  private readonly api = inject(LabellingApi);
  private readonly notify = inject(NotificationService);
  private readonly session = inject(SessionStore);
  protected readonly isInstructor = computed(() => this.session.user()?.role === 'instructor');
  protected readonly taskTypes = LABELLING_TASK_TYPES;
  protected readonly exercises = remote(() => this.api.list());
  protected readonly busy = signal(false);
  /** The exercise whose dataset is being uploaded, and how far it is. */
  protected readonly uploading = signal<number | null>(null);
  protected readonly progress = signal<UploadProgress>(undefined);
  protected readonly selectedType = signal<LabellingTaskType>(LABELLING_TASK_TYPES[0]);
  protected readonly audiences = ['organisation', 'platform', 'exam'] as const;
  protected readonly audience = signal<(typeof this.audiences)[number]>('organisation');
  protected readonly audienceKey = (a: (typeof this.audiences)[number]): MessageKey => `labelling.audience.${a}`;
  protected readonly weightExact = signal(40);
  protected readonly weightJudged = signal(60);
  protected readonly passMark = signal(60);
  /** Comma-separated lists: the label set (or entity types, or intents) and a dialogue task's slot names. */
  protected readonly listFields: readonly { name: string; label: MessageKey; testId: string | null }[] = [
    { name: 'labels', label: 'labelling.labelSet', testId: 'new-labels' },
    { name: 'slotNames', label: 'labelling.slotNames', testId: null },
  ];
  /** An open task's grading numbers; `empty` is what a cleared box means. */
  protected readonly gradingFields = [
    { testId: 'new-weight-exact', label: 'labelling.weightExact', value: this.weightExact, max: Number.MAX_SAFE_INTEGER, empty: 0 },
    { testId: 'new-weight-judged', label: 'labelling.weightJudged', value: this.weightJudged, max: Number.MAX_SAFE_INTEGER, empty: 0 },
    { testId: 'new-pass-mark', label: 'labelling.passMark', value: this.passMark, max: 100, empty: 60 },
  ] as const satisfies readonly { testId: string; label: MessageKey; value: WritableSignal<number>; max: number; empty: number }[];
  protected readonly isOpen = isOpenTaskType;
  /** Label Studio import: partial import on request, and the gold rule when no annotation is ground_truth. */
  protected readonly partial = signal(false);
  protected readonly goldRules = GOLD_RULES;
  protected readonly goldRule = signal<GoldRule>('first');
  protected readonly report = signal<{ exerciseId: number; result: DatasetImportResult } | null>(null);
  protected readonly agreement = signal<{ exerciseId: number; view: ExerciseAgreementView } | null>(null);
  protected readonly defaultRubric = JSON.stringify(
    [
      { id: 'correctness', name: '正确性', weight: 2, maxScore: 4, levels: [{ score: 0, descriptor: '错误' }, { score: 2, descriptor: '部分正确' }, { score: 4, descriptor: '完全正确' }], anchors: [] },
      { id: 'format', name: '格式', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '无结构' }, { score: 4, descriptor: '结构清楚' }], anchors: [] },
    ],
    null,
    2,
  );

  protected ruleKey(rule: GoldRule): MessageKey {
    return `labelling.goldRule.${rule}` as MessageKey;
  }

  protected typeLabel(tt: LabellingTaskType): string {
    return this.t(`labelling.type.${tt}` as MessageKey);
  }

  protected create(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const taskType = this.selectedType();
    const list = (name: string) => String(data.get(name) ?? '').split(/[,，]/).map((s) => s.trim()).filter(Boolean);
    const labels = list('labels');
    const key = taskType === 'named_entity_spans' ? 'entityTypes' : taskType === 'dialogue_intent_slots' ? 'intents' : 'labels';
    let openGrading: OpenTaskGrading | undefined;
    if (isOpenTaskType(taskType)) {
      let rubric: unknown;
      try {
        rubric = JSON.parse(String(data.get('rubric') ?? ''));
      } catch {
        rubric = null;
      }
      if (!Array.isArray(rubric)) return this.notify.info('labelling.rubricInvalid');
      openGrading = {
        rubric: rubric as OpenTaskGrading['rubric'],
        weights: { exact: this.weightExact(), judged: this.weightJudged() },
        passMark: this.passMark(),
      };
    }
    this.api
      .create({
        title: String(data.get('title') ?? ''),
        taskType,
        audience: this.audience(),
        [key]: labels,
        ...(taskType === 'dialogue_intent_slots' && { slotNames: list('slotNames') }),
        ...(openGrading && { scoring: { openGrading } }),
      })
      .subscribe({
        next: () => {
          form.reset();
          this.selectedType.set(LABELLING_TASK_TYPES[0]);
          this.audience.set('organisation');
          this.weightExact.set(40);
          this.weightJudged.set(60);
          this.passMark.set(60);
          this.notify.success('labelling.created');
          this.exercises.reload();
        },
        error: (err) => this.notify.error(err),
      });
  }

  /**
   * One file picker: the .jsonl/.csv/.json among the chosen files is the dataset, an .xml the Label Studio
   * labelling config, the rest are media.
   */
  protected upload(ex: ExerciseView, kind: 'dataset' | 'label-studio', files: File[]): void {
    const dataset = files.find((f) => /\.(jsonl|csv|json|ndjson)$/i.test(f.name));
    if (!dataset) return this.notify.info('labelling.pickDataset');
    const config = kind === 'label-studio' ? files.find((f) => /\.xml$/i.test(f.name)) : undefined;
    const media = files.filter((f) => f !== dataset && f !== config);
    const options = kind === 'label-studio' ? { config, partial: this.partial(), goldRule: this.goldRule() } : {};
    this.uploading.set(ex.id);
    this.report.set(null);
    trackUpload(this.api.upload(ex.id, kind, dataset, media, options), this.progress).subscribe({
      next: (r) => {
        this.uploading.set(null);
        this.notify.success('labelling.imported', { count: r.imported, gold: r.withGold });
        if (r.report) this.report.set({ exerciseId: ex.id, result: r });
        this.exercises.reload();
      },
      error: (err) => {
        this.uploading.set(null);
        this.notify.error(err);
      },
    });
  }

  protected publish(ex: ExerciseView): void {
    this.api.publish(ex.id).subscribe({ next: () => this.exercises.reload(), error: (err) => this.notify.error(err) });
  }

  protected showAgreement(ex: ExerciseView): void {
    this.api.agreement(ex.id).subscribe({ next: (view) => this.agreement.set({ exerciseId: ex.id, view }), error: (err) => this.notify.error(err) });
  }

  /** The file as the API wrote it (JSON, JSON-MIN or CSV), under its own extension. */
  protected exportLs(ex: ExerciseView): void {
    this.api.exportLabelStudio(ex.id).subscribe({
      next: (res) => {
        const ext = /filename="[^"]*?(\.min\.json|\.csv|\.json)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? '.json';
        saveBlob(res.body ?? new Blob([]), `label-studio-${ex.id}${ext}`);
      },
      error: (err) => this.notify.error(err),
    });
  }
}

import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import {
  DUTY_AREAS,
  SKILL_LEVELS,
  type AttachmentView,
  type CourseDetailView,
  type CourseDraftRequest,
  type CourseVersionView,
  type DutyArea,
  type SkillLevel,
} from '@aitrainer/contracts';
import { REFERENCE_TRAINING_HOURS } from '@aitrainer/domain';
import { FormsModule } from '@angular/forms';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { Localized } from '../../core/i18n/localized';
import { Confirm } from '../../shared/util/confirm';
import { NotificationService } from '../../core/notifications/notification.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { FilePickComponent } from '../../shared/components/file-pick.component';
import { UploadProgressComponent } from '../../shared/components/upload-progress.component';
import { trackUpload, type UploadProgress } from '../../shared/util/upload-progress';
import { remote } from '../../shared/util/remote';
import { saveBlob } from '../../shared/util/save-blob';
import { CoursesApi } from '../courses/courses-api.service';
import { dutyAreaKey, levelKey } from '../courses/course-labels';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { FormFieldComponent } from '../../shared/components/form-field.component';

interface EditLesson {
  uid: number;
  key?: string;
  title: string;
  contentMarkdown: string;
  videoUrl: string;
  durationMinutes: number;
  attachments: AttachmentView[];
}
interface EditModule {
  uid: number;
  key?: string;
  title: string;
  lessons: EditLesson[];
}
interface EditCourse {
  title: string;
  description: string;
  targetLevel: SkillLevel;
  dutyAreas: DutyArea[];
  requiredHours: string;
  minTimePercent: number;
  modules: EditModule[];
}

let nextUid = 1;

function fromVersion(v: CourseVersionView): EditCourse {
  return {
    title: v.title,
    description: v.description,
    targetLevel: v.targetLevel,
    dutyAreas: [...v.dutyAreas],
    requiredHours: v.requiredHoursIsDefault ? '' : String(v.requiredHours),
    minTimePercent: v.minTimePercent,
    modules: v.modules.map((m) => ({
      uid: nextUid++,
      key: m.key,
      title: m.title,
      lessons: m.lessons.map((l) => ({ uid: nextUid++, key: l.key, title: l.title, contentMarkdown: l.contentMarkdown, videoUrl: l.videoUrl ?? '', durationMinutes: l.durationMinutes, attachments: l.attachments })),
    })),
  };
}

function toRequest(c: EditCourse): CourseDraftRequest {
  return {
    title: c.title,
    description: c.description,
    targetLevel: c.targetLevel,
    dutyAreas: c.dutyAreas,
    requiredHours: c.requiredHours.trim() === '' ? null : Number(c.requiredHours),
    minTimePercent: c.minTimePercent,
    modules: c.modules.map((m) => ({
      ...(m.key && { key: m.key }),
      title: m.title,
      lessons: m.lessons.map((l) => ({
        ...(l.key && { key: l.key }),
        title: l.title,
        contentMarkdown: l.contentMarkdown,
        videoUrl: l.videoUrl.trim() || null,
        durationMinutes: Number(l.durationMinutes),
      })),
    })),
  };
}

const move = <T,>(list: T[], from: number, to: number): void => {
  if (to < 0 || to >= list.length) return;
  const [item] = list.splice(from, 1);
  list.splice(to, 0, item);
};

/** Course editor: metadata, modules and lessons in order, Markdown with a server-rendered preview, publish. */
@Component({
  selector: 'app-course-editor-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, RemoteViewComponent, RouterLink, NzCheckboxModule, NzInputNumberModule, NzSelectModule, FilePickComponent, UploadProgressComponent, NzFormModule, NzInputModule],
  styles: `
    .editor { display: grid; gap: 1rem; grid-template-columns: minmax(16rem, 22rem) 1fr; align-items: start; }
    @media (max-width: 900px) { .editor { grid-template-columns: 1fr; } }
    .outline-module { border: 1px solid var(--border); border-radius: var(--radius); padding: 0.5rem; margin-bottom: 0.75rem; }
    .outline-row { display: flex; gap: 0.25rem; align-items: center; }
    .outline-row input { flex: 1; min-width: 0; }
    .outline-lesson { display: flex; gap: 0.25rem; align-items: center; margin: 0.25rem 0 0 1rem; }
    .outline-lesson button.select { flex: 1; text-align: left; }
    .outline-lesson.is-selected button.select { font-weight: 600; text-decoration: underline; }
    .md { width: 100%; min-height: 16rem; font-family: var(--font-mono, monospace); }
    .preview { border: 1px dashed var(--border); border-radius: var(--radius); padding: 0.75rem; min-height: 4rem; overflow-wrap: anywhere; }
    nz-select, nz-input-number { width: 100%; }
    .areas-legend { color: var(--text); font-size: 0.9rem; font-weight: 500; margin-bottom: 0.5rem; border: 0; }
    .checks { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
  `,
  template: `
    <p><a routerLink="/instructor">← {{ t('courses.backToDesk') }}</a></p>
    <app-remote-view [source]="course">
      @if (model(); as m) {
        <div class="card__head">
          <h1 class="page-title" data-testid="editor-title">{{ m.title || t('courses.untitled') }}</h1>
          <span class="muted small" data-testid="editor-status">{{ statusText() }}</span>
        </div>
        @if (readOnly()) {
          <p class="banner banner--info">{{ t('courses.readOnly') }}</p>
        }
        <section class="card section-gap">
          <div nz-form nzLayout="vertical" class="form-grid">
            <app-form-field class="form-grid__wide" [label]="t('courses.title')" fieldId="course-title">
              <input nz-input id="course-title" [value]="m.title" (input)="edit((c) => (c.title = val($event)))" maxlength="200" data-testid="course-title" [disabled]="readOnly()" />
            </app-form-field>
            <app-form-field class="form-grid__wide" [label]="t('courses.description')" fieldId="course-description">
              <textarea nz-input id="course-description" rows="2" [value]="m.description" (input)="edit((c) => (c.description = val($event)))" maxlength="5000" [disabled]="readOnly()"></textarea>
            </app-form-field>
            <app-form-field [label]="t('courses.targetLevel')" fieldId="course-level">
              <nz-select nzId="course-level" [ngModel]="m.targetLevel" (ngModelChange)="setLevel($event)" [nzDisabled]="readOnly()" data-testid="course-level">
                @for (l of levels; track l) {
                  <nz-option [nzValue]="l" [nzLabel]="t(levelKey(l))" />
                }
              </nz-select>
            </app-form-field>
            <app-form-field [label]="t('courses.requiredHours')" fieldId="course-hours" [extra]="t('courses.requiredHoursHelp')">
              <input nz-input id="course-hours" inputmode="decimal" [value]="m.requiredHours" [placeholder]="t('courses.requiredHoursDefault', { n: referenceHours(m.targetLevel) })" (input)="edit((c) => (c.requiredHours = val($event)))" [disabled]="readOnly()" />
            </app-form-field>
            <app-form-field [label]="t('courses.minTimePercent')" fieldId="course-min-time" [extra]="t('courses.minTimePercentHelp')">
              <nz-input-number nzId="course-min-time" [nzMin]="0" [nzMax]="100" [nzPrecision]="0" [ngModel]="m.minTimePercent" (ngModelChange)="edit((c) => (c.minTimePercent = $event ?? 0))" [nzDisabled]="readOnly()" data-testid="course-min-time" />
            </app-form-field>
            <fieldset class="form-grid__wide">
              <legend class="areas-legend">{{ t('courses.dutyAreas') }}</legend>
              <div class="checks">
                @for (area of dutyAreas; track area) {
                  <label nz-checkbox [nzChecked]="m.dutyAreas.includes(area)" (nzCheckedChange)="toggleArea(area)" [nzDisabled]="readOnly()">{{ t(dutyAreaKey(area)) }}</label>
                }
              </div>
            </fieldset>
          </div>
        </section>

        <div class="editor section-gap">
          <section class="card" aria-labelledby="outline-heading">
            <h2 id="outline-heading">{{ t('courses.outline') }}</h2>
            @if (m.modules.length === 0) {
              <p class="state state--empty">{{ t('courses.outlineEmpty') }}</p>
            }
            @for (mod of m.modules; track mod.uid; let mi = $index) {
              <div class="outline-module" data-testid="module">
                <div class="outline-row">
                  <input nz-input [value]="mod.title" (input)="edit((c) => (c.modules[mi].title = val($event)))" [attr.aria-label]="t('courses.moduleTitle')" data-testid="module-title" [disabled]="readOnly()" />
                  @if (!readOnly()) {
                    <button type="button" class="btn btn--small btn--ghost" (click)="edit((c) => move(c.modules, mi, mi - 1))" [attr.aria-label]="t('courses.moveUp')">↑</button>
                    <button type="button" class="btn btn--small btn--ghost" (click)="edit((c) => move(c.modules, mi, mi + 1))" [attr.aria-label]="t('courses.moveDown')">↓</button>
                    <button type="button" class="btn btn--small btn--ghost" (click)="removeModule(mi)" [attr.aria-label]="t('courses.remove')">✕</button>
                  }
                </div>
                @for (lesson of mod.lessons; track lesson.uid; let li = $index) {
                  <div class="outline-lesson" [class.is-selected]="selected() === lesson.uid">
                    <button type="button" class="btn btn--small btn--ghost select" (click)="selected.set(lesson.uid)" data-testid="lesson-select">{{ lesson.title || t('courses.untitled') }} · {{ lesson.durationMinutes }}′</button>
                    @if (!readOnly()) {
                      <button type="button" class="btn btn--small btn--ghost" (click)="edit((c) => move(c.modules[mi].lessons, li, li - 1))" [attr.aria-label]="t('courses.moveUp')">↑</button>
                      <button type="button" class="btn btn--small btn--ghost" (click)="edit((c) => move(c.modules[mi].lessons, li, li + 1))" [attr.aria-label]="t('courses.moveDown')">↓</button>
                      <button type="button" class="btn btn--small btn--ghost" (click)="edit((c) => c.modules[mi].lessons.splice(li, 1))" [attr.aria-label]="t('courses.remove')">✕</button>
                    }
                  </div>
                }
                @if (!readOnly()) {
                  <button type="button" class="btn btn--small" (click)="addLesson(mi)" data-testid="add-lesson">+ {{ t('courses.addLesson') }}</button>
                }
              </div>
            }
            @if (!readOnly()) {
              <button type="button" class="btn btn--small" (click)="addModule()" data-testid="add-module">+ {{ t('courses.addModule') }}</button>
            }
          </section>

          <section class="card" aria-labelledby="lesson-heading">
            <h2 id="lesson-heading">{{ t('courses.lesson') }}</h2>
            @if (selectedPath(); as p) {
              @let lesson = m.modules[p.mi].lessons[p.li];
              <div nz-form nzLayout="vertical" class="form-grid">
                <app-form-field class="form-grid__wide" [label]="t('courses.lessonTitle')" fieldId="lesson-title">
                  <input nz-input id="lesson-title" [value]="lesson.title" (input)="setLesson(p, 'title', val($event))" maxlength="200" data-testid="lesson-title" [disabled]="readOnly()" />
                </app-form-field>
                <app-form-field [label]="t('courses.duration')" fieldId="lesson-duration">
                  <nz-input-number nzId="lesson-duration" [nzMin]="1" [nzMax]="600" [nzPrecision]="0" [ngModel]="lesson.durationMinutes" (ngModelChange)="setLesson(p, 'durationMinutes', $event ?? 1)" [nzDisabled]="readOnly()" data-testid="lesson-duration" />
                </app-form-field>
                <app-form-field [label]="t('courses.videoUrl')" fieldId="lesson-video">
                  <input nz-input id="lesson-video" type="url" [value]="lesson.videoUrl" placeholder="https://" (input)="setLesson(p, 'videoUrl', val($event))" [disabled]="readOnly()" />
                </app-form-field>
                <app-form-field class="form-grid__wide" [label]="t('courses.content')" fieldId="lesson-markdown">
                  <textarea nz-input id="lesson-markdown" class="md" [value]="lesson.contentMarkdown" (input)="setLesson(p, 'contentMarkdown', val($event))" data-testid="lesson-markdown" [disabled]="readOnly()"></textarea>
                </app-form-field>
              </div>
              <div class="actions">
                <button type="button" class="btn btn--small" (click)="renderPreview(lesson.contentMarkdown)" data-testid="preview-button">{{ t('courses.preview') }}</button>
              </div>
              @if (previewHtml() !== null) {
                <div class="preview section-gap" [innerHTML]="previewHtml()" data-testid="preview"></div>
              }
              <h3>{{ t('courses.attachments') }}</h3>
              @if (lesson.attachments.length === 0) {
                <p class="muted small">{{ t('courses.attachmentsEmpty') }}</p>
              }
              <ul class="list">
                @for (a of lesson.attachments; track a.id) {
                  <li class="list__item"><button type="button" class="btn btn--small btn--ghost" (click)="download(a)">{{ a.fileName }}</button><span class="muted small">{{ kb(a.size) }} KB</span></li>
                }
              </ul>
              @if (!readOnly()) {
                @if (lesson.key && !dirty()) {
                  <div nz-form nzLayout="vertical">
                    <app-form-field [label]="t('courses.addAttachment')" fieldId="lesson-attachment-input" [extra]="t('upload.limit', { mb: 20 })">
                      <app-file-pick #attach (picked)="upload($event, lesson.key, p, attach)" fieldId="lesson-attachment-input" testId="lesson-attachment" />
                    </app-form-field>
                  </div>
                  <app-upload-progress [progress]="attachmentProgress()" />
                } @else {
                  <p class="muted small">{{ t('courses.saveBeforeAttach') }}</p>
                }
              }
            } @else {
              <p class="state state--empty">{{ t('courses.selectLesson') }}</p>
            }
          </section>
        </div>

        @if (!readOnly()) {
          <div class="actions section-gap">
            <button type="button" class="btn btn--primary" (click)="save()" [disabled]="pending()" data-testid="save-draft">{{ pending() ? t('common.saving') : t('courses.saveDraft') }}</button>
            <button type="button" class="btn" (click)="publish()" [disabled]="pending() || dirty() || !canPublish()" data-testid="publish">{{ t('courses.publish') }}</button>
            @if (dirty()) { <span class="muted small">{{ t('courses.unsaved') }}</span> }
            @else if (!canPublish()) { <span class="muted small">{{ t('courses.nothingToPublish') }}</span> }
          </div>
        }
      }
    </app-remote-view>
  `,
})
export class CourseEditorPage extends Localized {
  private readonly api = inject(CoursesApi);
  private readonly notifications = inject(NotificationService);
  private readonly confirm = inject(Confirm);
  protected readonly levelKey = levelKey;
  protected readonly dutyAreaKey = dutyAreaKey;
  protected readonly levels = SKILL_LEVELS;
  protected readonly dutyAreas = DUTY_AREAS;
  protected readonly move = move;

  private readonly courseId = Number(inject(ActivatedRoute).snapshot.paramMap.get('id'));
  protected readonly course = remote(() => this.api.get(this.courseId));
  private readonly loaded = signal<CourseDetailView | null>(null);
  protected readonly edited = signal<EditCourse | null>(null);
  protected readonly model = computed(() => this.edited() ?? this.fromServer());
  protected readonly dirty = computed(() => this.edited() !== null);
  protected readonly selected = signal<number | null>(null);
  protected readonly previewHtml = signal<string | null>(null);
  protected readonly pending = signal(false);

  private readonly current = computed(() => this.loaded() ?? this.course.value() ?? null);
  protected readonly readOnly = computed(() => this.current()?.relation !== 'author');
  protected readonly canPublish = computed(() => !!this.current()?.draft);
  private readonly fromServer = computed(() => {
    const c = this.current();
    const version = c?.draft ?? c?.published;
    return version ? fromVersion(version) : null;
  });
  protected readonly statusText = computed(() => {
    const c = this.current();
    if (!c) return '';
    const parts = [c.publishedVersion ? this.t('courses.publishedVersion', { n: c.publishedVersion }) : this.t('courses.notPublished')];
    if (c.draft) parts.push(this.t('courses.draftVersion', { n: c.draft.number }));
    return parts.join(' · ');
  });
  protected readonly selectedPath = computed(() => {
    const m = this.model();
    const uid = this.selected();
    if (!m || uid === null) return null;
    for (let mi = 0; mi < m.modules.length; mi++) {
      const li = m.modules[mi].lessons.findIndex((l) => l.uid === uid);
      if (li >= 0) return { mi, li };
    }
    return null;
  });

  protected val(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }
  protected kb(size: number): string {
    return (size / 1024).toFixed(1);
  }
  protected referenceHours(level: SkillLevel): number {
    return REFERENCE_TRAINING_HOURS[level];
  }

  /** Every change goes through a copy, so the signal sees a new value. */
  protected edit(change: (c: EditCourse) => unknown): void {
    const base = this.model();
    if (!base) return;
    const copy = structuredClone(base);
    change(copy);
    this.edited.set(copy);
  }

  protected setLevel(value: SkillLevel): void {
    this.edit((c) => (c.targetLevel = value));
  }

  protected setLesson<K extends 'title' | 'contentMarkdown' | 'videoUrl' | 'durationMinutes'>(p: { mi: number; li: number }, field: K, value: EditLesson[K]): void {
    this.edit((c) => (c.modules[p.mi].lessons[p.li][field] = value));
  }

  protected toggleArea(area: DutyArea): void {
    this.edit((c) => (c.dutyAreas = c.dutyAreas.includes(area) ? c.dutyAreas.filter((a) => a !== area) : DUTY_AREAS.filter((a) => a === area || c.dutyAreas.includes(a))));
  }
  protected addModule(): void {
    this.edit((c) => c.modules.push({ uid: nextUid++, title: this.t('courses.newModule', { n: c.modules.length + 1 }), lessons: [] }));
  }
  protected addLesson(mi: number): void {
    const uid = nextUid++;
    this.edit((c) => c.modules[mi].lessons.push({ uid, title: this.t('courses.newLesson'), contentMarkdown: '', videoUrl: '', durationMinutes: 45, attachments: [] }));
    this.selected.set(uid);
  }
  protected async removeModule(mi: number): Promise<void> {
    const m = this.model();
    if (m && m.modules[mi].lessons.length > 0 && !(await this.confirm.ask(this.t('courses.confirmRemoveModule'), { danger: true }))) return;
    this.edit((c) => c.modules.splice(mi, 1));
  }

  protected renderPreview(markdown: string): void {
    this.api.preview(markdown).subscribe({ next: (r) => this.previewHtml.set(r.html), error: (e: unknown) => this.notifications.error(e) });
  }

  protected save(): void {
    const m = this.model();
    const c = this.current();
    if (!m || !c || this.pending()) return;
    const selectedPath = this.selectedPath();
    this.pending.set(true);
    this.api.saveDraft(c.id, toRequest(m)).subscribe({
      next: (saved) => {
        this.pending.set(false);
        this.loaded.set(saved);
        this.edited.set(null);
        // Keep the same lesson selected: the server returns the new rows in the same order.
        const fresh = this.fromServer();
        this.selected.set(selectedPath && fresh ? (fresh.modules[selectedPath.mi]?.lessons[selectedPath.li]?.uid ?? null) : null);
        this.notifications.success('courses.saved');
      },
      error: (e: unknown) => {
        this.pending.set(false);
        this.notifications.error(e);
      },
    });
  }

  protected publish(): void {
    const c = this.current();
    if (!c || this.pending()) return;
    this.pending.set(true);
    this.api.publish(c.id).subscribe({
      next: (published) => {
        this.pending.set(false);
        this.loaded.set(published);
        this.selected.set(null);
        this.notifications.success('courses.publishedNotice', { n: published.publishedVersion ?? 1 });
      },
      error: (e: unknown) => {
        this.pending.set(false);
        this.notifications.error(e);
      },
    });
  }

  protected readonly attachmentProgress = signal<UploadProgress>(undefined);

  protected upload(files: File[], lessonKey: string, p: { mi: number; li: number }, picker: FilePickComponent): void {
    const file = files[0];
    const c = this.current();
    if (!file || !c) return;
    trackUpload(this.api.uploadAttachment(c.id, lessonKey, file), this.attachmentProgress).subscribe({
      next: (a) => {
        picker.clear();
        // An upload is not an edit of the draft: reload the server copy and keep the lesson selected.
        this.api.get(c.id).subscribe((fresh) => {
          this.loaded.set(fresh);
          this.selected.set(this.fromServer()?.modules[p.mi]?.lessons[p.li]?.uid ?? null);
        });
        this.notifications.success('courses.attachmentAdded', { name: a.fileName });
      },
      error: (e: unknown) => this.notifications.error(e),
    });
  }

  protected download(a: AttachmentView): void {
    const c = this.current();
    if (c) this.api.attachment(c.id, a.id).subscribe({ next: (blob) => saveBlob(blob, a.fileName), error: (e: unknown) => this.notifications.error(e) });
  }
}

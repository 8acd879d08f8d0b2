import { ChangeDetectionStrategy, Component, computed, inject, output, signal } from '@angular/core';
import type { StudentImportResult } from '@aitrainer/contracts';
import { codedProblemText } from '../../core/notifications/problem-text';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { saveBlob } from '../../shared/util/save-blob';
import { CoursesApi } from '../courses/courses-api.service';
import { FilePickComponent } from '../../shared/components/file-pick.component';
import { UploadProgressComponent } from '../../shared/components/upload-progress.component';
import { trackUpload, type UploadProgress } from '../../shared/util/upload-progress';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

const COLUMN_KEYS = { name: 'field.realName', idDocumentType: 'field.idDocumentType', idNumber: 'field.idNumber', phone: 'field.phone', cohort: 'roster.cohort', file: 'roster.file' } as const;

/** Bulk import of students from CSV or .xlsx: all rows or none, with the row-by-row report to download. */
@Component({
  selector: 'app-roster-import',
  imports: [FormFieldComponent, FilePickComponent, UploadProgressComponent, NzFormModule, NzButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="muted small">{{ t('roster.help') }}</p>
    <div nz-form nzLayout="inline" class="inline-form">
      <app-form-field [label]="t('roster.file')" fieldId="roster-file-input" [extra]="t('upload.limit', { mb: 5 })">
        <app-file-pick accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" (picked)="choose($event)" fieldId="roster-file-input" testId="roster-file" />
      </app-form-field>
      <button nz-button nzType="primary" type="button" [disabled]="!file() || pending()" (click)="upload()" data-testid="roster-submit">{{ pending() ? t('roster.importing') : t('roster.import') }}</button>
      <button nz-button nzType="link" nzSize="small" type="button" (click)="template()">{{ t('roster.template') }}</button>
    </div>
    <app-upload-progress [progress]="progress()" />
    @if (result(); as r) {
      @if (r.status === 'rejected') {
        <div class="banner banner--error section-gap" role="alert" data-testid="roster-rejected">
          <p>{{ t('roster.rejected', { errors: r.errorRows, total: r.totalRows }) }}</p>
          <button type="button" class="btn btn--small" (click)="report(r.id)" data-testid="roster-report">{{ t('roster.downloadReport') }}</button>
        </div>
        <div class="table-wrap">
          <table class="table" data-testid="roster-errors">
            <caption class="visually-hidden">{{ t('roster.errorsCaption') }}</caption>
            <thead><tr><th>{{ t('roster.line') }}</th><th>{{ t('field.realName') }}</th><th>{{ t('roster.problems') }}</th></tr></thead>
            <tbody>
              @for (row of errorRows(); track row.line) {
                <tr>
                  <td>{{ row.line }}</td>
                  <td>{{ row.name || t('common.none') }}</td>
                  <td>
                    @for (p of row.problems; track $index) {
                      <div>{{ t(columnKey(p.column)) }}：{{ problemText(p) }}</div>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      } @else {
        <div class="banner banner--info section-gap" role="status" data-testid="roster-completed">
          <p>{{ t('roster.completed', { created: r.created, present: r.alreadyPresent }) }}</p>
          @if (r.credentials.length) {
            <p class="small">{{ t('roster.credentialsOnce') }}</p>
            <button type="button" class="btn btn--small" (click)="credentials(r)" data-testid="roster-credentials">{{ t('roster.downloadCredentials') }}</button>
          }
        </div>
      }
    }
  `,
})
export class RosterImportComponent extends Localized {
  private readonly api = inject(CoursesApi);
  private readonly notifications = inject(NotificationService);
  readonly imported = output<void>();

  protected readonly file = signal<File | null>(null);
  protected readonly pending = signal(false);
  protected readonly progress = signal<UploadProgress>(undefined);
  protected readonly result = signal<StudentImportResult | null>(null);
  protected readonly errorRows = computed(() => this.result()?.rows.filter((r) => r.outcome === 'error') ?? []);

  protected columnKey(column: keyof typeof COLUMN_KEYS) {
    return COLUMN_KEYS[column];
  }

  protected choose(files: File[]): void {
    this.file.set(files[0] ?? null);
    this.result.set(null);
  }

  protected upload(): void {
    const file = this.file();
    if (!file || this.pending()) return;
    this.pending.set(true);
    trackUpload(this.api.importRoster(file), this.progress).subscribe({
      next: (r) => {
        this.pending.set(false);
        this.result.set(r);
        if (r.status === 'completed') this.imported.emit();
      },
      error: (e: unknown) => {
        this.pending.set(false);
        this.notifications.error(e);
      },
    });
  }

  protected report(id: number): void {
    this.api.importReport(id, this.i18n.lang()).subscribe({ next: (blob) => saveBlob(blob, `import-${id}-report.csv`), error: (e: unknown) => this.notifications.error(e) });
  }

  protected template(): void {
    this.api.importTemplate().subscribe({ next: (blob) => saveBlob(blob, 'roster-template.csv'), error: (e: unknown) => this.notifications.error(e) });
  }

  /** The initial passwords exist only in this response: the admin saves them now or resets them later. */
  protected credentials(r: StudentImportResult): void {
    const lines = ['姓名 name,用户名 username,初始密码 initial password', ...r.credentials.map((c) => [c.realName, c.username, c.initialPassword].join(','))];
    saveBlob(new Blob(['\uFEFF' + lines.join('\r\n')], { type: 'text/csv' }), `import-${r.id}-accounts.csv`);
  }

  /** The server's coded problem from the catalogue (the validator's reason translated), else its English reason translated. */
  protected problemText(p: { problem: string; code?: string; params?: Record<string, string | number> }): string {
    const params = p.params && typeof p.params['reason'] === 'string' ? { ...p.params, reason: this.i18n.reason(p.params['reason']) } : p.params;
    return codedProblemText({ code: p.code, params }, this.i18n) ?? this.i18n.reason(p.problem);
  }
}

import { HttpEventType } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal, effect, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { Subscription } from 'rxjs';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import { problemMessage } from '../../core/notifications/problem-text';
import { FilePickComponent } from '../../shared/components/file-pick.component';
import { saveBlob } from '../../shared/util/save-blob';
import { CertificatesApi } from '../certificates/certificates-api.service';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

/** Counts of the result file's `status` column. */
/** The result file's status words (it comes in the reader's language) back to the stable codes the page counts by. */
const STATUS_CODES: Record<string, string> = {
  有效: 'valid', 已撤销: 'revoked', 已暂停: 'suspended', '未找到（编号或姓名不符）': 'not_found', 行内容不完整: 'invalid_row',
  Valid: 'valid', Revoked: 'revoked', Suspended: 'suspended', 'Not found (number or name does not match)': 'not_found', 'Incomplete row': 'invalid_row',
};

function countStatuses(csv: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const lines = csv.split('\n').filter(Boolean);
  lines.shift(); // the header, in the reader's language
  const col = 2; // row, number, status: the status is the third column in every language
  for (const line of lines) {
    // statuses never contain commas; the number column is quoted when needed, so take the field after the number
    const fields = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [];
    const word = (fields[col] ?? '').replace(/,$/, '');
    const status = STATUS_CODES[word] ?? word;
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/** Bulk verification: a CSV (header number,name) with an API key; upload/download progress; the result file. */
@Component({
  selector: 'app-bulk-verify',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, FilePickComponent, NzFormModule, NzInputModule, NzButtonModule],
  styles: `.progress-label { display: grid; gap: 0.3rem; } progress { width: 100%; height: 1.25rem; }`,
  template: `
    <form nz-form nzLayout="vertical" (ngSubmit)="run()" data-testid="bulk-form">
      <app-form-field [label]="t('bureau.bulk.file')" fieldId="bulk-file-input" [extra]="t('bureau.bulk.fileHelp')">
        <app-file-pick accept=".csv,text/csv" (picked)="pick($event)" fieldId="bulk-file-input" testId="bulk-file" />
      </app-form-field>
      <app-form-field [label]="t('bureau.bulk.apiKey')" fieldId="bulk-api-key" [extra]="t('bureau.bulk.apiKeyHelp')">
        <input nz-input id="bulk-api-key" name="apiKey" type="password" autocomplete="off" [(ngModel)]="apiKey" data-testid="bulk-api-key" />
      </app-form-field>
      <div>
        <button nz-button nzType="primary" type="submit" [disabled]="running() || !file()" data-testid="bulk-submit">{{ running() ? t('bureau.bulk.running') : t('bureau.bulk.submit') }}</button>
      </div>
    </form>
    @if (phase(); as p) {
      <label class="progress-label section-gap" data-testid="bulk-progress">
        <span>{{ t(p === 'upload' ? 'bureau.bulk.uploading' : p === 'wait' ? 'bureau.bulk.checking' : 'bureau.bulk.downloading', { percent: percent() ?? 0 }) }}</span>
        @if (percent() === null) { <progress></progress> } @else { <progress [value]="percent()" max="100"></progress> }
      </label>
    }
    @if (error(); as message) {
      <p class="banner banner--error" role="alert" data-testid="bulk-error">{{ message }}</p>
    }
    @if (result(); as r) {
      <div class="section-gap" role="status" data-testid="bulk-result">
        <p>{{ t('bureau.bulk.done', { rows: r.rows }) }}</p>
        <ul class="small" data-testid="bulk-counts">
          @for (c of r.counts; track c[0]) { <li [attr.data-status]="c[0]">{{ label(c[0]) }} ({{ c[0] }}): <span class="count">{{ c[1] }}</span></li> }
        </ul>
        <button type="button" class="btn" (click)="download()" data-testid="bulk-download">{{ t('bureau.bulk.download') }}</button>
      </div>
    }
  `,
})
export class BulkVerifyComponent extends Localized {
  private readonly api = inject(CertificatesApi);

  /** A key just created on this page (kept in memory only). */
  readonly suggestedKey = input<string | null>(null);

  protected readonly apiKey = signal('');
  protected readonly file = signal<File | null>(null);
  protected readonly running = signal(false);
  protected readonly phase = signal<'upload' | 'wait' | 'download' | null>(null);
  protected readonly percent = signal<number | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly result = signal<{ blob: Blob; rows: number; counts: [string, number][] } | null>(null);
  private subscription?: Subscription;

  constructor() {
    super();
    effect(() => {
      const key = this.suggestedKey();
      if (key) untracked(() => this.apiKey.set(key));
    });
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  /** The result file keeps the machine codes; the page shows them in words too. */
  protected label(status: string): string {
    switch (status) {
      case 'valid':
        return this.t('verify.valid');
      case 'revoked':
        return this.t('verify.revoked');
      case 'suspended':
        return this.t('verify.suspended');
      case 'not_found':
        return this.t('verify.notFound');
      case 'invalid_row':
        return this.t('bureau.bulk.invalidRow');
      default:
        return status;
    }
  }

  protected pick(files: File[]): void {
    this.file.set(files[0] ?? null);
    this.result.set(null);
  }

  protected run(): void {
    const file = this.file();
    if (!file || this.running()) return;
    this.running.set(true);
    this.error.set(null);
    this.result.set(null);
    this.phase.set('upload');
    this.percent.set(0);
    this.subscription = this.api.bulkVerify(file, this.apiKey().trim(), this.i18n.lang()).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress) {
          const p = event.total ? Math.round((100 * event.loaded) / event.total) : null;
          this.percent.set(p);
          if (p === 100) {
            this.phase.set('wait');
            this.percent.set(null);
          }
        } else if (event.type === HttpEventType.ResponseHeader) {
          this.phase.set('download');
          this.percent.set(null);
        } else if (event.type === HttpEventType.DownloadProgress) {
          this.phase.set('download');
          this.percent.set(event.total ? Math.round((100 * event.loaded) / event.total) : null);
        } else if (event.type === HttpEventType.Response && event.body) {
          const blob = event.body;
          void blob.text().then((text) => {
            const counts = countStatuses(text);
            const rows = Object.values(counts).reduce((a, b) => a + b, 0);
            this.result.set({ blob, rows, counts: Object.entries(counts) });
            this.phase.set(null);
            this.running.set(false);
          });
        }
      },
      error: (e: unknown) => {
        void this.describe(e).then((message) => {
          this.error.set(message);
          this.phase.set(null);
          this.running.set(false);
        });
      },
    });
  }

  /** The error body of a blob request is a Blob: read it so the code (and field problems) are known. */
  private async describe(e: unknown): Promise<string> {
    const problem = toApiProblem(e);
    const body = (e as { error?: unknown }).error;
    if (body instanceof Blob) {
      try {
        const parsed = JSON.parse(await body.text()) as { code?: string; message?: string };
        if (parsed.code) {
          const key = `error.${parsed.code}`;
          return `${this.i18n.has(key) ? this.i18n.t(key) : parsed.code}${parsed.message ? ` (${parsed.message})` : ''}`;
        }
      } catch {
        /* not JSON */
      }
    }
    return problemMessage(problem, this.i18n);
  }

  protected download(): void {
    const r = this.result();
    if (r) saveBlob(r.blob, 'verification.csv');
  }
}

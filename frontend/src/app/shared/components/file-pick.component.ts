import { ChangeDetectionStrategy, Component, booleanAttribute, input, output, signal } from '@angular/core';
import { NzUploadModule, type NzUploadFile } from 'ng-zorro-antd/upload';
import { Localized } from '../../core/i18n/localized';

/**
 * The portal's file chooser: an Ant upload (`nz-upload`, click, Enter or drop a file) that only picks files; the page
 * sends them itself with its progress (app-upload-progress). Emits the chosen files once per choice and names them.
 * `testId` goes on the upload; its file input is inside (`[data-testid=…] input[type=file]`).
 */
@Component({
  selector: 'app-file-pick',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzUploadModule],
  styles: `
    :host { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; max-width: 100%; }
    .names { overflow-wrap: anywhere; }
  `,
  template: `
    <nz-upload
      [nzId]="fieldId()"
      [nzAccept]="accept()"
      [nzMultiple]="multiple()"
      [nzDisabled]="disabled()"
      [nzShowUploadList]="false"
      [nzBeforeUpload]="take"
      [attr.data-testid]="testId()"
    >
      <span class="ant-btn ant-btn-default" [class.ant-btn-disabled]="disabled()">{{ label() || t('upload.choose') }}</span>
    </nz-upload>
    <span class="names muted small" aria-live="polite">{{ names() || t('upload.none') }}</span>
  `,
})
export class FilePickComponent extends Localized {
  /** What the button says (defaults to "choose a file"); the page's label says what the file is for. */
  readonly label = input('');
  readonly fieldId = input<string | undefined>(undefined);
  readonly accept = input('');
  readonly multiple = input(false, { transform: booleanAttribute });
  readonly disabled = input(false, { transform: booleanAttribute });
  readonly testId = input<string | null>(null);
  readonly picked = output<File[]>();
  protected readonly names = signal('');

  /** Called by the upload once per file with the whole choice: collects them, uploads nothing. */
  protected readonly take = (file: NzUploadFile, list: NzUploadFile[]): boolean => {
    if (file === list[list.length - 1]) {
      const files = list as unknown as File[];
      this.names.set(files.map((f) => f.name).join(', '));
      this.picked.emit(files);
    }
    return false;
  };

  /** After the page has sent the files: show nothing chosen. */
  clear(): void {
    this.names.set('');
  }
}

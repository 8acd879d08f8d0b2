import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';
import type { UploadProgress } from '../util/upload-progress';

/** A labelled progress bar for an upload: percent while sending, then indeterminate while the server works. */
@Component({
  selector: 'app-upload-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host { display: block; margin-top: 0.5rem; }
    progress { width: 100%; height: 1.25rem; }
  `,
  template: `
    @if (progress() !== undefined) {
      <label class="field" data-testid="upload-progress">
        <span class="field__label" aria-live="polite">{{ progress() === null ? t('upload.processing') : t('upload.sending', { percent: progress() ?? 0 }) }}</span>
        @if (progress() === null) { <progress></progress> } @else { <progress [value]="progress()" max="100"></progress> }
      </label>
    }
  `,
})
export class UploadProgressComponent {
  protected readonly t = inject(I18n).t;
  readonly progress = input.required<UploadProgress>();
}

import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { Localized } from '../../core/i18n/localized';
import type { UploadProgress } from '../util/upload-progress';

/**
 * The one upload progress of the portal (every upload page uses it): an Ant progress bar with the percent sent, then
 * an active full bar while the server reads the file; the size limit, when given, is stated beside it.
 */
@Component({
  selector: 'app-upload-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzProgressModule],
  styles: `
    :host { display: block; margin-top: 0.5rem; }
  `,
  template: `
    @if (progress() !== undefined) {
      <div class="field" data-testid="upload-progress">
        <span class="field__label" aria-live="polite">{{ progress() === null ? t('upload.processing') : t('upload.sending', { percent: progress() ?? 0 }) }}</span>
        <nz-progress
          [nzPercent]="progress() ?? 100"
          [nzStatus]="progress() === null ? 'active' : 'normal'"
          [nzShowInfo]="progress() !== null"
          role="progressbar"
          [attr.aria-valuenow]="progress() ?? null"
          aria-valuemin="0"
          aria-valuemax="100"
          [attr.aria-label]="t('upload.progressLabel')"
        ></nz-progress>
      </div>
    }
  `,
})
export class UploadProgressComponent extends Localized {
  readonly progress = input.required<UploadProgress>();
}

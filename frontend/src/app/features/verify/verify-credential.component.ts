import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { problemMessage } from '../../core/notifications/problem-text';
import { FilePickComponent } from '../../shared/components/file-pick.component';
import { CertificatesApi, type CredentialVerificationView } from '../certificates/certificates-api.service';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

/** Paste or upload a signed credential (VC-JWT text or the wallet JSON) -> signature, contents and current status. */
@Component({
  selector: 'app-verify-credential',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FilePickComponent, NzFormModule, NzInputModule, NzButtonModule],
  styles: `
    .result { margin-top: 1rem; border-left: 6px solid var(--text-muted); }
    .result--valid { border-left-color: var(--success); }
    .result--revoked, .result--invalid { border-left-color: var(--danger); }
    .result--suspended { border-left-color: #b7791f; }
    textarea { width: 100%; }
  `,
  template: `
    <form nz-form nzLayout="vertical" (submit)="$event.preventDefault(); submit()" novalidate data-testid="verify-credential-form">
      <app-form-field [label]="t('verify.credentialInput')" fieldId="verify-credential-text">
        <textarea nz-input id="verify-credential-text" rows="5" class="mono small" spellcheck="false" data-testid="verify-credential-text" [value]="text()" (input)="text.set($any($event.target).value)"></textarea>
      </app-form-field>
      <app-form-field [label]="t('verify.credentialFile')" fieldId="verify-credential-file-input">
        <app-file-pick accept=".json,.jwt,.txt,application/json" fieldId="verify-credential-file-input" testId="verify-credential-file" (picked)="load($event)" />
      </app-form-field>
      <div>
        <button nz-button nzType="primary" type="submit" [disabled]="pending() || !text().trim()" data-testid="verify-credential-submit">
          {{ pending() ? t('verify.checking') : t('verify.credentialSubmit') }}
        </button>
      </div>
    </form>
    @if (error(); as message) {
      <p class="banner banner--error" role="alert" data-testid="verify-credential-error">{{ message }}</p>
    }
    <div aria-live="polite">
      @if (answer(); as a) {
        <section [class]="'card result result--' + a.status" data-testid="verify-credential-result" [attr.data-status]="a.status">
          <h2 class="status" [class.status--ok]="a.status === 'valid'" [class.status--bad]="a.status !== 'valid'" data-testid="verify-credential-status">{{ t(statusKey(a)) }}</h2>
          <p class="small muted" data-testid="verify-credential-kind">{{ t(a.form === 'vc-jwt' ? 'verify.form.vc-jwt' : 'verify.form.data-integrity') }}</p>
          @if (a.fields; as f) {
            <dl class="facts">
              <div><dt>{{ t('verify.kind') }}</dt><dd>{{ t(f.kind === 'skill_level' ? 'cert.kind.skill_level' : 'cert.kind.enterprise') }}</dd></div>
              <div><dt>{{ t('verify.number') }}</dt><dd class="mono" data-testid="verify-credential-number">{{ f.number }}</dd></div>
              <div><dt>{{ t('verify.holder') }}</dt><dd>{{ f.holderName }}</dd></div>
              <div><dt>{{ t('verify.idNumber') }}</dt><dd class="mono">{{ f.idNumberMasked }}</dd></div>
              <div><dt>{{ t('verify.level') }}</dt><dd>{{ t(levelKey(f.level)) }}</dd></div>
              <div><dt>{{ t('verify.evaluationBody') }}</dt><dd>{{ f.evaluationBody }}</dd></div>
              <div><dt>{{ t('verify.issueDate') }}</dt><dd>{{ i18n.date(f.issueDate) }}</dd></div>
            </dl>
          }
          @if (a.reasons.length) {
            <ul class="small mono" lang="en" data-testid="verify-credential-reasons">
              @for (r of a.reasons; track $index) {
                <li>{{ r }}</li>
              }
            </ul>
          }
        </section>
      }
    </div>
  `,
})
export class VerifyCredentialComponent extends Localized {
  private readonly api = inject(CertificatesApi);
  protected readonly text = signal('');
  protected readonly pending = signal(false);
  protected readonly answer = signal<CredentialVerificationView | null>(null);
  protected readonly error = signal<string | null>(null);

  protected statusKey(a: CredentialVerificationView): MessageKey {
    return a.status === 'valid' ? 'verify.valid' : a.status === 'revoked' ? 'verify.revoked' : a.status === 'suspended' ? 'verify.suspended' : 'verify.invalid';
  }

  protected levelKey(level: number): MessageKey {
    return `certs.level.${level}` as MessageKey;
  }

  protected load(files: File[]): void {
    const file = files[0];
    if (!file) return;
    if (file.size > 200_000) {
      this.error.set(this.t('verify.fileUnreadable'));
      return;
    }
    file.text().then(
      (content) => {
        this.text.set(content);
        this.submit();
      },
      () => this.error.set(this.t('verify.fileUnreadable')),
    );
  }

  protected submit(): void {
    const credential = this.text().trim();
    if (!credential || this.pending()) return;
    this.pending.set(true);
    this.error.set(null);
    this.answer.set(null);
    this.api.verifyCredential(credential).subscribe({
      next: (answer) => {
        this.answer.set(answer);
        this.pending.set(false);
      },
      error: (e: unknown) => {
        this.error.set(problemMessage(toApiProblem(e), this.i18n));
        this.pending.set(false);
      },
    });
  }
}

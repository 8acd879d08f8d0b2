import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzResultModule } from 'ng-zorro-antd/result';
import type { VerificationAnswer, VerificationFound } from '@aitrainer/contracts';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import type { MessageKey } from '../../core/i18n/messages.zh';
import { problemMessage } from '../../core/notifications/problem-text';
import { CertificatesApi } from '../certificates/certificates-api.service';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';

/** Certificate number + holder name -> the answer card. Used by the public /verify page and the bureau page. */
/** The two things a verifier types, drawn by one loop; a code is typed in capitals without spell-checking. */
const FIELDS: readonly { name: 'number' | 'name'; label: MessageKey; maxlength: number; code?: true }[] = [
  { name: 'number', label: 'verify.number', maxlength: 64, code: true },
  { name: 'name', label: 'verify.name', maxlength: 100 },
];

@Component({
  selector: 'app-verify-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzResultModule, NzFormModule, NzInputModule, NzButtonModule],
  styles: `
    nz-form-item { margin-bottom: 0; }
    .result { margin-top: 1rem; border-left: 6px solid var(--text-muted); }
    .result--valid { border-left-color: var(--success); }
    .result--revoked, .result--not_found { border-left-color: var(--danger); }
    .result--suspended { border-left-color: #b7791f; }
    .result__status { font-size: 1.25rem; margin: 0; }
    .result nz-result { padding: 0.5rem 0 1rem; }
  `,
  template: `
    <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="verify-form" class="form-grid">
      @for (f of fields; track f.name) {
        <nz-form-item>
          <nz-form-label [nzFor]="'verify-' + f.name">{{ t(f.label) }}</nz-form-label>
          <nz-form-control>
            <input nz-input [id]="'verify-' + f.name" [formControlName]="f.name" autocomplete="off" [attr.autocapitalize]="f.code ? 'characters' : null" [attr.spellcheck]="f.code ? 'false' : null"
                   [attr.maxlength]="f.maxlength" [attr.data-testid]="'verify-' + f.name" required />
          </nz-form-control>
        </nz-form-item>
      }
      <div class="form-grid__wide">
        <button nz-button nzType="primary" type="submit" [disabled]="pending() || form.invalid" data-testid="verify-submit">
          {{ pending() ? t('verify.checking') : t('verify.submit') }}
        </button>
      </div>
    </form>
    @if (error(); as message) {
      <p class="banner banner--error" role="alert" data-testid="verify-error">{{ message }}</p>
    }
    <div aria-live="polite">
      @if (answer(); as a) {
        @if (a.status === 'not_found') {
          <section class="card result result--not_found" data-testid="verify-result" data-status="not_found">
            <nz-result nzStatus="warning">
              <div nz-result-title><h2 class="result__status">{{ t('verify.notFound') }}</h2></div>
              <div nz-result-subtitle>{{ t('verify.notFoundHelp') }}</div>
            </nz-result>
          </section>
        } @else {
          <section [class]="'card result result--' + a.status" data-testid="verify-result" [attr.data-status]="a.status">
            <nz-result [nzStatus]="a.status === 'valid' ? 'success' : a.status === 'revoked' ? 'error' : 'warning'">
              <div nz-result-title>
                <h2 class="result__status status" [class.status--ok]="a.status === 'valid'" [class.status--bad]="a.status !== 'valid'" data-testid="verify-status">{{ t(statusKey(a)) }}</h2>
              </div>
              @if (a.status !== 'valid' && a.statusChangedAt) {
                <div nz-result-subtitle><p data-testid="verify-status-date">{{ t(a.status === 'revoked' ? 'verify.revokedOn' : 'verify.suspendedOn', { date: i18n.dateTime(a.statusChangedAt, a.issuerTimeZone) }) }}</p></div>
              }
            </nz-result>
            <dl class="facts">
              <div><dt>{{ t('verify.kind') }}</dt><dd>{{ t(a.kind === 'skill_level' ? 'cert.kind.skill_level' : 'cert.kind.enterprise') }}</dd></div>
              <div><dt>{{ t('verify.number') }}</dt><dd class="mono" data-testid="verify-result-number">{{ a.number }}</dd></div>
              <div><dt>{{ t('verify.holder') }}</dt><dd>{{ a.holderName }}</dd></div>
              <div><dt>{{ t('verify.idNumber') }}</dt><dd class="mono">{{ idType(a.idDocumentType) }} {{ a.idNumberMasked }}</dd></div>
              <div><dt>{{ t('verify.occupation') }}</dt><dd>{{ a.occupationName }} ({{ a.occupationCode }})</dd></div>
              <div><dt>{{ t('verify.trade') }}</dt><dd>{{ a.trade }}</dd></div>
              <div><dt>{{ t('verify.level') }}</dt><dd data-testid="verify-level">{{ a.levelName }}</dd></div>
              <div><dt>{{ t('verify.evaluationBody') }}</dt><dd>{{ a.evaluationBody }}</dd></div>
              <div><dt>{{ t('verify.issuer') }}</dt><dd>{{ a.issuer }}</dd></div>
              <div><dt>{{ t('verify.issueDate') }}</dt><dd>{{ i18n.date(a.issueDate) }}</dd></div>
              <div><dt>{{ t('verify.twin') }}</dt><dd class="mono" data-testid="verify-twin">{{ t(a.twin.kind === 'skill_level' ? 'cert.kind.skill_level' : 'cert.kind.enterprise') }}：{{ a.twin.number }}</dd></div>
            </dl>
            <details class="section-gap">
              <summary>{{ t('verify.credential') }}</summary>
              <p class="muted small">{{ t('verify.credentialHelp') }}</p>
              <textarea readonly rows="4" class="mono small" style="width: 100%" [attr.aria-label]="t('verify.credential')">{{ a.credential }}</textarea>
            </details>
          </section>
        }
      }
    </div>
  `,
})
export class VerifyFormComponent extends Localized {
  private readonly api = inject(CertificatesApi);

  /** Pre-fills the number (the PDF's QR code links to /verify?number=...). */
  readonly initialNumber = input<string>('');
  readonly initialName = input<string>('');

  protected readonly fields = FIELDS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    number: ['', [Validators.required, Validators.maxLength(64)]],
    name: ['', [Validators.required, Validators.maxLength(100)]],
  });
  protected readonly pending = signal(false);
  protected readonly answer = signal<VerificationAnswer | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    super();
    effect(() => {
      const number = this.initialNumber();
      const name = this.initialName();
      untracked(() => {
        if (number) this.form.controls.number.setValue(number);
        if (name) this.form.controls.name.setValue(name);
      });
    });
  }

  /** 证件类型 in words (the API sends the contracts' code). */
  protected idType(code: string): string {
    const key = `idType.${code}`;
    return this.i18n.has(key) ? this.i18n.t(key) : code;
  }

  protected statusKey(a: VerificationFound): MessageKey {
    return a.status === 'valid' ? 'verify.valid' : a.status === 'revoked' ? 'verify.revoked' : 'verify.suspended';
  }

  protected date(iso: string): string {
    return this.i18n.dateTime(iso);
  }

  protected submit(): void {
    if (this.form.invalid || this.pending()) return;
    const { number, name } = this.form.getRawValue();
    this.pending.set(true);
    this.error.set(null);
    this.answer.set(null);
    this.api.verify({ number: number.trim(), name: name.trim() }).subscribe({
      next: (answer) => {
        this.answer.set(answer);
        this.pending.set(false);
      },
      error: (e: unknown) => {
        const problem = toApiProblem(e);
        this.error.set(
          problem.status === 429
            ? problem.retryAfterSeconds !== null
              ? this.t('verify.tooMany', { wait: this.i18n.waitTime(problem.retryAfterSeconds) })
              : this.t('verify.tooManyNoWait')
            : problemMessage(problem, this.i18n),
        );
        this.pending.set(false);
      },
    });
  }
}

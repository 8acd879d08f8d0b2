import { ChangeDetectionStrategy, Component, ElementRef, effect, inject, input, output, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzTagModule } from 'ng-zorro-antd/tag';
import type { CertificateStatusName, SkillLevel } from '@aitrainer/contracts';
import { toApiProblem } from '../../core/http/api-problem';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { problemMessage } from '../../core/notifications/problem-text';
import { CertificatesApi, type CertificateView, type StatusChangeView } from './certificates-api.service';
import { saveBlob } from '../../shared/util/save-blob';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

type Action = 'revoked' | 'suspended' | 'valid';

/** One certificate for its issuer: facts, revoke / suspend / reinstate with a reason, re-issue, PDF. */
@Component({
  selector: 'app-certificate-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, NzDescriptionsModule, NzRadioModule, NzTagModule, NzFormModule, NzInputModule, NzButtonModule],
  styles: `
    /* Ant's form legend grey (#8c8c8c) is below 4.5:1 on white. */
    legend { color: var(--text); }
    dialog { max-width: min(32rem, 92vw); border: 1px solid var(--border, #ccc); border-radius: 8px; padding: 1.25rem; }
    dialog::backdrop { background: rgb(0 0 0 / 40%); }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.75rem; }
  `,
  template: `
    @if (error(); as message) {
      <p class="banner banner--error" role="alert" data-testid="cert-error">{{ message }}</p>
    }
    @if (cert(); as c) {
      <nz-descriptions nzBordered nzSize="small" [nzColumn]="{ xxl: 2, xl: 2, lg: 2, md: 1, sm: 1, xs: 1 }" data-testid="cert-detail">
        <nz-descriptions-item [nzTitle]="t('verify.kind')">{{ t(c.kind === 'skill_level' ? 'cert.kind.skill_level' : 'cert.kind.enterprise') }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.number')"><span class="mono" data-testid="cert-number">{{ c.number }}</span></nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('certs.detail.status')">
          <nz-tag [nzColor]="c.status === 'valid' ? 'success' : 'error'" data-testid="cert-status">{{ t(statusKey(c.status)) }}</nz-tag>
          @if (c.statusChangedAt) { <span class="status-note muted small">{{ i18n.dateTime(c.statusChangedAt) }}</span> }
          @if (c.statusReason) { <span class="status-note small">{{ c.statusReason }}</span> }
        </nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.holder')">{{ c.holderName }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.idNumber')"><span class="mono">{{ idType(c.idDocumentType) }} {{ c.idNumberMasked }}</span></nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.occupation')">{{ c.occupationName }} ({{ c.occupationCode }})</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.trade')">{{ c.trade }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.level')">{{ t(levelKey(c.level)) }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.evaluationBody')">{{ c.evaluationBody }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.issuer')">{{ c.issuerName }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.issueDate')">{{ i18n.date(c.issueDate) }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="t('verify.twin')">
          @if (c.twinId !== null) { <button type="button" class="btn btn--ghost btn--small mono" (click)="open(c.twinId)" data-testid="cert-open-twin">{{ c.twinNumber }}</button> } @else { <span class="mono">{{ c.twinNumber }}</span> }
        </nz-descriptions-item>
        @if (c.replacedById !== null) {
          <nz-descriptions-item [nzTitle]="t('certs.detail.replacedBy')"><button type="button" class="btn btn--ghost btn--small" (click)="open(c.replacedById)">#{{ c.replacedById }}</button></nz-descriptions-item>
        }
        @if (c.replacesId !== null) {
          <nz-descriptions-item [nzTitle]="t('certs.detail.replaces')"><button type="button" class="btn btn--ghost btn--small" (click)="open(c.replacesId)">#{{ c.replacesId }}</button></nz-descriptions-item>
        }
      </nz-descriptions>
      <div class="actions">
        <button type="button" class="btn" (click)="downloadPdf(c)" [disabled]="busy()" data-testid="cert-pdf">{{ t('certs.detail.pdf') }}</button>
      </div>

      @if (c.status !== 'revoked') {
        <form nz-form nzLayout="vertical" class="section-gap" (ngSubmit)="changeStatus(c)" data-testid="cert-status-form">
          <fieldset>
            <legend>{{ t('certs.detail.changeStatus') }}</legend>
            <nz-form-item>
              <nz-form-label><span id="cert-action-label">{{ t('certs.detail.action') }}</span></nz-form-label>
              <nz-form-control>
              <nz-radio-group name="action" [(ngModel)]="action" role="radiogroup" aria-labelledby="cert-action-label" data-testid="cert-action">
                <label nz-radio nzValue="revoked" data-testid="cert-action-revoked">{{ t('certs.detail.revoke') }}</label>
                @if (c.status === 'valid') { <label nz-radio nzValue="suspended" data-testid="cert-action-suspended">{{ t('certs.detail.suspend') }}</label> }
                @if (c.status === 'suspended') { <label nz-radio nzValue="valid" data-testid="cert-action-valid">{{ t('certs.detail.reinstate') }}</label> }
              </nz-radio-group>
              </nz-form-control>
            </nz-form-item>
            <app-form-field [label]="t('certs.detail.reason')" fieldId="cert-reason">
              <input nz-input id="cert-reason" name="reason" [(ngModel)]="reason" maxlength="500" required data-testid="cert-reason" />
            </app-form-field>
            <button nz-button nzType="primary" type="submit" [disabled]="busy() || !reason().trim()" data-testid="cert-status-submit">{{ t('certs.detail.apply') }}</button>
          </fieldset>
        </form>
      }
      @if (c.replacedById === null) {
        <form nz-form nzLayout="vertical" class="section-gap" (ngSubmit)="reissue(c)" data-testid="cert-reissue-form">
          <fieldset>
            <legend>{{ t('certs.detail.reissue') }}</legend>
            <p class="muted small">{{ t('certs.detail.reissueHelp') }}</p>
            <app-form-field [label]="t('certs.detail.reason')" fieldId="cert-reissue-reason">
              <input nz-input id="cert-reissue-reason" name="reissueReason" [(ngModel)]="reissueReason" maxlength="400" required data-testid="cert-reissue-reason" />
            </app-form-field>
            <button nz-button type="submit" [disabled]="busy() || !reissueReason().trim()" data-testid="cert-reissue-submit">{{ t('certs.detail.reissue') }}</button>
          </fieldset>
        </form>
      }
    }

    <dialog #twinDialog aria-labelledby="twin-dialog-title" data-testid="twin-dialog" (cancel)="closeTwin()">
      @if (twinQuestion(); as q) {
        <h2 id="twin-dialog-title">{{ t('certs.twin.title') }}</h2>
        <p>{{ t('certs.twin.body', { kind: t(q.twin!.kind === 'skill_level' ? 'cert.kind.skill_level' : 'cert.kind.enterprise'), number: q.twin!.number }) }}</p>
        <div class="actions">
          <button type="button" class="btn btn--primary" (click)="revokeTwin(q)" [disabled]="busy()" data-testid="twin-revoke">{{ t('certs.twin.yes') }}</button>
          <button type="button" class="btn" (click)="closeTwin()" data-testid="twin-keep">{{ t('certs.twin.no') }}</button>
        </div>
      }
    </dialog>
  `,
})
export class CertificateDetailComponent extends Localized {
  private readonly api = inject(CertificatesApi);
  private readonly notifications = inject(NotificationService);

  readonly certificateId = input.required<number>();
  /** A status changed or the pair was re-issued (lists elsewhere on the page refresh). */
  readonly changed = output<void>();

  protected readonly cert = signal<CertificateView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly action = signal<Action>('revoked');
  protected readonly reason = signal('');
  protected readonly reissueReason = signal('');
  protected readonly twinQuestion = signal<StatusChangeView | null>(null);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('twinDialog');
  private lastReason = '';

  constructor() {
    super();
    effect(() => this.load(this.certificateId()));
  }

  /** 证件类型 in words (the API sends the contracts' code). */
  protected idType(code: string): string {
    const key = `idType.${code}`;
    return this.i18n.has(key) ? this.i18n.t(key) : code;
  }

  protected statusKey(status: CertificateStatusName): 'verify.valid' | 'verify.revoked' | 'verify.suspended' {
    return status === 'valid' ? 'verify.valid' : status === 'revoked' ? 'verify.revoked' : 'verify.suspended';
  }

  protected levelKey(level: SkillLevel): `certs.level.${SkillLevel}` {
    return `certs.level.${level}`;
  }

  protected open(id: number): void {
    this.load(id);
  }

  private load(id: number): void {
    this.error.set(null);
    this.api.certificate(id).subscribe({
      next: (c) => {
        this.cert.set(c);
        this.action.set('revoked');
      },
      error: (e: unknown) => {
        this.cert.set(null);
        this.error.set(problemMessage(toApiProblem(e), this.i18n));
      },
    });
  }

  protected changeStatus(c: CertificateView): void {
    const reason = this.reason().trim();
    if (!reason || this.busy()) return;
    const status = this.action();
    this.busy.set(true);
    this.api.setStatus(c.id, status, reason).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.cert.set(r.certificate);
        this.reason.set('');
        this.action.set('revoked');
        this.notifications.success('certs.detail.statusChanged');
        this.changed.emit();
        if (status === 'revoked' && r.twin && r.twin.status !== 'revoked') {
          this.lastReason = reason;
          this.twinQuestion.set(r);
          this.dialog().nativeElement.showModal();
        }
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.notifications.error(e);
      },
    });
  }

  protected revokeTwin(q: StatusChangeView): void {
    if (!q.twin) return;
    this.busy.set(true);
    this.api.setStatus(q.twin.id, 'revoked', this.lastReason).subscribe({
      next: () => {
        this.busy.set(false);
        this.closeTwin();
        this.notifications.success('certs.twin.revoked');
        this.changed.emit();
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.closeTwin();
        this.notifications.error(e);
      },
    });
  }

  protected closeTwin(): void {
    this.twinQuestion.set(null);
    const dialog = this.dialog().nativeElement;
    if (dialog.open) dialog.close();
  }

  protected reissue(c: CertificateView): void {
    const reason = this.reissueReason().trim();
    if (!reason || this.busy()) return;
    this.busy.set(true);
    this.api.reissue(c.id, reason).subscribe({
      next: (pair) => {
        this.busy.set(false);
        this.reissueReason.set('');
        this.notifications.success('certs.detail.reissued');
        this.changed.emit();
        this.cert.set(c.kind === 'skill_level' ? pair.skill : pair.enterprise);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.notifications.error(e);
      },
    });
  }

  protected downloadPdf(c: CertificateView): void {
    this.busy.set(true);
    this.api.pdf(c.id).subscribe({
      next: (blob) => {
        this.busy.set(false);
        saveBlob(blob, `${c.number}.pdf`);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.notifications.error(e);
      },
    });
  }
}

import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { BUREAU_API_KEY_SCOPES, type BureauApiKeyScope } from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { RemoteViewComponent } from '../../shared/components/remote-view.component';
import { remote } from '../../shared/util/remote';
import { CertificatesApi } from '../certificates/certificates-api.service';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

/** The bureau's API keys: create (the key is shown once), list, revoke. */
@Component({
  selector: 'app-bureau-api-keys',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, NzCheckboxModule, NzInputNumberModule, RemoteViewComponent, NzFormModule, NzInputModule, NzButtonModule],
  styles: `
    nz-input-number { width: 100%; max-width: 14rem; }
    /* Ant's form legend grey (#8c8c8c) is below 4.5:1 on white. */
    legend { color: var(--text); }
  `,
  template: `
    <form nz-form nzLayout="vertical" (ngSubmit)="create()" class="form-grid" data-testid="api-key-form">
      <app-form-field [label]="t('bureau.keys.name')" fieldId="api-key-name">
        <input nz-input id="api-key-name" name="keyName" [(ngModel)]="name" maxlength="100" required data-testid="api-key-name" />
      </app-form-field>
      <app-form-field [label]="t('bureau.keys.quota')" fieldId="api-key-quota">
        <nz-input-number nzId="api-key-quota" name="quota" [nzMin]="1" [nzMax]="10000000" [nzStep]="1000" [nzPrecision]="0" [(ngModel)]="quota" required data-testid="api-key-quota" />
      </app-form-field>
      <fieldset class="form-grid__wide">
        <legend>{{ t('bureau.keys.scopes') }}</legend>
        @for (scope of allScopes; track scope) {
          <label nz-checkbox [nzChecked]="scopes().includes(scope)" (nzCheckedChange)="toggle(scope)" [attr.data-testid]="'api-key-scope-' + scope">{{ t(scopeKey(scope)) }}</label>
        }
      </fieldset>
      <div class="form-grid__wide">
        <button nz-button nzType="primary" type="submit" [disabled]="pending() || !name().trim() || !scopes().length || !(quota() > 0)" data-testid="api-key-create">{{ t('bureau.keys.create') }}</button>
      </div>
    </form>
    @if (created(); as key) {
      <div class="banner banner--info section-gap" role="status" data-testid="api-key-created">
        <p><strong>{{ t('bureau.keys.shownOnce') }}</strong></p>
        <p><code class="mono" data-testid="api-key-value">{{ key }}</code></p>
        <button type="button" class="btn btn--small" (click)="copy(key)" data-testid="api-key-copy">{{ copied() ? t('bureau.keys.copied') : t('bureau.keys.copy') }}</button>
        <button type="button" class="btn btn--small btn--ghost" (click)="created.set(null)" data-testid="api-key-hide">{{ t('bureau.keys.hide') }}</button>
      </div>
    }
    <app-remote-view [source]="keys" [emptyText]="t('bureau.keys.empty')">
      <div class="table-wrap section-gap">
        <table class="table" data-testid="api-key-list">
          <caption class="visually-hidden">{{ t('bureau.keys.title') }}</caption>
          <thead><tr><th scope="col">{{ t('bureau.keys.name') }}</th><th scope="col">{{ t('bureau.keys.prefix') }}</th><th scope="col">{{ t('bureau.keys.scopes') }}</th><th scope="col">{{ t('bureau.keys.usage') }}</th><th scope="col">{{ t('bureau.keys.state') }}</th><th scope="col"><span class="visually-hidden">{{ t('bureau.keys.revoke') }}</span></th></tr></thead>
          <tbody>
            @for (k of keys.value() ?? []; track k.id) {
              <tr [attr.data-testid]="'api-key-row-' + k.id">
                <td>{{ k.name }}</td>
                <td class="mono">{{ k.keyPrefix }}…</td>
                <td>{{ k.scopes.join(', ') }}</td>
                <td>{{ k.usedToday }} / {{ k.dailyQuota }}</td>
                <td>@if (k.revokedAt) { <span class="status status--bad">{{ t('bureau.keys.revoked') }}</span> } @else { <span class="status status--ok">{{ t('bureau.keys.active') }}</span> }</td>
                <td>@if (!k.revokedAt) { <button type="button" class="btn btn--small" (click)="revoke(k.id)" [attr.data-testid]="'api-key-revoke-' + k.id">{{ t('bureau.keys.revoke') }}</button> }</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    </app-remote-view>
  `,
})
export class BureauApiKeysComponent extends Localized {
  private readonly api = inject(CertificatesApi);
  private readonly notifications = inject(NotificationService);

  /** The new key's secret, so the bulk form can use it without the user pasting it. */
  readonly keyCreated = output<string>();

  protected readonly allScopes = BUREAU_API_KEY_SCOPES;
  protected readonly keys = remote(() => this.api.apiKeys());
  protected readonly name = signal('');
  protected readonly quota = signal(100000);
  protected readonly scopes = signal<BureauApiKeyScope[]>(['verify', 'bulk_verify']);
  protected readonly pending = signal(false);
  protected readonly created = signal<string | null>(null);
  protected readonly copied = signal(false);

  protected scopeKey(scope: BureauApiKeyScope): `bureau.keys.scope.${BureauApiKeyScope}` {
    return `bureau.keys.scope.${scope}`;
  }

  protected toggle(scope: BureauApiKeyScope): void {
    this.scopes.update((list) => (list.includes(scope) ? list.filter((s) => s !== scope) : [...list, scope]));
  }

  protected create(): void {
    if (this.pending()) return;
    this.pending.set(true);
    this.api.createApiKey({ name: this.name().trim(), scopes: this.scopes(), dailyQuota: Number(this.quota()) }).subscribe({
      next: (k) => {
        this.pending.set(false);
        this.created.set(k.key);
        this.copied.set(false);
        this.name.set('');
        this.keyCreated.emit(k.key);
        this.keys.reload();
      },
      error: (e: unknown) => {
        this.pending.set(false);
        this.notifications.error(e);
      },
    });
  }

  protected copy(key: string): void {
    navigator.clipboard?.writeText(key).then(
      () => this.copied.set(true),
      () => this.notifications.info('bureau.keys.copyFailed'),
    );
  }

  protected revoke(id: number): void {
    this.api.revokeApiKey(id).subscribe({
      next: () => {
        this.notifications.success('bureau.keys.revokedNotice');
        this.keys.reload();
      },
      error: (e: unknown) => this.notifications.error(e),
    });
  }
}

import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { SessionStore } from '../../core/auth/session.store';
import { Localized } from '../../core/i18n/localized';
import { NotificationService } from '../../core/notifications/notification.service';
import { OrganisationsApi } from '../../shared/api/organisations-api.service';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { FormFieldComponent } from '../../shared/components/form-field.component';

/** The org admin sets the time zone every time of the organisation is shown in (portal, certificates, exports). */
@Component({
  selector: 'app-organisation-time-zone',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormFieldComponent, FormsModule, NzSelectModule, NzFormModule, NzButtonModule],
  styles: `.zone nz-select { min-width: 16rem; }`,
  template: `
    <form nz-form nzLayout="inline" class="inline-form" (submit)="$event.preventDefault(); save()" novalidate data-testid="org-time-zone-form">
      <app-form-field class="zone" [label]="t('org.timeZone')" fieldId="org-time-zone">
        <nz-select nzId="org-time-zone" data-testid="org-time-zone" [ngModel]="selected()" (ngModelChange)="selected.set($event)" [ngModelOptions]="{ standalone: true }" nzShowSearch>
        @for (zone of zones; track zone) { <nz-option [nzValue]="zone" [nzLabel]="zoneName(zone)" /> }
        </nz-select>
      </app-form-field>
      <button nz-button nzType="primary" type="submit" [disabled]="pending() || selected() === current()">{{ t('common.save') }}</button>
    </form>
    <p class="muted small">{{ t('org.timeZoneHelp', { example: i18n.dateTime(now) }) }}</p>
  `,
})
export class OrganisationTimeZoneComponent extends Localized {
  private readonly session = inject(SessionStore);
  private readonly api = inject(OrganisationsApi);
  private readonly notifications = inject(NotificationService);
  protected readonly now = new Date().toISOString();
  protected readonly current = computed(() => this.i18n.timeZone());
  protected readonly selected = signal(this.i18n.timeZone());
  protected readonly pending = signal(false);
  protected readonly zones: readonly string[] = (() => {
    const all = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    return all.includes(this.i18n.timeZone()) ? all : [this.i18n.timeZone(), ...all];
  })();

  /** "中国标准时间（Asia/Shanghai）": the zone's name in the reader's language, and its IANA name. */
  protected zoneName(zone: string): string {
    try {
      const name = new Intl.DateTimeFormat(this.i18n.lang() === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: zone, timeZoneName: 'longGeneric' })
        .formatToParts(new Date())
        .find((p) => p.type === 'timeZoneName')?.value;
      return name && name !== zone ? (this.i18n.lang() === 'zh' ? `${name}（${zone}）` : `${name} (${zone})`) : zone;
    } catch {
      return zone;
    }
  }

  protected save(): void {
    const user = this.session.user();
    if (!user?.organisation) return;
    this.pending.set(true);
    this.api.update(user.organisation.id, { timeZone: this.selected() }).subscribe({
      next: (org) => {
        this.pending.set(false);
        this.session.setUser({ ...user, timeZone: org.timeZone, organisation: { ...user.organisation!, timeZone: org.timeZone } });
        this.notifications.success('notice.saved');
      },
      error: (e: unknown) => {
        this.pending.set(false);
        this.notifications.error(e);
      },
    });
  }
}

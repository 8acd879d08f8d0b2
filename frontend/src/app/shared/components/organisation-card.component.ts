import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { OrganisationView } from '@aitrainer/contracts';
import { Localized } from '../../core/i18n/localized';

@Component({
  selector: 'app-organisation-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dl class="facts" data-testid="organisation-details">
      <div><dt>{{ t('field.name') }}</dt><dd>{{ organisation().name }}</dd></div>
      <div><dt>{{ t('field.kind') }}</dt><dd>{{ i18n.orgKindLabel(organisation().kind) }}</dd></div>
      @if (organisation().creditCode || organisation().kind === 'issuer') {
        <div><dt>{{ t('field.creditCode') }}</dt><dd [class.mono]="organisation().creditCode">{{ organisation().creditCode ?? t('common.none') }}</dd></div>
      }
      <div><dt>{{ t('field.createdAt') }}</dt><dd>{{ i18n.dateTime(organisation().createdAt) }}</dd></div>
    </dl>
  `,
})
export class OrganisationCardComponent extends Localized {
  readonly organisation = input.required<OrganisationView>();
}

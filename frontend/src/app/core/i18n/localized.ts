import { inject } from '@angular/core';
import { I18n } from './i18n.service';

/**
 * What nearly every component's template reads: `t('key')` from the catalogues and the formatters of `i18n`
 * (`i18n.dateTime(…)`). A component extends it rather than injecting the pair itself.
 */
export abstract class Localized {
  protected readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;
}

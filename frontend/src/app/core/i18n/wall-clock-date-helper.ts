import { registerLocaleData } from '@angular/common';
import localeZh from '@angular/common/locales/zh';
import { inject } from '@angular/core';
import { DateHelperByDatePipe, DateHelperService, NzI18nService } from 'ng-zorro-antd/i18n';

/**
 * The date helper of every Ant picker (date, time). NG-ZORRO's default formats with Angular's formatDate in the
 * picker locale's id (`zh-cn` under zh_CN): without Chinese locale data registered, every format threw (NG0701),
 * so a typed date or time was never taken. It also read typed text with `new Date(text)`, and JavaScript reads a bare
 * `yyyy-MM-dd` as midnight UTC: west of Greenwich the day became the day before and did not match what was typed.
 * This one registers the Chinese data (1.5 kB) and reads the numeric forms the pickers use (`yyyy-MM-dd`, optionally
 * with ` HH:mm`) as a local wall clock, as the pickers show it (the display time zone is applied by I18n, not here).
 */
export class WallClockDateHelper extends DateHelperByDatePipe {
  override parseDate(text: string): Date {
    const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?\s*$/.exec(text ?? '');
    if (m) return new Date(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0));
    return super.parseDate(text);
  }
}

/** Provide in the application config: every Ant picker formats and parses with it. */
export const provideWallClockDateHelper = () => ({
  provide: DateHelperService,
  useFactory: () => {
    registerLocaleData(localeZh);
    return new WallClockDateHelper(inject(NzI18nService));
  },
});

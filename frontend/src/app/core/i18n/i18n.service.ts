import { DOCUMENT } from '@angular/common';
import { Injectable, computed, inject, signal } from '@angular/core';
import type { IdDocumentType, OrganisationKind, Role } from '@aitrainer/contracts';
import { LocalStore } from '../storage/local-store';
import { EN } from './messages.en';
import { ZH, type MessageKey } from './messages.zh';
import { translateReason } from './reasons';
import { fromPickerDate, toPickerDate } from './zoned-time';

export type Lang = 'zh' | 'en';
export type MessageParams = Readonly<Record<string, string | number>>;

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { zh: ZH, en: EN };
const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };
const DATE_LOCALE: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' };
const STORAGE_KEY = 'lang';

/**
 * Runtime translation with a signal: every template that calls `t()` re-renders when the
 * language changes, so one build serves both languages.
 */
/** The time zone times are shown in (the organisations are in mainland China). */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly document = inject(DOCUMENT);
  private readonly store = inject(LocalStore);
  private readonly current = signal<Lang>(this.store.get(STORAGE_KEY) === 'en' ? 'en' : 'zh');

  readonly lang = this.current.asReadonly();
  /** The zone every time is shown and picked in; the date pickers convert through it (core/i18n/zoned-time.ts). */
  readonly timeZone = computed(() => DISPLAY_TIME_ZONE);
  /**
   * Every time is shown in the organisations' time zone (China Standard Time, where the certificates are issued and the
   * exams sit), whatever the reader's computer is set to, in one format.
   */
  private readonly dateTimeFormat = computed(
    () => new Intl.DateTimeFormat(DATE_LOCALE[this.current()], { dateStyle: 'medium', timeStyle: 'short', timeZone: this.timeZone() }),
  );

  /** The display time zone's name in the reader's language ("中国标准时间", "China Standard Time"). */
  readonly timeZoneName = computed(() => {
    const parts = new Intl.DateTimeFormat(HTML_LANG[this.current()], { timeZone: this.timeZone(), timeZoneName: 'long' }).formatToParts(new Date());
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? this.timeZone();
  });

  constructor() {
    this.applyToDocument();
  }

  setLang(lang: Lang): void {
    this.current.set(lang);
    this.store.set(STORAGE_KEY, lang);
    this.applyToDocument();
  }

  toggle(): void {
    this.setLang(this.current() === 'zh' ? 'en' : 'zh');
  }

  /** Translates a key; `{name}` placeholders are replaced from params. */
  readonly t = (key: MessageKey, params?: MessageParams): string => {
    const template = DICTIONARIES[this.current()][key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) =>
      Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match,
    );
  };

  readonly roleLabel = (role: Role): string => this.t(`role.${role}`);
  readonly orgKindLabel = (kind: OrganisationKind): string => this.t(`orgKind.${kind}`);
  readonly idTypeLabel = (type: IdDocumentType | null): string =>
    type ? this.t(`idType.${type}`) : this.t('common.none');

  has(key: string): key is MessageKey {
    return Object.prototype.hasOwnProperty.call(ZH, key);
  }

  /** Translates a validator's or the server's English reason; unknown reasons pass through. */
  readonly reason = (reason: string): string => (this.current() === 'zh' ? translateReason(reason) : reason);

  readonly dateTime = (iso: string | null | undefined): string => {
    if (!iso) return this.t('common.none');
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : this.dateTimeFormat().format(date);
  };

  /** For a date picker (nz-date-picker): the Date showing `iso` as the display time zone reads it. */
  readonly pickerDate = (iso: string | null | undefined): Date | null => toPickerDate(iso, this.timeZone());

  /** From a date picker: the instant (ISO) the picked date and time name in the display time zone. */
  readonly pickedInstant = (picked: Date | null | undefined): string | null => fromPickerDate(picked, this.timeZone());

  /** "30 秒" / "2 minutes"; seconds under two minutes are shown as seconds. */
  readonly waitTime = (seconds: number): string =>
    seconds < 120 ? this.t('wait.seconds', { n: seconds }) : this.t('wait.minutes', { n: Math.ceil(seconds / 60) });

  private applyToDocument(): void {
    this.document.documentElement.lang = HTML_LANG[this.current()];
    this.document.title = this.t('app.title');
  }
}

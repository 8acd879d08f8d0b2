import { DOCUMENT } from '@angular/common';
import { Injectable, computed, inject, signal } from '@angular/core';
import { DEFAULT_TIME_ZONE, type IdDocumentType, type OrganisationKind, type Role } from '@aitrainer/contracts';
import { SessionStore } from '../auth/session.store';
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
/** The time zone times are shown in when no organisation's zone applies (the organisations are in mainland China). */
export const DISPLAY_TIME_ZONE = DEFAULT_TIME_ZONE;

@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly document = inject(DOCUMENT);
  private readonly store = inject(LocalStore);
  private readonly current = signal<Lang>(this.store.get(STORAGE_KEY) === 'en' ? 'en' : 'zh');

  readonly lang = this.current.asReadonly();
  private readonly session = inject(SessionStore);
  /**
   * The IANA time zone every time is shown in: the signed-in user's organisation's (delivered with their profile),
   * else Asia/Shanghai; whatever the reader's computer is set to. Date pickers read it too.
   */
  readonly timeZone = computed(() => usableTimeZone(this.session.user()?.timeZone));
  private readonly formats = new Map<string, Intl.DateTimeFormat>();

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

  /**
   * An instant in one format everywhere ("2026年12月6日 06:31"), in `timeZone` when given (e.g. a certificate's issuer's
   * zone on the public verification page), else in the organisation's zone.
   */
  readonly dateTime = (iso: string | null | undefined, timeZone?: string): string => {
    if (!iso) return this.t('common.none');
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : this.format('dateTime', usableTimeZone(timeZone ?? this.timeZone())).format(date);
  };

  /**
   * A date in the same format ("2026年12月6日"): a calendar date `YYYY-MM-DD` (a certificate's issue date, already the
   * issuer's date) is shown as it is; an instant is shown as its date in `timeZone` (else the organisation's zone).
   */
  readonly date = (value: string | null | undefined, timeZone?: string): string => {
    if (!value) return this.t('common.none');
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const day = new Date(`${value}T00:00:00Z`);
      return Number.isNaN(day.getTime()) ? value : this.format('date', 'UTC').format(day);
    }
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : this.format('date', usableTimeZone(timeZone ?? this.timeZone())).format(date);
  };

  /** The clock time of an instant ("06:31:05") in the organisation's zone. */
  readonly clockTime = (at: Date): string => this.format('time', this.timeZone()).format(at);

  private format(kind: 'dateTime' | 'date' | 'time', timeZone: string): Intl.DateTimeFormat {
    const key = `${this.current()}|${kind}|${timeZone}`;
    let f = this.formats.get(key);
    if (!f) {
      const style: Intl.DateTimeFormatOptions =
        kind === 'dateTime' ? { dateStyle: 'medium', timeStyle: 'short' } : kind === 'date' ? { dateStyle: 'medium' } : { timeStyle: 'medium' };
      f = new Intl.DateTimeFormat(DATE_LOCALE[this.current()], { ...style, timeZone });
      this.formats.set(key, f);
    }
    return f;
  }

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

/** The zone if the browser knows it, else the default (an old stored profile has none). */
export function usableTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

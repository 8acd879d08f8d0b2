import { DEFAULT_TIME_ZONE } from '@aitrainer/contracts';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      f = format(DEFAULT_TIME_ZONE);
    }
    formats.set(timeZone, f);
  }
  return f;
}

function parts(at: Date, timeZone: string): Record<string, string> {
  return Object.fromEntries(format(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
}

/** The calendar date of an instant in an IANA time zone, `YYYY-MM-DD` (an unknown zone: the default, Asia/Shanghai). */
export function zonedDate(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = parts(at, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** An instant as wall-clock time in an IANA time zone, `YYYY-MM-DD HH:mm`: the one format of times in files. */
export function zonedDateTime(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = parts(at, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

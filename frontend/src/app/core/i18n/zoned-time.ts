/**
 * The one place where times cross between the display time zone and the date pickers. A picker (nz-date-picker)
 * works in the browser's own time zone; the portal shows and takes every time in the display time zone (the
 * organisation's), whatever the reader's computer is set to. So the picker is given a Date whose local wall clock
 * reads what the instant reads in the display zone, and what the user picks is read back as that zone's wall clock.
 * Pure functions: the time zone comes from the caller (I18n.timeZone()).
 */

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: Date, timeZone: string): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(instant)) parts[p.type] = Number(p.value);
  const field = (name: string): number => parts[name] ?? 0;
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour') % 24, minute: field('minute'), second: field('second') };
}

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function offsetMs(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** For a picker: a Date whose local wall clock reads what `iso` reads in `timeZone`; null for no or a bad time. */
export function toPickerDate(iso: string | null | undefined, timeZone: string): Date | null {
  if (!iso) return null;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return null;
  const w = wallClock(instant, timeZone);
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** From a picker: the instant (ISO, UTC) that the picked local wall clock names in `timeZone`; null for no date. */
export function fromPickerDate(picked: Date | null | undefined, timeZone: string): string | null {
  if (!picked || Number.isNaN(picked.getTime())) return null;
  const wall = Date.UTC(picked.getFullYear(), picked.getMonth(), picked.getDate(), picked.getHours(), picked.getMinutes(), picked.getSeconds());
  // The offset at the guessed instant; once more at the corrected one for the hours around a daylight-saving change.
  let instant = wall - offsetMs(wall, timeZone);
  instant = wall - offsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/** A day picked in a date-only picker, as `yyyy-MM-dd` (a calendar day: no instant, no zone); null for none. */
export function pickedDay(picked: Date | null | undefined): string | null {
  if (!picked || Number.isNaN(picked.getTime())) return null;
  return `${picked.getFullYear()}-${String(picked.getMonth() + 1).padStart(2, '0')}-${String(picked.getDate()).padStart(2, '0')}`;
}

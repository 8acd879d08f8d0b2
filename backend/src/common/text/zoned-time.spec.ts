import { zonedDate, zonedDateTime } from './zoned-time';

describe('times in an organisation’s time zone', () => {
  const at = new Date('2026-12-05T22:31:00Z');

  it('shows an instant as the wall clock of the zone (Beijing is UTC+8, the next day here)', () => {
    expect(zonedDateTime(at, 'Asia/Shanghai')).toBe('2026-12-06 06:31');
    expect(zonedDate(at, 'Asia/Shanghai')).toBe('2026-12-06');
  });

  it('follows another zone, daylight saving included', () => {
    expect(zonedDateTime(at, 'UTC')).toBe('2026-12-05 22:31');
    expect(zonedDateTime(new Date('2026-07-01T12:00:00Z'), 'Europe/London')).toBe('2026-07-01 13:00');
    expect(zonedDate(at, 'America/New_York')).toBe('2026-12-05');
  });

  it('defaults to Asia/Shanghai, also for a zone the runtime does not know', () => {
    expect(zonedDateTime(at)).toBe('2026-12-06 06:31');
    expect(zonedDateTime(at, 'Mars/Olympus')).toBe('2026-12-06 06:31');
  });
});

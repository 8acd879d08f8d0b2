// Run: node --test frontend/src/app/core/i18n/zoned-time.spec.ts (Node strips the types).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromPickerDate, pickedDay, toPickerDate } from './zoned-time.ts';

test('a picker shows the display zone’s wall clock, whatever the machine’s zone', () => {
  const shown = toPickerDate('2026-03-01T01:30:00.000Z', 'Asia/Shanghai');
  assert.ok(shown);
  assert.deepEqual([shown.getFullYear(), shown.getMonth() + 1, shown.getDate(), shown.getHours(), shown.getMinutes()], [2026, 3, 1, 9, 30]);
  const ny = toPickerDate('2026-03-01T01:30:00.000Z', 'America/New_York');
  assert.deepEqual([ny?.getDate(), ny?.getHours()], [28, 20]);
});

test('what the user picks is read as the display zone’s wall clock', () => {
  assert.equal(fromPickerDate(new Date(2026, 2, 1, 9, 30), 'Asia/Shanghai'), '2026-03-01T01:30:00.000Z');
  assert.equal(fromPickerDate(new Date(2026, 0, 1, 0, 0), 'Europe/London'), '2026-01-01T00:00:00.000Z');
  // Summer time in New York (UTC-4) and winter time (UTC-5).
  assert.equal(fromPickerDate(new Date(2026, 6, 1, 12, 0), 'America/New_York'), '2026-07-01T16:00:00.000Z');
  assert.equal(fromPickerDate(new Date(2026, 11, 1, 12, 0), 'America/New_York'), '2026-12-01T17:00:00.000Z');
});

test('there and back is the same instant; no time stays no time', () => {
  for (const iso of ['2026-12-06T03:15:00.000Z', '2026-06-30T23:59:00.000Z']) {
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'UTC']) assert.equal(fromPickerDate(toPickerDate(iso, zone), zone), iso);
  }
  assert.equal(toPickerDate(null, 'Asia/Shanghai'), null);
  assert.equal(toPickerDate('not a date', 'Asia/Shanghai'), null);
  assert.equal(fromPickerDate(null, 'Asia/Shanghai'), null);
});

test('a picked calendar day is that day, whatever the zones', () => {
  assert.equal(pickedDay(new Date(2026, 0, 5, 0, 0)), '2026-01-05');
  assert.equal(pickedDay(new Date(2026, 11, 31, 23, 59)), '2026-12-31');
  assert.equal(pickedDay(null), null);
});

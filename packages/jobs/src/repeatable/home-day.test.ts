import { describe, expect, it } from 'vitest';
import { addDays, isoWeekdayOf, localDateOf, nextMondayAfter, startOfLocalDay } from './home-day.ts';

describe("a Home's days", () => {
  it('reads the date an instant falls on in a zone', () => {
    expect(localDateOf(new Date('2026-11-17T23:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-18');
    expect(localDateOf(new Date('2026-11-17T23:30:00Z'), 'Europe/Madrid')).toBe('2026-11-18');
    expect(localDateOf(new Date('2026-11-17T22:30:00Z'), 'Europe/Madrid')).toBe('2026-11-17');
  });

  it('finds when a date starts in a zone, through daylight saving changes', () => {
    expect(startOfLocalDay('2026-11-16', 'Asia/Shanghai').toISOString()).toBe('2026-11-15T16:00:00.000Z');
    // Madrid: winter +01:00; the day clocks go forward (29 March) still starts at midnight +01:00; summer +02:00.
    expect(startOfLocalDay('2026-03-28', 'Europe/Madrid').toISOString()).toBe('2026-03-27T23:00:00.000Z');
    expect(startOfLocalDay('2026-03-29', 'Europe/Madrid').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-03-30', 'Europe/Madrid').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfLocalDay('2026-10-25', 'Europe/Madrid').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfLocalDay('2026-10-26', 'Europe/Madrid').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // Where the clocks jump at midnight the day starts at 01:00 (Santiago, 6 September 2026).
    expect(startOfLocalDay('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });

  it('counts days and weekdays without a zone, and finds the next Monday', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekdayOf('2026-11-16')).toBe(1);
    expect(isoWeekdayOf('2026-11-22')).toBe(7);
    expect(nextMondayAfter('2026-11-22')).toBe('2026-11-23');
    expect(nextMondayAfter('2026-11-16')).toBe('2026-11-23');
    expect(nextMondayAfter('2026-11-18')).toBe('2026-11-23');
  });
});

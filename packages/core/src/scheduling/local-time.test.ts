import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseClockTime, parseIsoDate, WallClock } from './local-time.ts';

describe('local time', () => {
  it('parses clock times up to 24:00 and refuses the rest', () => {
    expect(parseClockTime('00:00')).toBe(0);
    expect(parseClockTime('12:15')).toBe(735);
    expect(parseClockTime('24:00')).toBe(1440);
    for (const bad of ['24:01', '7:30', '12:60', '12h15', '']) expect(() => parseClockTime(bad)).toThrow(RangeError);
  });

  it('parses real dates only', () => {
    expect(parseIsoDate('2026-03-29')).toMatchObject({ iso: '2026-03-29', weekday: 7 });
    expect(() => parseIsoDate('2026-02-30')).toThrow(RangeError);
  });

  it('agrees with luxon on every half hour of the year in zones with DST', () => {
    const clock = new WallClock();
    for (const zone of ['Europe/Madrid', 'America/St_Johns', 'Australia/Sydney', 'Pacific/Chatham']) {
      for (let day = parseIsoDate('2026-01-01'); day.iso < '2027-01-01'; day = parseIsoDate(nextDay(day.iso))) {
        for (let minutes = 0; minutes < 1440; minutes += 30) {
          const expected = DateTime.fromObject(
            { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
            { zone },
          ).toMillis();
          if (clock.toUtcMs(zone, day, minutes) !== expected) {
            throw new Error(`${zone} ${day.iso} ${minutes}: ${clock.toUtcMs(zone, day, minutes)} !== ${expected}`);
          }
        }
      }
    }
  });
});

function nextDay(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

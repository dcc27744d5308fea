import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  instantAt,
  isoWeekdayOf,
  nextMondayAfter,
  parseClockTime,
  parseIsoDate,
  startOfLocalDay,
  WallClock,
  wallClockOf,
  weekStartOf,
  zoneOffsetMinutes,
} from './zoned-time.ts';

describe('zoned time', () => {
  it('reads instants in a zone, across DST', () => {
    expect(wallClockOf(new Date('2026-09-07T04:00:00Z'), 'Asia/Shanghai')).toEqual({
      date: '2026-09-07',
      time: '12:00',
      weekday: 1,
    });
    expect(wallClockOf(new Date('2026-03-29T00:59:00Z'), 'Europe/Madrid').time).toBe('01:59');
    expect(wallClockOf(new Date('2026-03-29T01:00:00Z'), 'Europe/Madrid').time).toBe('03:00');
    expect(wallClockOf(new Date('2026-03-08T07:30:00Z'), 'America/New_York')).toMatchObject({
      time: '03:30',
      weekday: 7,
    });
    expect(wallClockOf(new Date('2026-11-17T23:30:00Z'), 'Asia/Shanghai').date).toBe('2026-11-18');
    expect(wallClockOf(new Date('2026-11-17T22:30:00Z'), 'Europe/Madrid').date).toBe('2026-11-17');
    expect(zoneOffsetMinutes(Date.UTC(2026, 0, 1), 'Asia/Kathmandu')).toBe(345);
  });

  it('refuses an unknown zone with a RangeError', () => {
    expect(() => wallClockOf(new Date(), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => instantAt('2026-09-07', '12:00', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => new WallClock().toUtcMs('Mars/Olympus', parseIsoDate('2026-09-07'), 0)).toThrow(RangeError);
  });

  it('turns wall-clock times into instants, moving a skipped time forward and reading a repeated one late', () => {
    expect(instantAt('2026-09-07', '12:00', 'Asia/Shanghai').toISOString()).toBe('2026-09-07T04:00:00.000Z');
    expect(instantAt('2026-03-29', '02:30', 'Europe/Madrid').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(instantAt('2026-10-25', '02:30', 'Europe/Madrid').toISOString()).toBe('2026-10-25T01:30:00.000Z');
    // Southern hemisphere: Sydney falls back on 5 April 2026; 02:30 comes twice, the later is +10:00.
    expect(instantAt('2026-04-05', '02:30', 'Australia/Sydney').toISOString()).toBe('2026-04-04T16:30:00.000Z');
    const clock = new WallClock();
    expect(clock.toUtcMs('Australia/Sydney', parseIsoDate('2026-04-05'), 150)).toBe(Date.parse('2026-04-04T16:30Z'));
    expect(clock.toUtcMs('Europe/Madrid', parseIsoDate('2026-10-25'), 150)).toBe(Date.parse('2026-10-25T01:30Z'));
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
    // Where they fall back at 01:00 to midnight, midnight comes twice: the day starts at the first (Havana, 1 Nov).
    expect(startOfLocalDay('2026-11-01', 'America/Havana').toISOString()).toBe('2026-11-01T04:00:00.000Z');
  });

  it('counts days and weekdays without a zone, finds the next Monday and the quota week', () => {
    expect(addCalendarDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekdayOf('2026-11-16')).toBe(1);
    expect(isoWeekdayOf('2026-11-22')).toBe(7);
    expect(nextMondayAfter('2026-11-22')).toBe('2026-11-23');
    expect(nextMondayAfter('2026-11-16')).toBe('2026-11-23');
    expect(nextMondayAfter('2026-11-18')).toBe('2026-11-23');
    expect(weekStartOf(new Date('2026-03-01T23:30:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    expect(weekStartOf(new Date('2026-03-01T23:30:00Z'), 'UTC')).toBe('2026-02-23');
  });

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

  it('agrees with Intl for any instant and zone, and round-trips', () => {
    const zones = ['Asia/Shanghai', 'Europe/Madrid', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const instant = new Date(Math.floor(ms / 60_000) * 60_000);
          const reading = wallClockOf(instant, zone);
          const parts = Object.fromEntries(
            new Intl.DateTimeFormat('en-CA', {
              timeZone: zone,
              year: 'numeric',
              month: '2-digit',
              day: '2-digit',
              hour: '2-digit',
              minute: '2-digit',
              hourCycle: 'h23',
            })
              .formatToParts(instant)
              .map((p) => [p.type, p.value]),
          );
          expect(reading.date).toBe(`${parts.year}-${parts.month}-${parts.day}`);
          expect(reading.time).toBe(`${parts.hour}:${parts.minute}`);
          const back = instantAt(reading.date, reading.time, zone);
          expect(wallClockOf(back, zone)).toEqual(reading);
        },
      ),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('agrees with luxon on every half hour of the year in zones with DST (repeated times read late)', () => {
    const clock = new WallClock();
    for (const zone of ['Europe/Madrid', 'America/St_Johns', 'Australia/Sydney', 'Pacific/Chatham']) {
      for (let day = parseIsoDate('2026-01-01'); day.iso < '2027-01-01'; day = parseIsoDate(nextDay(day.iso))) {
        const changes = luxonAt(zone, day.iso, 0) + 86_400_000 !== luxonAt(zone, nextDay(day.iso), 0);
        for (let minutes = 0; minutes < 1440; minutes += 30) {
          const expected = luxonAt(zone, day.iso, minutes, changes);
          const got = clock.toUtcMs(zone, day, minutes);
          const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
          // instantAt (uncached) on the days with a change and one time in eight of the others, to stay quick.
          const direct = changes || minutes % 240 === 0 ? instantAt(day.iso, time, zone).getTime() : expected;
          if (got !== expected || direct !== expected) {
            throw new Error(`${zone} ${day.iso} ${time}: ${got} !== ${expected}`);
          }
        }
      }
    }
  });
});

/**
 * luxon's reading of a wall-clock time; on a day with a change, a repeated time is pinned to its later offset (luxon
 * alone picks by the offset of the moment the test runs).
 */
function luxonAt(zone: string, iso: string, minutes: number, changes = false): number {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  const reading = DateTime.fromObject(
    { year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone },
  );
  return changes ? Math.max(...reading.getPossibleOffsets().map((dt) => dt.toMillis())) : reading.toMillis();
}

function nextDay(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

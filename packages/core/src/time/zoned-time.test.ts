import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, instantAt, wallClockOf } from './zoned-time.ts';

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
  });

  it('turns wall-clock times into instants, moving a skipped time forward and reading a repeated one late', () => {
    expect(instantAt('2026-09-07', '12:00', 'Asia/Shanghai').toISOString()).toBe('2026-09-07T04:00:00.000Z');
    expect(instantAt('2026-03-29', '02:30', 'Europe/Madrid').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(instantAt('2026-10-25', '02:30', 'Europe/Madrid').toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(addCalendarDays('2026-12-30', 3)).toBe('2027-01-02');
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
});

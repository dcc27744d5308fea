import { describe, expect, it } from 'vitest';
import { openingIntervals } from './opening-intervals.ts';
import { shanghai, shanghaiHome, shanghaiSettings } from './test-fixtures.ts';

const iso = (ranges: { start: Date; end: Date }[]) => ranges.map((r) => [r.start.toISOString(), r.end.toISOString()]);

describe('openingIntervals', () => {
  it('turns weekly rules into UTC intervals in the Home zone', () => {
    const week = openingIntervals(shanghaiHome(), shanghai('2026-03-02T00:00'), shanghai('2026-03-09T00:00'));
    expect(week).toHaveLength(10);
    expect(iso(week.slice(0, 2))).toEqual([
      ['2026-03-02T04:00:00.000Z', '2026-03-02T05:30:00.000Z'],
      ['2026-03-02T08:30:00.000Z', '2026-03-02T10:00:00.000Z'],
    ]);
  });

  it('returns whole intervals that overlap the range', () => {
    const noon = openingIntervals(shanghaiHome(), shanghai('2026-03-02T12:30'), shanghai('2026-03-02T12:31'));
    expect(iso(noon)).toEqual([['2026-03-02T04:00:00.000Z', '2026-03-02T05:30:00.000Z']]);
  });

  it('lets a closed exception replace the day, and special hours add ranges on any day', () => {
    const home = shanghaiHome({
      openingExceptions: [
        { date: '2026-03-04', closed: true },
        { date: '2026-03-07', closed: false, startTime: '09:00', endTime: '11:00' },
        { date: '2026-03-07', closed: false, startTime: '14:00', endTime: '15:00' },
        { date: '2026-03-06', closed: false, startTime: '10:00', endTime: '10:30' },
      ],
    });
    const week = openingIntervals(home, shanghai('2026-03-02T00:00'), shanghai('2026-03-09T00:00'));
    const days = week.map((r) => r.start.toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' }));
    expect(days.filter((d) => d === '2026-03-04')).toHaveLength(0);
    expect(iso(week.filter((r) => r.start >= shanghai('2026-03-06T00:00')))).toEqual([
      ['2026-03-06T02:00:00.000Z', '2026-03-06T02:30:00.000Z'],
      ['2026-03-07T01:00:00.000Z', '2026-03-07T03:00:00.000Z'],
      ['2026-03-07T06:00:00.000Z', '2026-03-07T07:00:00.000Z'],
    ]);
  });

  it('merges overlapping and touching ranges, and ignores empty ones', () => {
    const home = shanghaiHome({
      openingRules: [
        { weekday: 1, startTime: '12:00', endTime: '13:00' },
        { weekday: 1, startTime: '12:30', endTime: '14:00' },
        { weekday: 1, startTime: '14:00', endTime: '15:00' },
        { weekday: 1, startTime: '18:00', endTime: '17:00' },
      ],
    });
    expect(iso(openingIntervals(home, shanghai('2026-03-02T00:00'), shanghai('2026-03-03T00:00')))).toEqual([
      ['2026-03-02T04:00:00.000Z', '2026-03-02T07:00:00.000Z'],
    ]);
  });

  it('keeps wall-clock hours across DST in a Home zone that has it', () => {
    const home = shanghaiHome({
      settings: { ...shanghaiSettings, timeZone: 'Europe/Madrid' },
      openingRules: [
        { weekday: 6, startTime: '12:00', endTime: '13:00' },
        { weekday: 7, startTime: '12:00', endTime: '13:00' },
        { weekday: 7, startTime: '02:00', endTime: '03:00' },
      ],
    });
    const weekend = openingIntervals(home, new Date('2026-03-28T00:00:00Z'), new Date('2026-03-30T00:00:00Z'));
    // 02:00–03:00 does not exist on 29 March in Madrid: the clocks jump from 02:00 to 03:00.
    expect(iso(weekend)).toEqual([
      ['2026-03-28T11:00:00.000Z', '2026-03-28T12:00:00.000Z'],
      ['2026-03-29T10:00:00.000Z', '2026-03-29T11:00:00.000Z'],
    ]);
    const autumn = openingIntervals(home, new Date('2026-10-25T00:00:00Z'), new Date('2026-10-26T00:00:00Z'));
    // 02:00–03:00 happens twice on 25 October; the range runs from the second 02:00 to 03:00 (one hour).
    expect(iso(autumn)).toEqual([
      ['2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z'],
      ['2026-10-25T11:00:00.000Z', '2026-10-25T12:00:00.000Z'],
    ]);
  });

  it('rejects malformed times and unknown zones', () => {
    const from = shanghai('2026-03-02T00:00');
    const to = shanghai('2026-03-03T00:00');
    expect(() =>
      openingIntervals(
        shanghaiHome({ openingRules: [{ weekday: 1, startTime: '12:60', endTime: '13:00' }] }),
        from,
        to,
      ),
    ).toThrow(RangeError);
    expect(() =>
      openingIntervals(shanghaiHome({ settings: { ...shanghaiSettings, timeZone: 'Mars/Olympus' } }), from, to),
    ).toThrow(RangeError);
  });
});

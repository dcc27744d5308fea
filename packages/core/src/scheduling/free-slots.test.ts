import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { availabilityIntervals } from './availability-intervals.ts';
import { freeSlotsFor } from './free-slots.ts';
import { bookingsArb, homeArb, instantArb, windowsArb, zoneArb } from './test-arbitraries.ts';
import { booking, shanghai, shanghaiHome } from './test-fixtures.ts';
import { isEveryMinuteIn, oracleAvailableSpans, oracleOpenSpans } from './test-oracle.ts';
import type { SchedulingAvailabilityWindow, SchedulingContact, SchedulingHousehold, Weekday } from './types.ts';

const household: SchedulingHousehold = {
  id: 'hsh_li',
  childIds: ['chd_mei', 'chd_lei'],
  contactIds: ['cnt_mum', 'cnt_dad'],
};
const mum: SchedulingContact = { id: 'cnt_mum', timeZone: 'Asia/Shanghai', approved: true };
const weekdays = [1, 2, 3, 4, 5] as Weekday[];
const noonBreak: SchedulingAvailabilityWindow[] = weekdays.map((weekday) => ({
  contactId: 'cnt_mum',
  weekday,
  startTime: '12:00',
  endTime: '12:40',
}));
const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd ccc HH:mm');

describe('freeSlotsFor', () => {
  const now = shanghai('2026-03-01T20:00');
  const thisWeek = { from: shanghai('2026-03-02T00:00'), to: shanghai('2026-03-09T00:00') };

  it('keeps the slots inside the contact’s windows', () => {
    const slots = freeSlotsFor({
      calendar: shanghaiHome(),
      household,
      contact: mum,
      windows: noonBreak,
      bookings: [],
      now,
      ...thisWeek,
    });
    expect(slots.map((s) => local(s.start).slice(11))).toEqual(
      ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].flatMap((d) => [`${d} 12:00`, `${d} 12:20`]),
    );
    expect(slots[0]!.kioskIds).toEqual(['kio_a', 'kio_b']);
  });

  it('ignores other contacts’ windows and gives an unapproved or foreign contact nothing', () => {
    const dadWindows = noonBreak.map((w) => ({ ...w, contactId: 'cnt_dad' }));
    const base = { calendar: shanghaiHome(), household, bookings: [], now, ...thisWeek };
    expect(freeSlotsFor({ ...base, contact: mum, windows: dadWindows })).toEqual([]);
    expect(freeSlotsFor({ ...base, contact: { ...mum, approved: false }, windows: noonBreak })).toEqual([]);
    expect(freeSlotsFor({ ...base, contact: { ...mum, id: 'cnt_aunt' }, windows: noonBreak })).toEqual([]);
  });

  it('drops slots where a child or the contact is busy or no kiosk is free', () => {
    const bookings = [
      booking({
        childIds: ['chd_lei'],
        start: shanghai('2026-03-02T12:00'),
        end: shanghai('2026-03-02T12:15'),
        status: 'cancelled',
      }),
      booking({
        kioskId: 'kio_a',
        childIds: ['chd_other'],
        start: shanghai('2026-03-02T12:20'),
        end: shanghai('2026-03-02T12:35'),
      }),
      booking({
        kioskId: 'kio_b',
        childIds: ['chd_other2'],
        start: shanghai('2026-03-02T12:20'),
        end: shanghai('2026-03-02T12:35'),
      }),
      booking({
        childIds: ['chd_lei'],
        start: shanghai('2026-03-03T12:00'),
        end: shanghai('2026-03-03T12:15'),
        status: 'proposed',
      }),
      booking({ contactIds: ['cnt_mum'], start: shanghai('2026-03-03T12:25'), end: shanghai('2026-03-03T12:30') }),
    ];
    const slots = freeSlotsFor({
      calendar: shanghaiHome({ settings: { ...shanghaiHome().settings, weeklyQuotaPerChild: 3 } }),
      household,
      contact: mum,
      windows: noonBreak,
      bookings,
      now,
      from: thisWeek.from,
      to: shanghai('2026-03-04T00:00'),
    });
    expect(slots.map((s) => local(s.start).slice(11))).toEqual(['Mon 12:00']);
  });

  it('drops the weeks where a child has used up the quota, counted in Home weeks', () => {
    // Monday 07:30 in Shanghai is still Sunday in UTC: the call belongs to the week starting that Monday.
    const earlyMonday = booking({
      childIds: ['chd_lei'],
      start: shanghai('2026-03-09T07:30'),
      end: shanghai('2026-03-09T07:45'),
      status: 'completed',
    });
    const slots = freeSlotsFor({
      calendar: shanghaiHome(),
      household,
      contact: mum,
      windows: noonBreak,
      bookings: [earlyMonday],
      now,
    });
    const weeks = new Set(
      slots.map((s) => DateTime.fromJSDate(s.start, { zone: 'Asia/Shanghai' }).startOf('week').toISODate()),
    );
    expect([...weeks]).toEqual(['2026-03-02']);
    const onlyMei = freeSlotsFor({
      calendar: shanghaiHome(),
      household,
      contact: mum,
      windows: noonBreak,
      bookings: [earlyMonday],
      now,
      childIds: ['chd_mei'],
    });
    expect(onlyMei).toHaveLength(20);
  });

  it('rejects children of another household', () => {
    const options = { calendar: shanghaiHome(), household, contact: mum, windows: noonBreak, bookings: [], now };
    expect(() => freeSlotsFor({ ...options, childIds: ['chd_stranger'] })).toThrow(RangeError);
    expect(() => freeSlotsFor({ ...options, childIds: [] })).toThrow(RangeError);
  });

  describe('a mother in Madrid calling a Home in Shanghai across both 2026 DST changes', () => {
    const madrid: SchedulingContact = { id: 'cnt_mum', timeZone: 'Europe/Madrid', approved: true };
    // Before work in Madrid: 10:00–11:00 on weekdays, and an early 05:00–06:30 on Mondays.
    const windows: SchedulingAvailabilityWindow[] = [
      ...weekdays.map((weekday) => ({ contactId: 'cnt_mum', weekday, startTime: '10:00', endTime: '11:00' })),
      { contactId: 'cnt_mum', weekday: 1, startTime: '05:00', endTime: '06:30' },
    ];
    const run = (now: Date) =>
      freeSlotsFor({ calendar: shanghaiHome(), household, contact: madrid, windows, bookings: [], now }).map((s) =>
        local(s.start),
      );

    it('follows Madrid’s clock when it springs forward on 29 March', () => {
      const slots = run(new Date('2026-03-22T00:00:00Z'));
      // Winter (UTC+1): 10:00–11:00 Madrid is 17:00–18:00 in Shanghai; 05:00–06:30 is 12:00–13:30.
      expect(slots.filter((s) => s < '2026-03-28')).toEqual([
        '2026-03-23 Mon 12:00',
        '2026-03-23 Mon 12:20',
        '2026-03-23 Mon 12:40',
        '2026-03-23 Mon 13:00',
        '2026-03-23 Mon 17:10',
        '2026-03-23 Mon 17:30',
        ...['24 Tue', '25 Wed', '26 Thu', '27 Fri'].flatMap((d) => [`2026-03-${d} 17:10`, `2026-03-${d} 17:30`]),
      ]);
      // Summer (UTC+2): 10:00–11:00 Madrid is 16:00–17:00 in Shanghai; 05:00–06:30 is 11:00–12:30.
      expect(slots.filter((s) => s > '2026-03-28')).toEqual([
        '2026-03-30 Mon 12:00',
        '2026-03-30 Mon 16:30',
        '2026-03-31 Tue 16:30',
        '2026-04-01 Wed 16:30',
        '2026-04-02 Thu 16:30',
        '2026-04-03 Fri 16:30',
      ]);
    });

    it('follows Madrid’s clock when it falls back on 25 October', () => {
      const slots = run(new Date('2026-10-18T00:00:00Z'));
      expect(slots.filter((s) => s < '2026-10-24')).toEqual([
        '2026-10-19 Mon 12:00',
        '2026-10-19 Mon 16:30',
        ...['20 Tue', '21 Wed', '22 Thu', '23 Fri'].map((d) => `2026-10-${d} 16:30`),
      ]);
      expect(slots.filter((s) => s > '2026-10-24')).toEqual([
        '2026-10-26 Mon 12:00',
        '2026-10-26 Mon 12:20',
        '2026-10-26 Mon 12:40',
        '2026-10-26 Mon 13:00',
        '2026-10-26 Mon 17:10',
        '2026-10-26 Mon 17:30',
        ...['27 Tue', '28 Wed', '29 Thu', '30 Fri'].flatMap((d) => [`2026-10-${d} 17:10`, `2026-10-${d} 17:30`]),
      ]);
    });

    it('reads windows on the night of each change in Madrid’s own calendar', () => {
      const night = [{ contactId: 'cnt_mum', weekday: 7 as Weekday, startTime: '01:00', endTime: '04:00' }];
      const spring = availabilityIntervals(
        madrid,
        night,
        new Date('2026-03-29T00:00:00Z'),
        new Date('2026-03-30T00:00:00Z'),
      );
      const autumn = availabilityIntervals(
        madrid,
        night,
        new Date('2026-10-25T00:00:00Z'),
        new Date('2026-10-26T00:00:00Z'),
      );
      // Three wall-clock hours are two real hours in spring and four in autumn.
      expect(spring.map((r) => (r.end.getTime() - r.start.getTime()) / 3_600_000)).toEqual([2]);
      expect(autumn.map((r) => (r.end.getTime() - r.start.getTime()) / 3_600_000)).toEqual([4]);
    });
  });

  it('runs a window whose end is not after its start past midnight', () => {
    const nightShift = [{ contactId: 'cnt_mum', weekday: 3 as Weekday, startTime: '22:00', endTime: '01:30' }];
    const intervals = availabilityIntervals(
      mum,
      nightShift,
      shanghai('2026-03-04T00:00'),
      shanghai('2026-03-06T00:00'),
    );
    expect(intervals.map((r) => [local(r.start), local(r.end)])).toEqual([
      ['2026-03-04 Wed 22:00', '2026-03-05 Thu 01:30'],
    ]);
  });

  it('property: free slots are disjoint, open, inside the window, within notice and horizon, and nobody is busy', () => {
    const kioskIds = ['kio_1', 'kio_2', 'kio_3', 'kio_4'];
    const scenario = instantArb.chain((now) =>
      fc.record({
        now: fc.constant(now),
        calendar: homeArb(now),
        zone: zoneArb,
        windows: windowsArb('cnt_mum'),
        otherWindows: windowsArb('cnt_dad'),
        approved: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
        bookings: bookingsArb(now, {
          kioskIds,
          childIds: ['chd_mei', 'chd_lei', 'chd_other'],
          contactIds: ['cnt_mum', 'cnt_dad', 'cnt_other'],
        }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ now, calendar, zone, windows, otherWindows, approved, bookings }) => {
        const contact: SchedulingContact = { id: 'cnt_mum', timeZone: zone, approved };
        const slots = freeSlotsFor({
          calendar,
          household,
          contact,
          windows: [...windows, ...otherWindows],
          bookings,
          now,
        });
        if (!approved) expect(slots).toEqual([]);
        const { settings } = calendar;
        const earliest = now.getTime() + settings.minNoticeMinutes * 60_000;
        const latest = DateTime.fromJSDate(now, { zone: settings.timeZone })
          .plus({ days: settings.bookingHorizonDays })
          .toMillis();
        const open = oracleOpenSpans(calendar, now.getTime(), latest);
        const available = oracleAvailableSpans(zone, windows, now.getTime(), latest);
        const active = bookings.filter((b) => ['proposed', 'confirmed', 'in-progress', 'completed'].includes(b.status));
        let previousEnd = Number.NEGATIVE_INFINITY;
        for (const slot of slots) {
          const start = slot.start.getTime();
          const end = slot.end.getTime();
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = end;
          expect(start).toBeGreaterThanOrEqual(earliest);
          expect(start).toBeLessThanOrEqual(latest);
          expect(isEveryMinuteIn(open, start, end)).toBe(true);
          expect(isEveryMinuteIn(available, start, end)).toBe(true);
          const overlapping = active.filter((b) => b.start.getTime() < end && start < b.end.getTime());
          expect(overlapping.some((b) => b.childIds.includes('chd_mei') || b.childIds.includes('chd_lei'))).toBe(false);
          expect(overlapping.some((b) => b.contactIds.includes('cnt_mum'))).toBe(false);
          expect(slot.kioskIds.length).toBeGreaterThan(0);
          for (const kioskId of slot.kioskIds) {
            expect(calendar.kiosks.find((k) => k.id === kioskId)?.enabled).toBe(true);
            expect(overlapping.some((b) => b.kioskId === kioskId)).toBe(false);
          }
          const week = DateTime.fromJSDate(slot.start, { zone: settings.timeZone }).startOf('week').toMillis();
          for (const child of household.childIds) {
            const used = active.filter(
              (b) =>
                b.childIds.includes(child) &&
                DateTime.fromJSDate(b.start, { zone: settings.timeZone }).startOf('week').toMillis() === week,
            ).length;
            expect(used).toBeLessThan(settings.weeklyQuotaPerChild);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { bookingWindow, generateSlots, listBookableSlots } from './slot-engine.ts';
import { bookingsArb, homeArb, instantArb } from './test-arbitraries.ts';
import { booking, shanghai, shanghaiHome, shanghaiSettings } from './test-fixtures.ts';
import { isEveryMinuteIn, oracleOpenSpans } from './test-oracle.ts';

const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'Asia/Shanghai' }).toFormat('ccc HH:mm');

describe('generateSlots', () => {
  it('cuts each opening interval into calls separated by the buffer', () => {
    const slots = generateSlots(shanghaiHome(), shanghai('2026-03-02T00:00'), shanghai('2026-03-03T00:00'));
    expect(slots.map((s) => `${local(s.start)}-${local(s.end).slice(4)}`)).toEqual([
      'Mon 12:00-12:15',
      'Mon 12:20-12:35',
      'Mon 12:40-12:55',
      'Mon 13:00-13:15',
      'Mon 16:30-16:45',
      'Mon 16:50-17:05',
      'Mon 17:10-17:25',
      'Mon 17:30-17:45',
    ]);
  });

  it('keeps the grid anchored at the opening start when the range starts mid-interval', () => {
    const slots = generateSlots(shanghaiHome(), shanghai('2026-03-02T12:10'), shanghai('2026-03-02T13:00'));
    expect(slots.map((s) => local(s.start))).toEqual(['Mon 12:20', 'Mon 12:40']);
  });

  it('gives 40 slots in a school week', () => {
    expect(generateSlots(shanghaiHome(), shanghai('2026-03-02T00:00'), shanghai('2026-03-09T00:00'))).toHaveLength(40);
  });
});

describe('bookingWindow', () => {
  it('runs from now plus the notice to now plus the horizon in calendar days', () => {
    const window = bookingWindow(shanghaiSettings, shanghai('2026-03-02T08:00'));
    expect(window.earliest).toEqual(shanghai('2026-03-02T09:00'));
    expect(window.latest).toEqual(shanghai('2026-03-16T08:00'));
  });
});

describe('listBookableSlots', () => {
  const now = shanghai('2026-03-02T11:30');

  it('respects the minimum notice and the horizon', () => {
    const slots = listBookableSlots({ calendar: shanghaiHome(), bookings: [], now: shanghai('2026-03-02T12:30') });
    expect(slots[0]!.start).toEqual(shanghai('2026-03-02T16:30'));
    expect(slots.at(-1)!.start).toEqual(shanghai('2026-03-16T12:20'));
    expect(slots).toHaveLength(80 - 4 + 2);
    expect(slots.every((s) => s.kioskIds.join() === 'kio_a,kio_b')).toBe(true);
  });

  it('frees only the kiosks no active booking holds, and drops full slots', () => {
    const start = shanghai('2026-03-03T12:00');
    const end = shanghai('2026-03-03T12:15');
    const bookings = [
      booking({ kioskId: 'kio_a', start, end }),
      booking({ kioskId: 'kio_b', start, end, status: 'cancelled' }),
      booking({ kioskId: 'kio_a', start: shanghai('2026-03-03T12:30'), end: shanghai('2026-03-03T12:45') }),
      booking({ kioskId: 'kio_b', start: shanghai('2026-03-03T12:30'), end: shanghai('2026-03-03T12:45') }),
    ];
    const slots = listBookableSlots({
      calendar: shanghaiHome(),
      bookings,
      now,
      from: shanghai('2026-03-03T00:00'),
      to: shanghai('2026-03-03T13:00'),
    });
    expect(slots.map((s) => `${local(s.start)} ${s.kioskIds.join()}`)).toEqual(['Tue 12:00 kio_b']);
  });

  it('offers nothing when every kiosk is disabled', () => {
    const calendar = shanghaiHome({ kiosks: [{ id: 'kio_a', enabled: false }] });
    expect(listBookableSlots({ calendar, bookings: [], now })).toEqual([]);
  });

  it('property: slots are disjoint, inside opening hours, within notice and horizon, on free enabled kiosks', () => {
    const scenario = instantArb.chain((now) =>
      fc.record({
        now: fc.constant(now),
        calendar: homeArb(now),
        bookings: bookingsArb(now, { kioskIds: ['kio_1', 'kio_2', 'kio_3', 'kio_4'], childIds: [], contactIds: [] }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ now, calendar, bookings }) => {
        const slots = listBookableSlots({ calendar, bookings, now });
        const { settings } = calendar;
        const earliest = now.getTime() + settings.minNoticeMinutes * 60_000;
        const latest = DateTime.fromJSDate(now, { zone: settings.timeZone })
          .plus({ days: settings.bookingHorizonDays })
          .toMillis();
        const open = oracleOpenSpans(calendar, now.getTime(), latest);
        const enabled = new Set(calendar.kiosks.filter((k) => k.enabled).map((k) => k.id));
        let previousEnd = Number.NEGATIVE_INFINITY;
        for (const slot of slots) {
          const start = slot.start.getTime();
          const end = slot.end.getTime();
          expect(end - start).toBe(settings.slotMinutes * 60_000);
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = end;
          expect(start).toBeGreaterThanOrEqual(earliest);
          expect(start).toBeLessThanOrEqual(latest);
          expect(isEveryMinuteIn(open, start, end)).toBe(true);
          expect(slot.kioskIds.length).toBeGreaterThan(0);
          for (const kioskId of slot.kioskIds) {
            expect(enabled.has(kioskId)).toBe(true);
            const clash = bookings.some(
              (b) =>
                b.kioskId === kioskId &&
                ['proposed', 'confirmed', 'in-progress', 'completed'].includes(b.status) &&
                b.start.getTime() < end &&
                start < b.end.getTime(),
            );
            expect(clash).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

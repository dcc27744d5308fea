import { describe, expect, it } from 'vitest';
import { checkBooking } from './check-booking.ts';
import { booking, shanghai, shanghaiHome } from './test-fixtures.ts';
import type { SchedulingContact, SchedulingHousehold } from './types.ts';

const household: SchedulingHousehold = { id: 'hsh_li', childIds: ['chd_mei', 'chd_lei'], contactIds: ['cnt_mum'] };
const mum: SchedulingContact = { id: 'cnt_mum', timeZone: 'Europe/Madrid', approved: true };
const now = shanghai('2026-03-02T08:00');
const tuesdayNoon = { kioskId: 'kio_a', start: shanghai('2026-03-03T12:00'), end: shanghai('2026-03-03T12:15') };
const base = { calendar: shanghaiHome(), household, contact: mum, bookings: [], now, request: tuesdayNoon };

describe('checkBooking', () => {
  it('accepts a free slot of the grid', () => {
    expect(checkBooking(base)).toEqual({ ok: true });
  });

  it('refuses an unapproved contact or one of another household', () => {
    expect(checkBooking({ ...base, contact: { ...mum, approved: false } })).toEqual({
      ok: false,
      reason: 'contact-not-approved',
    });
    expect(checkBooking({ ...base, contact: { ...mum, id: 'cnt_other' } })).toEqual({
      ok: false,
      reason: 'contact-not-approved',
    });
  });

  it('refuses a start inside the minimum notice and beyond the horizon', () => {
    const soon = { kioskId: 'kio_a', start: shanghai('2026-03-02T12:00'), end: shanghai('2026-03-02T12:15') };
    expect(checkBooking({ ...base, now: shanghai('2026-03-02T11:30'), request: soon })).toEqual({
      ok: false,
      reason: 'too-soon',
    });
    expect(checkBooking({ ...base, now: shanghai('2026-03-02T11:00'), request: soon })).toEqual({ ok: true });
    const far = { kioskId: 'kio_a', start: shanghai('2026-03-17T12:00'), end: shanghai('2026-03-17T12:15') };
    expect(checkBooking({ ...base, request: far })).toEqual({ ok: false, reason: 'beyond-horizon' });
  });

  it('refuses spans that are not exactly one slot of the opening hours', () => {
    const cases = [
      { start: shanghai('2026-03-03T12:05'), end: shanghai('2026-03-03T12:20') },
      { start: shanghai('2026-03-03T12:00'), end: shanghai('2026-03-03T12:30') },
      { start: shanghai('2026-03-03T19:00'), end: shanghai('2026-03-03T19:15') },
      { start: shanghai('2026-03-07T12:00'), end: shanghai('2026-03-07T12:15') },
    ];
    for (const span of cases) {
      expect(checkBooking({ ...base, request: { kioskId: 'kio_a', ...span } })).toEqual({
        ok: false,
        reason: 'outside-hours',
      });
    }
    const closed = shanghaiHome({ openingExceptions: [{ date: '2026-03-03', closed: true }] });
    expect(checkBooking({ ...base, calendar: closed })).toEqual({ ok: false, reason: 'outside-hours' });
  });

  it('refuses a kiosk that is taken, disabled or unknown', () => {
    const taken = booking({ childIds: ['chd_other'], ...tuesdayNoon });
    expect(checkBooking({ ...base, bookings: [taken] })).toEqual({ ok: false, reason: 'slot-taken' });
    expect(checkBooking({ ...base, bookings: [{ ...taken, status: 'cancelled' }] })).toEqual({ ok: true });
    expect(checkBooking({ ...base, request: { ...tuesdayNoon, kioskId: 'kio_broken' } })).toEqual({
      ok: false,
      reason: 'slot-taken',
    });
    expect(checkBooking({ ...base, request: { ...tuesdayNoon, kioskId: 'kio_zz' } })).toEqual({
      ok: false,
      reason: 'slot-taken',
    });
  });

  it('refuses when a child or the contact is in another call at that time', () => {
    const elsewhere = { kioskId: 'kio_b', start: tuesdayNoon.start, end: tuesdayNoon.end };
    expect(checkBooking({ ...base, bookings: [booking({ ...elsewhere, childIds: ['chd_lei'] })] })).toEqual({
      ok: false,
      reason: 'child-busy',
    });
    expect(checkBooking({ ...base, bookings: [booking({ ...elsewhere, contactIds: ['cnt_mum'] })] })).toEqual({
      ok: false,
      reason: 'contact-busy',
    });
    // Only the children who join count: Mei alone is free.
    expect(
      checkBooking({
        ...base,
        request: { ...tuesdayNoon, childIds: ['chd_mei'] },
        bookings: [booking({ ...elsewhere, childIds: ['chd_lei'] })],
      }),
    ).toEqual({ ok: true });
  });

  it('refuses a child over the weekly quota, and lets a booking move within its own week', () => {
    const monday = booking({
      kioskId: 'kio_b',
      childIds: ['chd_mei'],
      contactIds: ['cnt_mum'],
      start: shanghai('2026-03-02T16:30'),
      end: shanghai('2026-03-02T16:45'),
      status: 'completed',
    });
    expect(checkBooking({ ...base, bookings: [monday] })).toEqual({ ok: false, reason: 'quota-reached' });
    expect(checkBooking({ ...base, bookings: [monday], replacingBookingId: monday.id })).toEqual({ ok: true });
    expect(checkBooking({ ...base, bookings: [{ ...monday, status: 'missed' }] })).toEqual({ ok: true });
    const nextWeek = { kioskId: 'kio_a', start: shanghai('2026-03-09T12:00'), end: shanghai('2026-03-09T12:15') };
    expect(checkBooking({ ...base, bookings: [monday], request: nextWeek })).toEqual({ ok: true });
    const usage = new Map([['chd_lei', new Map([['2026-03-09', 1]])]]);
    expect(checkBooking({ ...base, request: nextWeek, quotaUsage: usage })).toEqual({
      ok: false,
      reason: 'quota-reached',
    });
  });

  it('rejects children of another household as a programming error', () => {
    expect(() => checkBooking({ ...base, request: { ...tuesdayNoon, childIds: ['chd_x'] } })).toThrow(RangeError);
  });
});

import type { Weekday } from '@affection/core';
import type { BookingRecord } from '@affection/db';
import { describe, expect, it } from 'vitest';
import { bookingsOutsideHours, type OpeningHours } from './bookings-outside-hours.ts';

const settings = {
  timeZone: 'Asia/Shanghai',
  slotMinutes: 15,
  bufferMinutes: 5,
  weeklyQuotaPerChild: 1,
  bookingHorizonDays: 14,
  minNoticeMinutes: 60,
};

/** Monday to Friday 12:00–13:30 and 16:30–18:00. */
const school: OpeningHours = {
  settings,
  openingRules: ([1, 2, 3, 4, 5] as Weekday[]).flatMap((weekday) => [
    { weekday, startTime: '12:00', endTime: '13:30' },
    { weekday, startTime: '16:30', endTime: '18:00' },
  ]),
  openingExceptions: [],
};

const at = (local: string) => new Date(`${local}+08:00`);

function booking(id: string, startLocal: string, minutes = 15, status: BookingRecord['status'] = 'confirmed') {
  const start = at(startLocal);
  return {
    id,
    homeId: 'hom_a',
    kioskId: 'kio_a',
    householdId: 'hsh_a',
    contactId: 'cnt_a',
    secondContactId: null,
    childIds: ['chd_a'],
    start,
    end: new Date(start.getTime() + minutes * 60_000),
    status,
    source: 'teacher',
    seriesId: null,
    version: 1,
    cancelReason: null,
    createdBy: null,
    createdAt: start,
    updatedAt: start,
  } satisfies BookingRecord;
}

// Monday 2026-12-07 to Friday 2026-12-11.
const now = at('2026-12-07T08:00:00');

describe('bookingsOutsideHours', () => {
  it('finds the calls a closed day leaves outside, and none on other days', () => {
    const monday = booking('bkg_mon', '2026-12-07T12:00:00');
    const tuesday = booking('bkg_tue', '2026-12-08T16:30:00');
    const tuesdayNoon = booking('bkg_tue_noon', '2026-12-08T13:15:00');
    const closedTuesday = { ...school, openingExceptions: [{ date: '2026-12-08', closed: true }] };
    const found = bookingsOutsideHours([monday, tuesday, tuesdayNoon], school, closedTuesday, now);
    expect(found.map((f) => f.booking.id)).toEqual(['bkg_tue_noon', 'bkg_tue']);
    expect(found.every((f) => !f.underWay)).toBe(true);
  });

  it('counts a call that no longer fits wholly (a shorter range), not one already outside before', () => {
    const late = booking('bkg_late', '2026-12-09T17:45:00');
    const early = booking('bkg_early', '2026-12-09T16:30:00');
    const alreadyOutside = booking('bkg_outside', '2026-12-09T19:00:00');
    const shorter: OpeningHours = {
      ...school,
      openingRules: school.openingRules.map((r) => (r.startTime === '16:30' ? { ...r, endTime: '17:50' } : r)),
    };
    const found = bookingsOutsideHours([late, early, alreadyOutside], school, shorter, now);
    expect(found.map((f) => f.booking.id)).toEqual(['bkg_late']);
  });

  it('special hours replace the weekly rules on their date', () => {
    const noon = booking('bkg_noon', '2026-12-10T12:15:00');
    const morning = booking('bkg_morning', '2026-12-10T16:45:00');
    const happy: OpeningHours = {
      ...school,
      openingExceptions: [{ date: '2026-12-10', closed: false, startTime: '09:00', endTime: '12:30' }],
    };
    expect(bookingsOutsideHours([noon, morning], school, happy, now).map((f) => f.booking.id)).toEqual(['bkg_morning']);
  });

  it('leaves out calls that have ended and marks calls under way', () => {
    const ended = booking('bkg_ended', '2026-12-07T12:00:00');
    const running = booking('bkg_running', '2026-12-07T12:15:00', 15, 'in-progress');
    const started = booking('bkg_started', '2026-12-07T12:20:00', 15, 'confirmed');
    const closed = { ...school, openingExceptions: [{ date: '2026-12-07', closed: true }] };
    const found = bookingsOutsideHours([ended, running, started], school, closed, at('2026-12-07T12:25:00'));
    expect(found.map((f) => [f.booking.id, f.underWay])).toEqual([
      ['bkg_running', true],
      ['bkg_started', true],
    ]);
    expect(bookingsOutsideHours([], school, closed, now)).toEqual([]);
  });
});

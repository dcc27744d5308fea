import { describe, expect, it } from 'vitest';
import type { BookingStatus } from '../scheduling/types.ts';
import {
  BOOKING_TRANSITIONS,
  bookingStatusesBefore,
  CHANGEABLE_BOOKING_STATUSES,
  COUNTED_BOOKING_STATUSES,
  HOLDING_BOOKING_STATUSES,
  isChangeableBookingStatus,
  isCountedBooking,
} from './booking-statuses.ts';

const ALL = Object.keys(BOOKING_TRANSITIONS) as BookingStatus[];

describe('booking statuses', () => {
  it('nests the sets: changeable within holding within counted, and no two sets alike', () => {
    for (const status of CHANGEABLE_BOOKING_STATUSES) expect(HOLDING_BOOKING_STATUSES).toContain(status);
    for (const status of HOLDING_BOOKING_STATUSES) expect(COUNTED_BOOKING_STATUSES).toContain(status);
    expect(
      COUNTED_BOOKING_STATUSES.filter((s) => !(HOLDING_BOOKING_STATUSES as readonly string[]).includes(s)),
    ).toEqual(['completed']);
    expect(ALL.filter((s) => isCountedBooking({ status: s }))).toEqual([...COUNTED_BOOKING_STATUSES]);
    expect(ALL.filter(isChangeableBookingStatus)).toEqual(['proposed', 'confirmed']);
  });

  it('reads the transition table backwards, and final statuses go nowhere', () => {
    expect(bookingStatusesBefore('confirmed')).toEqual(['proposed']);
    expect(bookingStatusesBefore('cancelled')).toEqual(['proposed', 'confirmed']);
    expect(bookingStatusesBefore('completed')).toEqual(['confirmed', 'in-progress']);
    expect(bookingStatusesBefore('proposed')).toEqual([]);
    for (const final of ['completed', 'missed', 'cancelled', 'declined'] as const) {
      expect(BOOKING_TRANSITIONS[final]).toEqual([]);
    }
    // Only what may still change can be cancelled.
    expect(bookingStatusesBefore('cancelled')).toEqual([...CHANGEABLE_BOOKING_STATUSES]);
  });
});

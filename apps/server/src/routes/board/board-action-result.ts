import type { BookingRecord } from '@affection/db';

/** What a board action answers: the booking's new version, status and end. */
export function boardActionResultOf(booking: BookingRecord) {
  return { bookingId: booking.id, version: booking.version, status: booking.status, end: booking.end.toISOString() };
}

import type { BookingStatus, SchedulingBooking } from '../scheduling/types.ts';

/**
 * Statuses that hold a kiosk, children and contacts: the database's exclusion constraints keep two such bookings
 * from overlapping, and a lifecycle step runs only while its booking is in one of them. The others free the slot.
 */
export const HOLDING_BOOKING_STATUSES = ['proposed', 'confirmed', 'in-progress'] as const satisfies BookingStatus[];

/**
 * Statuses scheduling counts: the holding ones plus `completed`. A call that took place still took its kiosk and
 * counts towards its children's weekly quota; a missed, cancelled or declined one does not.
 */
export const COUNTED_BOOKING_STATUSES = [
  'proposed',
  'confirmed',
  'in-progress',
  'completed',
] as const satisfies BookingStatus[];

/** Statuses a booking may still be moved or cancelled from (it has not started). */
export const CHANGEABLE_BOOKING_STATUSES = ['proposed', 'confirmed'] as const satisfies BookingStatus[];

/**
 * The status changes staff, parents and the weekly scheduler may make; anything else is refused as `not-active`.
 * The end of a call (`completed` or `missed`, decided after the room closed) is the one exception: it ends any
 * holding booking, a proposal called from the kiosk too.
 */
export const BOOKING_TRANSITIONS: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  proposed: ['confirmed', 'declined', 'cancelled'],
  confirmed: ['in-progress', 'completed', 'missed', 'cancelled'],
  'in-progress': ['completed', 'missed'],
  completed: [],
  missed: [],
  cancelled: [],
  declined: [],
};

/** Whether a booking counts for scheduling (kiosk taken, weekly quota); see {@link COUNTED_BOOKING_STATUSES}. */
export function isCountedBooking(booking: Pick<SchedulingBooking, 'status'>): boolean {
  return (COUNTED_BOOKING_STATUSES as readonly BookingStatus[]).includes(booking.status);
}

/** Whether a booking in `status` may still be moved or cancelled; see {@link CHANGEABLE_BOOKING_STATUSES}. */
export function isChangeableBookingStatus(status: BookingStatus): boolean {
  return (CHANGEABLE_BOOKING_STATUSES as readonly BookingStatus[]).includes(status);
}

/**
 * The statuses a booking may move to `next` from, along {@link BOOKING_TRANSITIONS}.
 *
 * @example bookingStatusesBefore('confirmed') // ['proposed']
 */
export function bookingStatusesBefore(next: BookingStatus): BookingStatus[] {
  return (Object.keys(BOOKING_TRANSITIONS) as BookingStatus[]).filter((from) =>
    BOOKING_TRANSITIONS[from].includes(next),
  );
}

import type { BookingStatus, SchedulingBooking } from './types.ts';

/** Statuses that hold a kiosk, children and a contact, and count towards the weekly quota. */
export const ACTIVE_BOOKING_STATUSES: readonly BookingStatus[] = ['proposed', 'confirmed', 'completed'];

/** Whether a booking still holds its kiosk, children and contact (`proposed`, `confirmed` or `completed`). */
export function isActiveBooking(booking: Pick<SchedulingBooking, 'status'>): boolean {
  return ACTIVE_BOOKING_STATUSES.includes(booking.status);
}

import type { BookingStatus, SchedulingBooking } from './types.ts';

/**
 * Statuses that hold a kiosk, children and a contact, and count towards the weekly quota. Unlike the database's
 * exclusion set it includes `completed`: a call that took place still counts for the week's quota.
 */
export const ACTIVE_BOOKING_STATUSES: readonly BookingStatus[] = ['proposed', 'confirmed', 'in-progress', 'completed'];

/** Whether a booking holds its kiosk, children and contact and counts for quota; see {@link ACTIVE_BOOKING_STATUSES}. */
export function isActiveBooking(booking: Pick<SchedulingBooking, 'status'>): boolean {
  return ACTIVE_BOOKING_STATUSES.includes(booking.status);
}

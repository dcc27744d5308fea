import type { BookingRecord } from '@affection/db';
import type { Context } from 'hono';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';

/**
 * What every booking route does after a change: records it as `booking.<verb>`, with ids only in the details
 * (kiosk, household, contacts, children, series) and the new version — never a name, a number or the cancel
 * reason's text — then hands the booking to `services.onBookingChanged`, which plans its lifecycle.
 */
export async function bookingChanged(c: Context<AppEnv>, verb: string, booking: BookingRecord): Promise<void> {
  await audit(c, `booking.${verb}`, 'booking', booking.id, {
    kioskId: booking.kioskId,
    householdId: booking.householdId,
    contactIds: [booking.contactId, ...(booking.secondContactId ? [booking.secondContactId] : [])],
    childIds: booking.childIds,
    seriesId: booking.seriesId,
    version: booking.version,
  });
  await c.get('services').onBookingChanged?.(booking.id);
}

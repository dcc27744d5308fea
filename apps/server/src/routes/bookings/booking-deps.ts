import { type BookingDeps, createBookingEvents } from '@affection/bookings';
import type { AppServices } from '../../services.ts';

/**
 * The booking layer's deps for a request, route or webhook alike: the database, the clock, and booking events that
 * audit each change and plan its lifecycle through `services.onBookingChanged`.
 *
 * @example const outcome = await bookSlot(bookingDepsOf(c.get('services')), bookingActorOf(staff), input);
 */
export function bookingDepsOf(services: AppServices): BookingDeps {
  const { database, now } = services;
  return {
    db: database.db,
    now,
    slots: services.slotReadModel,
    events: createBookingEvents({
      db: database.db,
      now,
      planLifecycle: services.onBookingChanged,
      announce: async (homeId, bookingId) => {
        await services.homeChanges?.publish(homeId, { kind: 'booking', bookingId });
      },
    }),
  };
}

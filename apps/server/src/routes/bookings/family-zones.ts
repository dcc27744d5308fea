import { AppError } from '@affection/core';
import { type Db, getContact, getHome } from '@affection/db';

/** The Home's zone and the signed-in contact's, to show a family its bookings in both. */
export async function familyZones(
  db: Db,
  homeId: string,
  contactId: string,
): Promise<{ home: string; contact: string }> {
  const [home, contact] = await Promise.all([getHome(db, homeId), getContact(db, homeId, contactId)]);
  if (!home) throw new AppError('not-found', 'Your Home no longer exists.');
  return { home: home.timeZone, contact: contact?.timeZone ?? home.timeZone };
}

import { AppError } from '@affection/core';
import { type Db, getHome } from '@affection/db';

/** The Home's zone, in which bookings are also shown; a 404 when the Home is gone. */
export async function loadHomeZone(db: Db, homeId: string): Promise<string> {
  const home = await getHome(db, homeId);
  if (!home) throw new AppError('not-found', 'Your Home no longer exists.');
  return home.timeZone;
}

import type { Kiosk } from '@affection/core';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { kiosks } from '../schema/index.ts';
import { getKiosk } from './kiosk-repository.ts';

/** What an admin may change on a kiosk without touching its enrolment. */
export interface KioskSettingsPatch {
  name?: string;
  /** Whether the kiosk takes bookings. */
  enabled?: boolean;
}

/** Renames a kiosk and/or turns it on or off; returns it, or null when not in this Home. */
export async function updateKioskSettings(
  db: Db,
  homeId: string,
  kioskId: string,
  patch: KioskSettingsPatch,
): Promise<Kiosk | null> {
  if (Object.keys(patch).length > 0) {
    await db
      .update(kiosks)
      .set(patch)
      .where(and(eq(kiosks.id, kioskId), eq(kiosks.homeId, homeId)));
  }
  return getKiosk(db, homeId, kioskId);
}

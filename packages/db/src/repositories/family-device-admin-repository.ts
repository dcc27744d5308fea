import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { contacts, familyDevices } from '../schema/index.ts';

/** A parent's signed-in phone as staff see it: how it signed in and when it was last used; never its token. */
export interface FamilyDeviceSummary {
  id: string;
  contactId: string;
  via: 'enrolment' | 'code';
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

const columns = {
  id: familyDevices.id,
  contactId: familyDevices.contactId,
  via: familyDevices.via,
  createdAt: familyDevices.createdAt,
  lastSeenAt: familyDevices.lastSeenAt,
  expiresAt: familyDevices.expiresAt,
  revokedAt: familyDevices.revokedAt,
};

/** A contact's phones, newest first (revoked and expired ones too). */
export async function listFamilyDevicesOfContact(db: Db, contactId: string): Promise<FamilyDeviceSummary[]> {
  return db
    .select(columns)
    .from(familyDevices)
    .where(eq(familyDevices.contactId, contactId))
    .orderBy(desc(familyDevices.createdAt), desc(familyDevices.id));
}

/** One phone of a contact of the Home, or null (also for another Home's). */
export async function getFamilyDeviceOfHome(
  db: Db,
  homeId: string,
  deviceId: string,
): Promise<FamilyDeviceSummary | null> {
  const [row] = await db
    .select(columns)
    .from(familyDevices)
    .innerJoin(contacts, eq(contacts.id, familyDevices.contactId))
    .where(and(eq(familyDevices.id, deviceId), eq(contacts.homeId, homeId)));
  return row ?? null;
}

/**
 * Signs a phone out for good: its token stops working at once. Revoking twice keeps the first time.
 * Null when no such phone belongs to a contact of the Home.
 */
export async function revokeFamilyDevice(
  db: Db,
  homeId: string,
  deviceId: string,
  now: Date,
): Promise<FamilyDeviceSummary | null> {
  const current = await getFamilyDeviceOfHome(db, homeId, deviceId);
  if (!current || current.revokedAt) return current;
  const [row] = await db
    .update(familyDevices)
    .set({ revokedAt: now })
    .where(and(eq(familyDevices.id, deviceId), isNull(familyDevices.revokedAt)))
    .returning(columns);
  return row ?? (await getFamilyDeviceOfHome(db, homeId, deviceId));
}

/** Records that a phone was used (shown to staff as "last seen"). */
export async function touchFamilyDevice(db: Db, deviceId: string, now: Date): Promise<void> {
  await db.update(familyDevices).set({ lastSeenAt: now }).where(eq(familyDevices.id, deviceId));
}

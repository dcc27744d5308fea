import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { contacts, familyDevices } from '../schema/index.ts';

/** A signed-in parent's phone, with whom it speaks for. */
export interface FamilyDeviceRecord {
  deviceId: string;
  contactId: string;
  householdId: string;
  homeId: string;
  expiresAt: Date;
}

/**
 * The unrevoked device with this token hash whose contact is still approved, or null.
 * Expiry is the caller's rule.
 */
export async function findFamilyDevice(db: Db, tokenHash: string): Promise<FamilyDeviceRecord | null> {
  const [row] = await db
    .select({
      deviceId: familyDevices.id,
      contactId: contacts.id,
      householdId: contacts.householdId,
      homeId: contacts.homeId,
      expiresAt: familyDevices.expiresAt,
    })
    .from(familyDevices)
    .innerJoin(contacts, eq(contacts.id, familyDevices.contactId))
    .where(
      and(
        eq(familyDevices.tokenHash, tokenHash),
        isNull(familyDevices.revokedAt),
        isNotNull(contacts.approvedAt),
        isNull(contacts.revokedAt),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Registers a parent's phone for a contact; the phone keeps the token, we keep its hash. */
export async function createFamilyDevice(
  db: Db,
  input: { id: string; contactId: string; tokenHash: string; via: 'enrolment' | 'code'; now: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(familyDevices).values({
    id: input.id,
    contactId: input.contactId,
    tokenHash: input.tokenHash,
    via: input.via,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: input.expiresAt,
  });
}

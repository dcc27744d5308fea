import type { Kiosk } from '@affection/core';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { kiosks } from '../schema/index.ts';

type KioskRow = typeof kiosks.$inferSelect;

function toKiosk(row: KioskRow): Kiosk {
  const status = row.revokedAt ? 'revoked' : row.enrolledAt ? 'enrolled' : 'awaiting-enrolment';
  return {
    id: row.id,
    homeId: row.homeId,
    name: row.name,
    enabled: row.enabled,
    status,
    enrolmentExpiresAt: row.enrolmentExpiresAt,
    enrolledAt: row.enrolledAt,
    revokedAt: row.revokedAt,
    lastSeenAt: row.lastSeenAt,
    appVersion: row.appVersion,
    audioState: row.audioState,
    audioCheckedAt: row.audioCheckedAt,
    createdAt: row.createdAt,
  };
}

/** Creates a kiosk awaiting enrolment with the hash of its one-time code. */
export async function createKiosk(
  db: Db,
  input: { homeId: string; name: string; enrolmentCodeHash: string; enrolmentExpiresAt: Date },
): Promise<Kiosk> {
  const [row] = await db
    .insert(kiosks)
    .values({ id: createId('kiosk'), ...input })
    .returning();
  return toKiosk(row!);
}

/** Gives an existing kiosk a new enrolment code (re-enrolling a replaced device). */
export async function renewKioskEnrolment(
  db: Db,
  homeId: string,
  kioskId: string,
  input: { enrolmentCodeHash: string; enrolmentExpiresAt: Date },
): Promise<Kiosk | null> {
  const [row] = await db
    .update(kiosks)
    .set({ ...input, deviceTokenHash: null, enrolledAt: null, revokedAt: null })
    .where(and(eq(kiosks.id, kioskId), eq(kiosks.homeId, homeId)))
    .returning();
  return row ? toKiosk(row) : null;
}

/** The Home's kiosks, oldest first. */
export async function listKiosks(db: Db, homeId: string): Promise<Kiosk[]> {
  const rows = await db.select().from(kiosks).where(eq(kiosks.homeId, homeId)).orderBy(asc(kiosks.createdAt));
  return rows.map(toKiosk);
}

/** One kiosk of a Home, or null (also for another Home's kiosk). */
export async function getKiosk(db: Db, homeId: string, kioskId: string): Promise<Kiosk | null> {
  const [row] = await db
    .select()
    .from(kiosks)
    .where(and(eq(kiosks.id, kioskId), eq(kiosks.homeId, homeId)));
  return row ? toKiosk(row) : null;
}

/**
 * Exchanges a valid, unexpired, unused enrolment code for a device token (stored as a hash).
 * Returns the kiosk, or null when the code is wrong, used or expired.
 */
export async function enrolKiosk(
  db: Db,
  input: { enrolmentCodeHash: string; deviceTokenHash: string; now: Date },
): Promise<Kiosk | null> {
  const [row] = await db
    .update(kiosks)
    .set({
      deviceTokenHash: input.deviceTokenHash,
      enrolledAt: input.now,
      enrolmentCodeHash: null,
      enrolmentExpiresAt: null,
    })
    .where(
      and(
        eq(kiosks.enrolmentCodeHash, input.enrolmentCodeHash),
        gt(kiosks.enrolmentExpiresAt, input.now),
        isNull(kiosks.revokedAt),
      ),
    )
    .returning();
  return row ? toKiosk(row) : null;
}

/** The enrolled, unrevoked kiosk holding this device token, or null. */
export async function findKioskByDeviceToken(db: Db, deviceTokenHash: string): Promise<Kiosk | null> {
  const [row] = await db
    .select()
    .from(kiosks)
    .where(and(eq(kiosks.deviceTokenHash, deviceTokenHash), isNull(kiosks.revokedAt)));
  return row ? toKiosk(row) : null;
}

/** Revokes a kiosk: its device token stops working at once. */
export async function revokeKiosk(db: Db, homeId: string, kioskId: string, now: Date): Promise<Kiosk | null> {
  const [row] = await db
    .update(kiosks)
    .set({ revokedAt: now, deviceTokenHash: null, enrolmentCodeHash: null, enrolmentExpiresAt: null })
    .where(and(eq(kiosks.id, kioskId), eq(kiosks.homeId, homeId)))
    .returning();
  return row ? toKiosk(row) : null;
}

/** Turns a kiosk on or off for booking (capacity). */
export async function setKioskEnabled(
  db: Db,
  homeId: string,
  kioskId: string,
  enabled: boolean,
): Promise<Kiosk | null> {
  const [row] = await db
    .update(kiosks)
    .set({ enabled })
    .where(and(eq(kiosks.id, kioskId), eq(kiosks.homeId, homeId)))
    .returning();
  return row ? toKiosk(row) : null;
}

import type { StaffRole } from '@affection/core';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { staff, staffSessions } from '../schema/index.ts';

/** A live session joined with its staff member. */
export interface StaffSessionRecord {
  sessionId: string;
  staffId: string;
  homeId: string;
  role: StaffRole;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** Stores a new session; the caller keeps the token, we keep its hash. */
export async function createStaffSession(
  db: Db,
  input: { staffId: string; tokenHash: string; csrfToken: string; now: Date; expiresAt: Date },
): Promise<string> {
  const id = createId('session');
  await db.insert(staffSessions).values({
    id,
    staffId: input.staffId,
    tokenHash: input.tokenHash,
    csrfToken: input.csrfToken,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: input.expiresAt,
  });
  return id;
}

/** The unrevoked session with this token hash whose staff member is active, or null. Expiry is the caller's rule. */
export async function findStaffSession(db: Db, tokenHash: string): Promise<StaffSessionRecord | null> {
  const [row] = await db
    .select({
      sessionId: staffSessions.id,
      staffId: staff.id,
      homeId: staff.homeId,
      role: staff.role,
      csrfToken: staffSessions.csrfToken,
      createdAt: staffSessions.createdAt,
      lastSeenAt: staffSessions.lastSeenAt,
      expiresAt: staffSessions.expiresAt,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(and(eq(staffSessions.tokenHash, tokenHash), isNull(staffSessions.revokedAt), eq(staff.active, true)))
    .limit(1);
  return row ?? null;
}

/** Marks the session as used now (for the inactivity timeout). */
export async function touchStaffSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.id, sessionId));
}

/** Ends one session. */
export async function revokeStaffSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.update(staffSessions).set({ revokedAt: now }).where(eq(staffSessions.id, sessionId));
}

/** Ends every session of a staff member (after a password change), except `keepSessionId`. */
export async function revokeAllStaffSessions(
  db: Db,
  staffId: string,
  now: Date,
  keepSessionId?: string,
): Promise<void> {
  const sessions = await db
    .select({ id: staffSessions.id })
    .from(staffSessions)
    .where(and(eq(staffSessions.staffId, staffId), isNull(staffSessions.revokedAt)));
  for (const s of sessions) {
    if (s.id !== keepSessionId) await revokeStaffSession(db, s.id, now);
  }
}

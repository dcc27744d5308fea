import type { StaffRole } from '@affection/core';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { homes, staff, staffSessions } from '../schema/index.ts';

/** A live session joined with its account: a Home's staff member, or a district admin. */
export type StaffSessionRecord = {
  sessionId: string;
  staffId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
} & (
  | { role: StaffRole; homeId: string }
  | {
      role: 'district-admin';
      districtId: string;
      /** The Home of their district the district admin acts in on this session, or null. */
      currentHomeId: string | null;
    }
);

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

/**
 * The unrevoked session with this token hash whose account is active, or null. Expiry is the caller's rule. A district
 * admin's current Home counts only while it is a Home of their district.
 */
export async function findStaffSession(db: Db, tokenHash: string): Promise<StaffSessionRecord | null> {
  const [row] = await db
    .select({
      sessionId: staffSessions.id,
      staffId: staff.id,
      homeId: staff.homeId,
      districtId: staff.districtId,
      role: staff.role,
      currentHomeId: homes.id,
      csrfToken: staffSessions.csrfToken,
      createdAt: staffSessions.createdAt,
      lastSeenAt: staffSessions.lastSeenAt,
      expiresAt: staffSessions.expiresAt,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .leftJoin(homes, and(eq(homes.id, staffSessions.currentHomeId), eq(homes.districtId, staff.districtId)))
    .where(and(eq(staffSessions.tokenHash, tokenHash), isNull(staffSessions.revokedAt), eq(staff.active, true)))
    .limit(1);
  if (!row) return null;
  const { homeId, districtId, role, currentHomeId, ...session } = row;
  if (role === 'district-admin' && districtId !== null) {
    return { ...session, role, districtId, currentHomeId };
  }
  if (role !== 'district-admin' && homeId !== null) return { ...session, role, homeId };
  return null;
}

/** Sets (or clears, with null) the Home a district admin's session acts in; the caller checks it is of their district. */
export async function setSessionCurrentHome(db: Db, sessionId: string, homeId: string | null): Promise<void> {
  await db.update(staffSessions).set({ currentHomeId: homeId }).where(eq(staffSessions.id, sessionId));
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

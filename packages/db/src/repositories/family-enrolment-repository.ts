import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { contacts, familyEnrolments } from '../schema/index.ts';

/** An enrolment link (the QR code on a contact card) as stored: never the token, only its hash. */
export interface FamilyEnrolmentRecord {
  id: string;
  contactId: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** An enrolment link found by its token, with the contact it speaks for. */
export interface FamilyEnrolmentMatch extends FamilyEnrolmentRecord {
  homeId: string;
  householdId: string;
  /** Whether the contact is approved and not revoked now. */
  isContactApproved: boolean;
}

const columns = {
  id: familyEnrolments.id,
  contactId: familyEnrolments.contactId,
  createdBy: familyEnrolments.createdBy,
  createdAt: familyEnrolments.createdAt,
  expiresAt: familyEnrolments.expiresAt,
  revokedAt: familyEnrolments.revokedAt,
};

/**
 * Stores a new enrolment link for a contact; the caller keeps the token and gives it out once.
 *
 * @example await createFamilyEnrolment(db, { contactId, tokenHash, createdBy: staffId, now, expiresAt })
 */
export async function createFamilyEnrolment(
  db: Db,
  input: { contactId: string; tokenHash: string; createdBy: string | null; now: Date; expiresAt: Date },
): Promise<FamilyEnrolmentRecord> {
  const [row] = await db
    .insert(familyEnrolments)
    .values({
      id: createId('familyEnrolment'),
      contactId: input.contactId,
      tokenHash: input.tokenHash,
      createdBy: input.createdBy,
      createdAt: input.now,
      expiresAt: input.expiresAt,
    })
    .returning(columns);
  return row!;
}

/** A contact's enrolment links, newest first (revoked and expired ones too). */
export async function listFamilyEnrolmentsOfContact(db: Db, contactId: string): Promise<FamilyEnrolmentRecord[]> {
  return db
    .select(columns)
    .from(familyEnrolments)
    .where(eq(familyEnrolments.contactId, contactId))
    .orderBy(desc(familyEnrolments.createdAt), desc(familyEnrolments.id));
}

/** One enrolment link of a contact of the Home, or null (also for another Home's). */
export async function getFamilyEnrolment(
  db: Db,
  homeId: string,
  enrolmentId: string,
): Promise<FamilyEnrolmentRecord | null> {
  const [row] = await db
    .select(columns)
    .from(familyEnrolments)
    .innerJoin(contacts, eq(contacts.id, familyEnrolments.contactId))
    .where(and(eq(familyEnrolments.id, enrolmentId), eq(contacts.homeId, homeId)));
  return row ?? null;
}

/**
 * Revokes an enrolment link of the Home (phones it already enrolled keep working until revoked
 * themselves). Revoking twice keeps the first time. Null when no such link is in the Home.
 */
export async function revokeFamilyEnrolment(
  db: Db,
  homeId: string,
  enrolmentId: string,
  now: Date,
): Promise<FamilyEnrolmentRecord | null> {
  const current = await getFamilyEnrolment(db, homeId, enrolmentId);
  if (!current || current.revokedAt) return current;
  const [row] = await db
    .update(familyEnrolments)
    .set({ revokedAt: now })
    .where(eq(familyEnrolments.id, enrolmentId))
    .returning(columns);
  return row ?? null;
}

/** The enrolment link with this token hash (whatever its state), with its contact's Home and approval; or null. */
export async function findFamilyEnrolmentByToken(db: Db, tokenHash: string): Promise<FamilyEnrolmentMatch | null> {
  const [row] = await db
    .select({
      ...columns,
      homeId: contacts.homeId,
      householdId: contacts.householdId,
      approvedAt: contacts.approvedAt,
      contactRevokedAt: contacts.revokedAt,
    })
    .from(familyEnrolments)
    .innerJoin(contacts, eq(contacts.id, familyEnrolments.contactId))
    .where(eq(familyEnrolments.tokenHash, tokenHash))
    .limit(1);
  if (!row) return null;
  const { approvedAt, contactRevokedAt, ...rest } = row;
  return { ...rest, isContactApproved: approvedAt !== null && contactRevokedAt === null };
}

import type { Contact } from '@affection/core';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { contacts } from '../schema/index.ts';

/** Fields staff may set on a contact. */
export interface ContactInput {
  householdId: string;
  name: string;
  relation: Contact['relation'];
  phone: string;
  city?: string | null;
  timeZone?: string;
  language?: Contact['language'];
  channel?: Contact['channel'];
  phoneFallback?: boolean;
  smsOptOut?: boolean;
}

/** Creates a contact, not yet approved. */
export async function createContact(db: Db, homeId: string, input: ContactInput): Promise<Contact> {
  const [row] = await db
    .insert(contacts)
    .values({ id: createId('contact'), homeId, ...input })
    .returning();
  return row!;
}

/** One contact of a Home, or null. */
export async function getContact(db: Db, homeId: string, contactId: string): Promise<Contact | null> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, contactId), eq(contacts.homeId, homeId)));
  return row ?? null;
}

/** A household's contacts. */
export async function listContactsOfHousehold(db: Db, homeId: string, householdId: string): Promise<Contact[]> {
  return db
    .select()
    .from(contacts)
    .where(and(eq(contacts.homeId, homeId), eq(contacts.householdId, householdId)))
    .orderBy(asc(contacts.createdAt), asc(contacts.id));
}

/** Every contact of a Home (for lists; mask the numbers before showing them). */
export async function listContactsOfHome(db: Db, homeId: string): Promise<Contact[]> {
  return db
    .select()
    .from(contacts)
    .where(eq(contacts.homeId, homeId))
    .orderBy(asc(contacts.householdId), asc(contacts.id));
}

/** Contacts with this E.164 number, in any Home (sign-in by phone, the voice menu). */
export async function findContactsByPhone(db: Db, phone: string): Promise<Contact[]> {
  return db.select().from(contacts).where(eq(contacts.phone, phone));
}

/** Updates the given fields (approval fields included); null if not in this Home. */
export async function updateContact(
  db: Db,
  homeId: string,
  contactId: string,
  patch: Partial<ContactInput> &
    Partial<Pick<Contact, 'approvedBy' | 'approvedAt' | 'revokedAt' | 'consentRecordedBy' | 'consentRecordedAt'>>,
  now: Date,
): Promise<Contact | null> {
  const [row] = await db
    .update(contacts)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(contacts.id, contactId), eq(contacts.homeId, homeId)))
    .returning();
  return row ?? null;
}

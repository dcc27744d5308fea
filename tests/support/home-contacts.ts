import { isContactApproved } from '@affection/core';
import { type Db, schema } from '@affection/db';
import { eq } from 'drizzle-orm';

/**
 * The first approved contact of each household of a Home (in contact id order): who asks for slots, books and signs in
 * on the family page in the benchmarks.
 */
export async function firstApprovedContacts(
  db: Db,
  homeId: string,
): Promise<{ householdId: string; contactId: string }[]> {
  const contacts = await db
    .select({
      id: schema.contacts.id,
      householdId: schema.contacts.householdId,
      approvedAt: schema.contacts.approvedAt,
      revokedAt: schema.contacts.revokedAt,
    })
    .from(schema.contacts)
    .where(eq(schema.contacts.homeId, homeId))
    .orderBy(schema.contacts.id);
  const first = new Map<string, string>();
  for (const c of contacts) if (isContactApproved(c) && !first.has(c.householdId)) first.set(c.householdId, c.id);
  return [...first].map(([householdId, contactId]) => ({ householdId, contactId }));
}

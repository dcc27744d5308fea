import type { Child, Contact, Household } from '@affection/core';
import { type Db, listChildren, listContactsOfHome, listHouseholds } from '@affection/db';
import { z } from '@hono/zod-openapi';

/** More than any Home holds: the directory reads the whole Home in three statements. */
const WHOLE_HOME = 100_000;

/** The names a console needs beside a Home's bookings: households, children and contacts by id. */
export interface BookingDirectory {
  households: ReadonlyMap<string, Household>;
  children: ReadonlyMap<string, Child>;
  /** Each household's children, archived ones included (erased ones never). */
  childrenOfHousehold: ReadonlyMap<string, readonly Child[]>;
  contacts: ReadonlyMap<string, Contact>;
}

/**
 * Reads the Home's households, children (archived included, erased never) and contacts, so a list of bookings can
 * carry names without a query per booking.
 */
export async function loadBookingDirectory(db: Db, homeId: string): Promise<BookingDirectory> {
  const page = { includeArchived: true, limit: WHOLE_HOME, offset: 0 };
  const [households, kids, contacts] = await Promise.all([
    listHouseholds(db, homeId, page),
    listChildren(db, homeId, page),
    listContactsOfHome(db, homeId),
  ]);
  const childrenOfHousehold = new Map<string, Child[]>();
  for (const child of kids.items) {
    const list = childrenOfHousehold.get(child.householdId) ?? [];
    list.push(child);
    childrenOfHousehold.set(child.householdId, list);
  }
  return {
    households: new Map(households.items.map((h) => [h.id, h])),
    children: new Map(kids.items.map((c) => [c.id, c])),
    childrenOfHousehold,
    contacts: new Map(contacts.map((c) => [c.id, c])),
  };
}

/** Who a call is for, by name: the household, its children on the call, and the contact(s). */
export const BookingPartySchema = z
  .object({
    householdName: z.string().openapi({ example: '王家' }),
    children: z.array(
      z.object({
        id: z.string(),
        familyName: z.string().openapi({ example: '王' }),
        givenName: z.string().openapi({ example: '小明' }),
      }),
    ),
    contacts: z.array(
      z.object({
        id: z.string(),
        name: z.string().openapi({ example: '李秀英' }),
        relation: z.string().openapi({ example: 'mother' }),
        channel: z.enum(['video', 'phone']),
      }),
    ),
  })
  .openapi('BookingParty');

/** The names of a booking's party, from the directory (an erased child or a removed contact is left out). */
export function partyOf(
  booking: { householdId: string; childIds: readonly string[]; contactId: string; secondContactId: string | null },
  directory: BookingDirectory,
): z.infer<typeof BookingPartySchema> {
  const contactIds = booking.secondContactId ? [booking.contactId, booking.secondContactId] : [booking.contactId];
  return {
    householdName: directory.households.get(booking.householdId)?.name ?? '',
    children: booking.childIds.flatMap((id) => {
      const child = directory.children.get(id);
      return child ? [{ id, familyName: child.familyName, givenName: child.givenName }] : [];
    }),
    contacts: contactIds.flatMap((id) => {
      const contact = directory.contacts.get(id);
      return contact ? [{ id, name: contact.name, relation: contact.relation, channel: contact.channel }] : [];
    }),
  };
}

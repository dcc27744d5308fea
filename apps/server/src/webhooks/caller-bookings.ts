import { type BookingStatus, type Contact, canReachContact } from '@affection/core';
import { type BookingRecord, type Db, findContactsByPhone, listBookingsOfHousehold, recordAudit } from '@affection/db';

/** A booking of someone who phoned or texted, with the contact it is theirs through. */
export interface CallerBooking {
  booking: BookingRecord;
  contact: Contact;
}

/** The contacts with this number we may talk to (approved, in any Home); empty for a number we do not know. */
export async function findApprovedCallers(db: Db, phone: string | undefined): Promise<Contact[]> {
  if (!phone || !/^\+[1-9]\d{6,14}$/.test(phone)) return [];
  return (await findContactsByPhone(db, phone)).filter((contact) => canReachContact(contact, 'call'));
}

/**
 * The callers' bookings with one of `statuses` that end after `from`, earliest first: those the
 * contact is on (first or second contact), across every household the number belongs to.
 */
export async function findCallerBookings(
  db: Db,
  callers: readonly Contact[],
  options: { from: Date; statuses: readonly BookingStatus[] },
): Promise<CallerBooking[]> {
  const found = new Map<string, CallerBooking>();
  for (const contact of callers) {
    const bookings = await listBookingsOfHousehold(db, contact.homeId, contact.householdId, options);
    for (const booking of bookings) {
      const isOnIt = booking.contactId === contact.id || booking.secondContactId === contact.id;
      if (isOnIt && !found.has(booking.id)) found.set(booking.id, { booking, contact });
    }
  }
  return [...found.values()].sort(
    (a, b) => a.booking.start.getTime() - b.booking.start.getTime() || a.booking.id.localeCompare(b.booking.id),
  );
}

/**
 * Records a change a contact made by phone or SMS, as the family's own action (ids only, and how:
 * `via: 'sms' | 'voice'`), like the family page's changes.
 */
export async function auditCallerChange(
  db: Db,
  change: {
    contact: Contact;
    action: string;
    subjectKind: string;
    subjectId: string;
    details: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await recordAudit(db, {
    homeId: change.contact.homeId,
    actorKind: 'family',
    actorId: change.contact.id,
    action: change.action,
    subjectKind: change.subjectKind,
    subjectId: change.subjectId,
    details: change.details,
    at: change.at,
  });
}

import { ERASED_PHONE_PREFIX, isErasedContactPhone } from '@affection/core';
import { and, count, eq, inArray, isNull, like, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import {
  availabilityWindows,
  bookingChildren,
  bookingContacts,
  bookings,
  callLogChildren,
  childPhotos,
  children,
  contacts,
  contactVoicePins,
  diaryEntries,
  familyDevices,
  familyEnrolments,
  households,
  oneTimeCodes,
  pairings,
  smsMessages,
  voiceNotifications,
} from '../schema/index.ts';

// The erased-number placeholder is the core's (contacts under it are reached by no one); re-exported here.
export { ERASED_PHONE_PREFIX, isErasedContactPhone };

/** What a redacted SMS keeps as its phone number (a reserved `+999` number, no one's). */
export const ERASED_SMS_PHONE = `${ERASED_PHONE_PREFIX}0000000000`;

/** The text names, notes and SMS bodies are replaced with. */
export const ERASED_TEXT = '已删除';

/** Booking states that have not started yet: erasing a child takes it off them. */
const NOT_STARTED = ['proposed', 'confirmed'] as const;

/** What {@link eraseChild} did, in ids and counts only. */
export interface ChildErasure {
  childId: string;
  householdId: string;
  erasedAt: Date;
  /** True when no other child was left, so the household and its contacts were erased too. */
  householdErased: boolean;
  /** Contacts deleted outright (they were on no booking). */
  deletedContactIds: string[];
  /** Contacts kept for their bookings, with name and number blanked and access revoked. */
  blankedContactIds: string[];
  /** Bookings not yet started that lost their last child and were cancelled. */
  cancelledBookingIds: string[];
  counts: {
    /** Kiosk photos deleted (0 or 1). */
    photos: number;
    diaryEntries: number;
    pairings: number;
    callLogLinks: number;
    bookingLinks: number;
    smsRedacted: number;
  };
}

/**
 * Erases a child's personal data on request, in one transaction; null when the child is not in this
 * Home or already erased.
 *
 * - The child row stays (bookings and call logs point at it) with names blanked (`givenName` is
 *   {@link ERASED_TEXT}, `familyName` empty), class, birth year, notes and photo version cleared,
 *   and `erasedAt` set (also archived). Its kiosk photo (the bytes in `child_photos`) is deleted.
 *   Every read and list leaves erased children out.
 * - Diary entries and pairings of the child are deleted; so are its `call_log_children` rows (with
 *   the moods it tapped) and `booking_children` rows. Bookings and call logs stay, so counts,
 *   outcomes and durations survive without a child attached. A booking not started yet that is
 *   left with no child is cancelled (`cancel_reason` 'erased', version bumped) and its pending SMS
 *   cancelled. Sent SMS about the child's bookings get their body replaced.
 * - When the household has no other child that is not erased, the household is renamed to
 *   {@link ERASED_TEXT} and archived, and each of its contacts is erased: deleted when no booking
 *   names it (its devices, enrolment links and windows go with it), otherwise kept with the name
 *   blanked, the number replaced by a unique `+999…` placeholder, city cleared, approval revoked,
 *   SMS and phone fallback off, and its devices, enrolment links and windows deleted. Its SMS lose
 *   body and number; one-time codes for its number are deleted unless another contact has it.
 * - Audit events stay: they hold ids and field names only.
 */
export async function eraseChild(db: Db, homeId: string, childId: string, now: Date): Promise<ChildErasure | null> {
  return db.transaction(async (tx) => {
    const [child] = await tx
      .select({ id: children.id, householdId: children.householdId })
      .from(children)
      .where(and(eq(children.id, childId), eq(children.homeId, homeId), isNull(children.erasedAt)))
      .for('update');
    if (!child) return null;
    // One erasure per household at a time, so two siblings erased together still erase the contacts.
    await tx.select({ id: households.id }).from(households).where(eq(households.id, child.householdId)).for('update');

    const bookingIds = (
      await tx
        .select({ bookingId: bookingChildren.bookingId })
        .from(bookingChildren)
        .where(eq(bookingChildren.childId, childId))
    ).map((row) => row.bookingId);

    const callLogLinks = await tx
      .delete(callLogChildren)
      .where(eq(callLogChildren.childId, childId))
      .returning({ id: callLogChildren.callLogId });
    const bookingLinks = await tx
      .delete(bookingChildren)
      .where(eq(bookingChildren.childId, childId))
      .returning({ id: bookingChildren.bookingId });

    let cancelledBookingIds: string[] = [];
    const redactedSms = new Set<string>();
    if (bookingIds.length > 0) {
      const orphaned = await tx
        .select({ id: bookings.id })
        .from(bookings)
        .where(
          and(
            inArray(bookings.id, bookingIds),
            inArray(bookings.status, [...NOT_STARTED]),
            sql`not exists (select 1 from ${bookingChildren} where ${bookingChildren.bookingId} = ${bookings.id})`,
          ),
        );
      cancelledBookingIds = orphaned.map((row) => row.id);
      if (cancelledBookingIds.length > 0) {
        await tx
          .update(bookings)
          .set({ status: 'cancelled', cancelReason: 'erased', version: sql`${bookings.version} + 1`, updatedAt: now })
          .where(inArray(bookings.id, cancelledBookingIds));
        const cancelled = await tx
          .update(smsMessages)
          .set({ status: 'cancelled', body: ERASED_TEXT, updatedAt: now })
          .where(and(inArray(smsMessages.bookingId, cancelledBookingIds), eq(smsMessages.status, 'pending')))
          .returning({ id: smsMessages.id });
        for (const row of cancelled) redactedSms.add(row.id);
      }
      // A message still to be sent for a booking that goes ahead (a sibling's) keeps its text.
      const redacted = await tx
        .update(smsMessages)
        .set({ body: ERASED_TEXT, updatedAt: now })
        .where(
          and(
            inArray(smsMessages.bookingId, bookingIds),
            ne(smsMessages.body, ERASED_TEXT),
            sql`${smsMessages.status} not in ('pending', 'sending')`,
          ),
        )
        .returning({ id: smsMessages.id });
      for (const row of redacted) redactedSms.add(row.id);
    }

    const diary = await tx
      .delete(diaryEntries)
      .where(eq(diaryEntries.childId, childId))
      .returning({ id: diaryEntries.id });
    const photos = await tx
      .delete(childPhotos)
      .where(eq(childPhotos.childId, childId))
      .returning({ id: childPhotos.childId });
    const paired = await tx.delete(pairings).where(eq(pairings.childId, childId)).returning({ id: pairings.id });

    await tx
      .update(children)
      .set({
        familyName: '',
        givenName: ERASED_TEXT,
        className: null,
        birthYear: null,
        photoVersion: null,
        notes: null,
        erasedAt: now,
        archivedAt: sql`coalesce(${children.archivedAt}, ${now.toISOString()}::timestamptz)`,
        updatedAt: now,
      })
      .where(eq(children.id, childId));

    const [others] = await tx
      .select({ n: count() })
      .from(children)
      .where(and(eq(children.householdId, child.householdId), isNull(children.erasedAt)));
    const householdErased = Number(others?.n ?? 0) === 0;

    const deletedContactIds: string[] = [];
    const blankedContactIds: string[] = [];
    if (householdErased) {
      const erasure = await eraseHouseholdContacts(tx, child.householdId, now);
      deletedContactIds.push(...erasure.deleted);
      blankedContactIds.push(...erasure.blanked);
      for (const id of erasure.smsIds) redactedSms.add(id);
      await tx
        .update(households)
        .set({
          name: ERASED_TEXT,
          archivedAt: sql`coalesce(${households.archivedAt}, ${now.toISOString()}::timestamptz)`,
        })
        .where(eq(households.id, child.householdId));
    }

    return {
      childId,
      householdId: child.householdId,
      erasedAt: now,
      householdErased,
      deletedContactIds,
      blankedContactIds,
      cancelledBookingIds,
      counts: {
        photos: photos.length,
        diaryEntries: diary.length,
        pairings: paired.length,
        callLogLinks: callLogLinks.length,
        bookingLinks: bookingLinks.length,
        smsRedacted: redactedSms.size,
      },
    };
  });
}

/** Erases every not-yet-erased contact of a household (see {@link eraseChild}). */
async function eraseHouseholdContacts(
  tx: Db,
  householdId: string,
  now: Date,
): Promise<{ deleted: string[]; blanked: string[]; smsIds: string[] }> {
  const live = await tx
    .select({ id: contacts.id, phone: contacts.phone })
    .from(contacts)
    .where(and(eq(contacts.householdId, householdId), sql`${contacts.phone} not like ${`${ERASED_PHONE_PREFIX}%`}`))
    .orderBy(contacts.createdAt, contacts.id)
    .for('update');
  if (live.length === 0) return { deleted: [], blanked: [], smsIds: [] };
  const ids = live.map((contact) => contact.id);

  // Which contacts a booking names, in any state: those rows must stay for the foreign keys.
  const booked = new Set<string>();
  const named = await tx
    .select({ a: bookings.contactId, b: bookings.secondContactId })
    .from(bookings)
    .where(or(inArray(bookings.contactId, ids), inArray(bookings.secondContactId, ids)));
  for (const row of named) {
    booked.add(row.a);
    if (row.b) booked.add(row.b);
  }
  const linked = await tx
    .select({ id: bookingContacts.contactId })
    .from(bookingContacts)
    .where(inArray(bookingContacts.contactId, ids));
  for (const row of linked) booked.add(row.id);

  const smsIds: string[] = [];
  for (const contact of live) {
    const redacted = await tx
      .update(smsMessages)
      .set({
        body: ERASED_TEXT,
        toPhone: sql`case when ${smsMessages.toPhone} = ${contact.phone} then ${ERASED_SMS_PHONE} else ${smsMessages.toPhone} end`,
        fromPhone: sql`case when ${smsMessages.fromPhone} = ${contact.phone} then ${ERASED_SMS_PHONE} else ${smsMessages.fromPhone} end`,
        status: sql`case when ${smsMessages.status} = 'pending' then 'cancelled' else ${smsMessages.status} end`,
        // A deleted contact's messages keep their counts but no longer point at it.
        contactId: booked.has(contact.id) ? contact.id : null,
        updatedAt: now,
      })
      .where(eq(smsMessages.contactId, contact.id))
      .returning({ id: smsMessages.id });
    smsIds.push(...redacted.map((row) => row.id));
    // Voice notifications keep their outcome (the board's history) but not the number called.
    await tx
      .update(voiceNotifications)
      .set({ toPhone: ERASED_SMS_PHONE })
      .where(eq(voiceNotifications.contactId, contact.id));
    const [shared] = await tx
      .select({ n: count() })
      .from(contacts)
      .where(and(eq(contacts.phone, contact.phone), ne(contacts.id, contact.id)));
    if (Number(shared?.n ?? 0) === 0) await tx.delete(oneTimeCodes).where(eq(oneTimeCodes.phone, contact.phone));
  }

  const deleted = ids.filter((id) => !booked.has(id));
  const blanked = ids.filter((id) => booked.has(id));
  if (deleted.length > 0) await tx.delete(contacts).where(inArray(contacts.id, deleted));
  if (blanked.length > 0) {
    await tx.delete(familyDevices).where(inArray(familyDevices.contactId, blanked));
    await tx.delete(familyEnrolments).where(inArray(familyEnrolments.contactId, blanked));
    await tx.delete(availabilityWindows).where(inArray(availabilityWindows.contactId, blanked));
    await tx.delete(contactVoicePins).where(inArray(contactVoicePins.contactId, blanked));
    // Placeholders are numbered within the household (the number is unique per household).
    const [used] = await tx
      .select({
        n: sql<
          string | null
        >`max(substring(${contacts.phone} from ${sql.raw(String(ERASED_PHONE_PREFIX.length + 1))})::bigint)`,
      })
      .from(contacts)
      .where(and(eq(contacts.householdId, householdId), like(contacts.phone, `${ERASED_PHONE_PREFIX}%`)));
    let next = Number(used?.n ?? 0) + 1;
    for (const id of blanked) {
      await tx
        .update(contacts)
        .set({
          name: ERASED_TEXT,
          phone: `${ERASED_PHONE_PREFIX}${String(next).padStart(10, '0')}`,
          city: null,
          revokedAt: sql`coalesce(${contacts.revokedAt}, ${now.toISOString()}::timestamptz)`,
          smsOptOut: true,
          phoneFallback: false,
          updatedAt: now,
        })
        .where(eq(contacts.id, id));
      next += 1;
    }
  }
  return { deleted, blanked, smsIds };
}

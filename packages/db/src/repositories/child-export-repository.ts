import {
  type AuditEvent,
  type AvailabilityWindow,
  type Child,
  type Contact,
  type DiaryEntry,
  type Household,
  isErasedContactPhone,
  type Weekday,
} from '@affection/core';
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../database.ts';
import {
  auditEvents,
  availabilityWindows,
  bookingChildren,
  bookings,
  callLogChildren,
  callLogs,
  children,
  contacts,
  diaryEntries,
  households,
  pairings,
  smsMessages,
  staff,
} from '../schema/index.ts';

/** A pairing as exported: the teacher's id and name. */
export interface ExportedPairing {
  id: string;
  staffId: string;
  staffName: string;
  createdAt: Date;
}

/** A booking the child was on. */
export interface ExportedBooking {
  id: string;
  kioskId: string;
  contactId: string;
  secondContactId: string | null;
  startAt: Date;
  endAt: Date;
  status: string;
  source: string;
  cancelReason: string | null;
  createdAt: Date;
}

/** A call log of one of the child's bookings, with the mood this child tapped. */
export interface ExportedCallLog {
  id: string;
  bookingId: string;
  outcome: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  overlapSeconds: number;
  mood: number | null;
}

/** An SMS about one of the child's bookings. */
export interface ExportedSms {
  id: string;
  bookingId: string | null;
  contactId: string | null;
  direction: string;
  toPhone: string;
  template: string | null;
  body: string;
  status: string;
  sentAt: Date | null;
  createdAt: Date;
}

/** Everything the system holds on one child, for a subject-access request. */
export interface ChildRecord {
  child: Child;
  household: Household;
  /** The household's contacts with whole phone numbers (erased placeholders left out). */
  contacts: Contact[];
  availability: AvailabilityWindow[];
  pairings: ExportedPairing[];
  bookings: ExportedBooking[];
  callLogs: ExportedCallLog[];
  smsMessages: ExportedSms[];
  diaryEntries: DiaryEntry[];
  /** Audit events about the child, its household and the household's contacts, oldest first. */
  auditTrail: AuditEvent[];
}

/**
 * The child's whole record, read in one read-only repeatable-read transaction so the parts agree (one
 * snapshot); null for a child not in this Home or already erased.
 */
export async function exportChildRecord(db: Db, homeId: string, childId: string): Promise<ChildRecord | null> {
  return db.transaction(
    async (tx) => {
      const [child] = await tx
        .select()
        .from(children)
        .where(and(eq(children.id, childId), eq(children.homeId, homeId), isNull(children.erasedAt)));
      if (!child) return null;
      const [household] = await tx.select().from(households).where(eq(households.id, child.householdId));
      const contactRows = (
        await tx
          .select()
          .from(contacts)
          .where(and(eq(contacts.householdId, child.householdId), eq(contacts.homeId, homeId)))
          .orderBy(asc(contacts.createdAt), asc(contacts.id))
      ).filter((contact) => !isErasedContactPhone(contact.phone));
      const contactIds = contactRows.map((contact) => contact.id);

      const availability =
        contactIds.length === 0
          ? []
          : await tx
              .select()
              .from(availabilityWindows)
              .where(inArray(availabilityWindows.contactId, contactIds))
              .orderBy(
                asc(availabilityWindows.contactId),
                asc(availabilityWindows.weekday),
                asc(availabilityWindows.startTime),
              );

      const pairingRows = await tx
        .select({
          id: pairings.id,
          staffId: pairings.staffId,
          staffName: staff.displayName,
          createdAt: pairings.createdAt,
        })
        .from(pairings)
        .innerJoin(staff, eq(staff.id, pairings.staffId))
        .where(eq(pairings.childId, childId))
        .orderBy(asc(pairings.createdAt), asc(pairings.id));

      const bookingRows = await tx
        .select({
          id: bookings.id,
          kioskId: bookings.kioskId,
          contactId: bookings.contactId,
          secondContactId: bookings.secondContactId,
          startAt: bookings.startAt,
          endAt: bookings.endAt,
          status: bookings.status,
          source: bookings.source,
          cancelReason: bookings.cancelReason,
          createdAt: bookings.createdAt,
        })
        .from(bookings)
        .innerJoin(bookingChildren, eq(bookingChildren.bookingId, bookings.id))
        .where(and(eq(bookingChildren.childId, childId), eq(bookings.homeId, homeId)))
        .orderBy(asc(bookings.startAt), asc(bookings.id));
      const bookingIds = bookingRows.map((booking) => booking.id);

      const callLogRows =
        bookingIds.length === 0
          ? []
          : await tx
              .select({
                id: callLogs.id,
                bookingId: callLogs.bookingId,
                outcome: callLogs.outcome,
                startedAt: callLogs.startedAt,
                endedAt: callLogs.endedAt,
                overlapSeconds: callLogs.overlapSeconds,
                mood: callLogChildren.mood,
              })
              .from(callLogs)
              .leftJoin(
                callLogChildren,
                and(eq(callLogChildren.callLogId, callLogs.id), eq(callLogChildren.childId, childId)),
              )
              .where(inArray(callLogs.bookingId, bookingIds))
              .orderBy(asc(callLogs.startedAt), asc(callLogs.id));

      const smsRows =
        bookingIds.length === 0
          ? []
          : await tx
              .select({
                id: smsMessages.id,
                bookingId: smsMessages.bookingId,
                contactId: smsMessages.contactId,
                direction: smsMessages.direction,
                toPhone: smsMessages.toPhone,
                template: smsMessages.template,
                body: smsMessages.body,
                status: smsMessages.status,
                sentAt: smsMessages.sentAt,
                createdAt: smsMessages.createdAt,
              })
              .from(smsMessages)
              .where(inArray(smsMessages.bookingId, bookingIds))
              .orderBy(asc(smsMessages.createdAt), asc(smsMessages.id));

      const diary = await tx
        .select()
        .from(diaryEntries)
        .where(and(eq(diaryEntries.childId, childId), eq(diaryEntries.homeId, homeId)))
        .orderBy(asc(diaryEntries.createdAt), asc(diaryEntries.id));

      const subjects = [and(eq(auditEvents.subjectKind, 'child'), eq(auditEvents.subjectId, childId))];
      subjects.push(and(eq(auditEvents.subjectKind, 'household'), eq(auditEvents.subjectId, child.householdId)));
      if (contactIds.length > 0) {
        subjects.push(and(eq(auditEvents.subjectKind, 'contact'), inArray(auditEvents.subjectId, contactIds)));
      }
      const trail = await tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.homeId, homeId), or(...subjects)))
        .orderBy(asc(auditEvents.at), asc(auditEvents.id));

      return {
        child,
        household: household!,
        contacts: contactRows,
        availability: availability.map((w) => ({ ...w, weekday: w.weekday as Weekday })),
        pairings: pairingRows,
        bookings: bookingRows,
        callLogs: callLogRows,
        smsMessages: smsRows,
        diaryEntries: diary,
        auditTrail: trail.map((event) => ({
          ...event,
          details: (event.details as Record<string, unknown> | null) ?? null,
        })),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

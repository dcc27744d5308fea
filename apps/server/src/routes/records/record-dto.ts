import type { ChildErasure, ChildRecord } from '@affection/db';
import type { z } from '@hono/zod-openapi';
import { CHILD_RECORD_FORMAT, type ChildRecordExportSchema, type ErasureSchema } from './record-schemas.ts';

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => date?.toISOString() ?? null;

/** The export file for a record read by `exportChildRecord`. */
export function toChildRecordExport(record: ChildRecord, exportedAt: Date): z.infer<typeof ChildRecordExportSchema> {
  const { child, household } = record;
  return {
    format: CHILD_RECORD_FORMAT,
    exportedAt: iso(exportedAt),
    child: {
      id: child.id,
      householdId: child.householdId,
      familyName: child.familyName,
      givenName: child.givenName,
      className: child.className,
      birthYear: child.birthYear,
      hasPhoto: child.photoVersion !== null,
      notes: child.notes,
      createdAt: iso(child.createdAt),
      updatedAt: iso(child.updatedAt),
      archivedAt: isoOrNull(child.archivedAt),
    },
    household: {
      id: household.id,
      name: household.name,
      createdAt: iso(household.createdAt),
      archivedAt: isoOrNull(household.archivedAt),
    },
    contacts: record.contacts.map((contact) => ({
      id: contact.id,
      name: contact.name,
      relation: contact.relation,
      phone: contact.phone,
      city: contact.city,
      timeZone: contact.timeZone,
      language: contact.language,
      channel: contact.channel,
      phoneFallback: contact.phoneFallback,
      smsOptOut: contact.smsOptOut,
      approvedBy: contact.approvedBy,
      approvedAt: isoOrNull(contact.approvedAt),
      revokedAt: isoOrNull(contact.revokedAt),
      consentRecordedBy: contact.consentRecordedBy,
      consentRecordedAt: isoOrNull(contact.consentRecordedAt),
      createdAt: iso(contact.createdAt),
      updatedAt: iso(contact.updatedAt),
    })),
    availability: record.availability.map((w) => ({
      contactId: w.contactId,
      weekday: w.weekday,
      startTime: w.startTime,
      endTime: w.endTime,
    })),
    pairings: record.pairings.map((p) => ({ ...p, createdAt: iso(p.createdAt) })),
    bookings: record.bookings.map((b) => ({
      ...b,
      startAt: iso(b.startAt),
      endAt: iso(b.endAt),
      createdAt: iso(b.createdAt),
    })),
    callLogs: record.callLogs.map((log) => ({
      ...log,
      startedAt: isoOrNull(log.startedAt),
      endedAt: isoOrNull(log.endedAt),
    })),
    smsMessages: record.smsMessages.map((sms) => ({
      ...sms,
      sentAt: isoOrNull(sms.sentAt),
      createdAt: iso(sms.createdAt),
    })),
    diaryEntries: record.diaryEntries.map((entry) => ({
      id: entry.id,
      staffId: entry.staffId,
      bookingId: entry.bookingId,
      entryDate: entry.entryDate,
      text: entry.text,
      mood: entry.mood,
      tags: entry.tags,
      createdAt: iso(entry.createdAt),
      updatedAt: iso(entry.updatedAt),
    })),
    auditTrail: record.auditTrail.map((event) => ({
      id: event.id,
      at: iso(event.at),
      actorKind: event.actorKind,
      actorId: event.actorId,
      action: event.action,
      subjectKind: event.subjectKind,
      subjectId: event.subjectId,
      details: event.details,
    })),
  };
}

/** The shape the erase route answers with. */
export function toErasureDto(erasure: ChildErasure): z.infer<typeof ErasureSchema> {
  return {
    childId: erasure.childId,
    householdId: erasure.householdId,
    erasedAt: iso(erasure.erasedAt),
    householdErased: erasure.householdErased,
    deletedContactIds: erasure.deletedContactIds,
    blankedContactIds: erasure.blankedContactIds,
    cancelledBookingIds: erasure.cancelledBookingIds,
    counts: erasure.counts,
  };
}

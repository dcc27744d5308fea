import { z } from '@hono/zod-openapi';

const instant = z.string().datetime();
const maybeInstant = instant.nullable();

/** Which version of the export format a file is. */
export const CHILD_RECORD_FORMAT = 'affection-phone/child-record@1';

/** The file `GET /api/children/{id}/export` answers with. */
export const ChildRecordExportSchema = z
  .object({
    format: z.literal(CHILD_RECORD_FORMAT),
    exportedAt: instant,
    child: z.object({
      id: z.string(),
      householdId: z.string(),
      familyName: z.string(),
      givenName: z.string(),
      className: z.string().nullable(),
      birthYear: z.number().int().nullable(),
      hasPhoto: z.boolean(),
      notes: z.string().nullable(),
      createdAt: instant,
      updatedAt: instant,
      archivedAt: maybeInstant,
    }),
    household: z.object({ id: z.string(), name: z.string(), createdAt: instant, archivedAt: maybeInstant }),
    contacts: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        relation: z.string(),
        phone: z.string().openapi({ description: 'The whole number, E.164' }),
        city: z.string().nullable(),
        timeZone: z.string(),
        language: z.string(),
        channel: z.string(),
        phoneFallback: z.boolean(),
        smsOptOut: z.boolean(),
        approvedBy: z.string().nullable(),
        approvedAt: maybeInstant,
        revokedAt: maybeInstant,
        consentRecordedBy: z.string().nullable(),
        consentRecordedAt: maybeInstant,
        createdAt: instant,
        updatedAt: instant,
      }),
    ),
    availability: z.array(
      z.object({ contactId: z.string(), weekday: z.number().int(), startTime: z.string(), endTime: z.string() }),
    ),
    pairings: z.array(z.object({ id: z.string(), staffId: z.string(), staffName: z.string(), createdAt: instant })),
    bookings: z.array(
      z.object({
        id: z.string(),
        kioskId: z.string(),
        contactId: z.string(),
        secondContactId: z.string().nullable(),
        startAt: instant,
        endAt: instant,
        status: z.string(),
        source: z.string(),
        cancelReason: z.string().nullable(),
        createdAt: instant,
      }),
    ),
    callLogs: z.array(
      z.object({
        id: z.string(),
        bookingId: z.string(),
        outcome: z.string().nullable(),
        startedAt: maybeInstant,
        endedAt: maybeInstant,
        overlapSeconds: z.number().int(),
        mood: z.number().int().nullable(),
      }),
    ),
    smsMessages: z.array(
      z.object({
        id: z.string(),
        bookingId: z.string().nullable(),
        contactId: z.string().nullable(),
        direction: z.string(),
        toPhone: z.string(),
        template: z.string().nullable(),
        body: z.string(),
        status: z.string(),
        sentAt: maybeInstant,
        createdAt: instant,
      }),
    ),
    diaryEntries: z.array(
      z.object({
        id: z.string(),
        staffId: z.string().nullable(),
        bookingId: z.string().nullable(),
        entryDate: z.string(),
        text: z.string(),
        mood: z.number().int().nullable(),
        tags: z.array(z.string()),
        createdAt: instant,
        updatedAt: instant,
      }),
    ),
    auditTrail: z.array(
      z.object({
        id: z.string(),
        at: instant,
        actorKind: z.string(),
        actorId: z.string().nullable(),
        action: z.string(),
        subjectKind: z.string(),
        subjectId: z.string().nullable(),
        details: z.record(z.string(), z.unknown()).nullable(),
      }),
    ),
  })
  .openapi('ChildRecordExport');

/** Body of `POST /api/children/{id}/erase`: the child's id again, typed by the admin. */
export const EraseChildSchema = z
  .object({ confirm: z.string().max(40).openapi({ example: 'chd_7m2k9x4q1b8c0d5e' }) })
  .strict()
  .openapi('EraseChild');

/** What an erasure did, in ids and counts. */
export const ErasureSchema = z
  .object({
    childId: z.string(),
    householdId: z.string(),
    erasedAt: instant,
    householdErased: z.boolean(),
    deletedContactIds: z.array(z.string()),
    blankedContactIds: z.array(z.string()),
    cancelledBookingIds: z.array(z.string()),
    counts: z.object({
      photos: z.number().int(),
      diaryEntries: z.number().int(),
      pairings: z.number().int(),
      callLogLinks: z.number().int(),
      bookingLinks: z.number().int(),
      smsRedacted: z.number().int(),
    }),
  })
  .openapi('Erasure');

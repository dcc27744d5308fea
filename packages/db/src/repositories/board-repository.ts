import type { BookingStatus, Channel, Relation } from '@affection/core';
import { and, asc, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from '../database.ts';
import {
  auditEvents,
  bookingChildren,
  bookingSteps,
  bookings,
  callLogs,
  children,
  contacts,
  kiosks,
} from '../schema/index.ts';

/** A kiosk as the board lists it: every kiosk of the Home that is not revoked. */
export interface BoardKiosk {
  id: string;
  name: string;
  enabled: boolean;
}

/** A child on a board call: first name and the photo's version (null when there is none). */
export interface BoardChild {
  id: string;
  givenName: string;
  photoVersion: string | null;
}

/** The booked contact of a board call. */
export interface BoardContact {
  id: string;
  name: string;
  relation: Relation;
  channel: Channel;
}

/** A lifecycle step of the booking's current version. */
export interface BoardStep {
  kind: string;
  state: 'pending' | 'running' | 'done' | 'cancelled' | 'failed';
  dueAt: Date;
  updatedAt: Date;
}

/** The call log as far as it has been built. */
export interface BoardCallLog {
  outcome: 'completed' | 'parent-no-show' | 'child-no-show' | 'failed' | null;
  overlapSeconds: number;
  /** As stored: the fold's summaries (and raw entries of the room API and kiosk reports). */
  participants: unknown[];
}

/** One booking of the day with everything its board card shows. */
export interface BoardBookingRecord {
  id: string;
  kioskId: string;
  status: BookingStatus;
  version: number;
  start: Date;
  end: Date;
  source: string;
  children: BoardChild[];
  contact: BoardContact | null;
  callLog: BoardCallLog | null;
  steps: BoardStep[];
  /** Minutes recorded by a teacher who marked the call done by phone; null when not. */
  doneByPhoneMinutes: number | null;
}

function participantsOf(value: unknown): unknown[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? parsed : [];
}

/** The day of a Home as the board reads it. */
export interface BoardDayRecord {
  kiosks: BoardKiosk[];
  bookings: BoardBookingRecord[];
}

/** Options of {@link loadBoardDay}. */
export interface LoadBoardDayOptions {
  /** Start of the Home's local day. */
  from: Date;
  /** Start of the next local day. */
  to: Date;
  /** The audit action that records a call done by phone (the booking layer's). */
  doneByPhoneAction: string;
}

/**
 * The bookings of a Home starting in `[from, to)` (declined proposals left out), in time order, with their kiosks,
 * children (archived and erased left out), booked contact, call log, current version's steps and the minutes of a
 * call done by phone, in six queries; plus the Home's kiosks that are not revoked.
 */
export async function loadBoardDay(db: Db, homeId: string, options: LoadBoardDayOptions): Promise<BoardDayRecord> {
  const kioskRows = await db
    .select({ id: kiosks.id, name: kiosks.name, enabled: kiosks.enabled })
    .from(kiosks)
    .where(and(eq(kiosks.homeId, homeId), isNull(kiosks.revokedAt)))
    .orderBy(asc(kiosks.name), asc(kiosks.id));
  const rows = await db
    .select({
      id: bookings.id,
      kioskId: bookings.kioskId,
      status: bookings.status,
      version: bookings.version,
      start: bookings.startAt,
      end: bookings.endAt,
      source: bookings.source,
      contactId: bookings.contactId,
    })
    .from(bookings)
    .where(and(eq(bookings.homeId, homeId), gte(bookings.startAt, options.from), lt(bookings.startAt, options.to)))
    .orderBy(asc(bookings.startAt), asc(bookings.id));
  const live = rows.filter((row) => row.status !== 'declined');
  if (live.length === 0) return { kiosks: kioskRows, bookings: [] };
  const ids = live.map((row) => row.id);
  const contactIds = [...new Set(live.map((row) => row.contactId))];
  const [childRows, contactRows, logRows, stepRows, phoneRows] = await Promise.all([
    db
      .select({
        bookingId: bookingChildren.bookingId,
        id: children.id,
        givenName: children.givenName,
        photoVersion: children.photoVersion,
      })
      .from(bookingChildren)
      .innerJoin(children, eq(children.id, bookingChildren.childId))
      .where(
        and(
          inArray(bookingChildren.bookingId, ids),
          eq(children.homeId, homeId),
          isNull(children.archivedAt),
          isNull(children.erasedAt),
        ),
      )
      .orderBy(asc(children.givenName), asc(children.id)),
    db
      .select({ id: contacts.id, name: contacts.name, relation: contacts.relation, channel: contacts.channel })
      .from(contacts)
      .where(and(inArray(contacts.id, contactIds), eq(contacts.homeId, homeId))),
    db
      .select({
        bookingId: callLogs.bookingId,
        outcome: callLogs.outcome,
        overlapSeconds: callLogs.overlapSeconds,
        participants: callLogs.participants,
      })
      .from(callLogs)
      .where(and(inArray(callLogs.bookingId, ids), eq(callLogs.homeId, homeId))),
    db
      .select({
        bookingId: bookingSteps.bookingId,
        version: bookingSteps.bookingVersion,
        kind: bookingSteps.kind,
        state: bookingSteps.state,
        dueAt: bookingSteps.dueAt,
        updatedAt: bookingSteps.updatedAt,
      })
      .from(bookingSteps)
      .where(inArray(bookingSteps.bookingId, ids))
      .orderBy(asc(bookingSteps.dueAt)),
    db
      .select({ bookingId: auditEvents.subjectId, details: auditEvents.details })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.homeId, homeId),
          eq(auditEvents.action, options.doneByPhoneAction),
          eq(auditEvents.subjectKind, 'booking'),
          inArray(auditEvents.subjectId, ids),
        ),
      ),
  ]);
  const contactById = new Map(contactRows.map((row) => [row.id, row]));
  const logById = new Map(logRows.map((row) => [row.bookingId, row]));
  const minutesById = new Map<string, number>();
  for (const row of phoneRows) {
    const minutes = (row.details as { minutes?: unknown } | null)?.minutes;
    if (row.bookingId && typeof minutes === 'number') minutesById.set(row.bookingId, minutes);
  }
  return {
    kiosks: kioskRows,
    bookings: live.map((row) => {
      const log = logById.get(row.id);
      return {
        id: row.id,
        kioskId: row.kioskId,
        status: row.status,
        version: row.version,
        start: row.start,
        end: row.end,
        source: row.source,
        children: childRows
          .filter((child) => child.bookingId === row.id)
          .map((child) => ({ id: child.id, givenName: child.givenName, photoVersion: child.photoVersion })),
        contact: contactById.get(row.contactId) ?? null,
        callLog: log
          ? {
              outcome: log.outcome,
              overlapSeconds: log.overlapSeconds,
              participants: participantsOf(log.participants),
            }
          : null,
        steps: stepRows
          .filter((step) => step.bookingId === row.id && step.version === row.version)
          .map((step) => ({ kind: step.kind, state: step.state, dueAt: step.dueAt, updatedAt: step.updatedAt })),
        doneByPhoneMinutes: minutesById.get(row.id) ?? null,
      };
    }),
  };
}

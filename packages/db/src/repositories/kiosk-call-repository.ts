import { type BookingStatus, type Channel, HOLDING_BOOKING_STATUSES, type Relation } from '@affection/core';
import { and, asc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { bookingChildren, bookings, children, contacts, kiosks } from '../schema/index.ts';

/** A child on a call, as the kiosk may see them: the first name only. */
export interface KioskCallChild {
  id: string;
  givenName: string;
  /** Version of the child's kiosk photo (it goes into the photo's URL); null when there is none. */
  photoVersion: string | null;
}

/** Who calls, as the kiosk may see them: the relation and the channel, never a name or a number. */
export interface KioskCallCaller {
  relation: Relation;
  channel: Channel;
}

/** A booking as the kiosk sees it. */
export interface KioskCallRecord {
  bookingId: string;
  homeId: string;
  kioskId: string;
  kioskName: string;
  status: BookingStatus;
  start: Date;
  end: Date;
  /** Children still on the record (archived and erased children left out), by id. */
  children: KioskCallChild[];
  /** The booked contact first, then the second one if any. */
  callers: KioskCallCaller[];
}

/** Options for {@link listKioskCalls}. */
export interface ListKioskCallsOptions {
  /** Calls still running at this instant or starting by {@link ListKioskCallsOptions.startsBy}. */
  now: Date;
  /** Latest start of a call to list, e.g. now + 30 minutes. */
  startsBy: Date;
}

type BookingRow = Pick<KioskCallRecord, 'bookingId' | 'homeId' | 'kioskId' | 'status' | 'start' | 'end'> & {
  contactId: string;
  secondContactId: string | null;
};

const bookingColumns = {
  bookingId: bookings.id,
  homeId: bookings.homeId,
  kioskId: bookings.kioskId,
  status: bookings.status,
  start: bookings.startAt,
  end: bookings.endAt,
  contactId: bookings.contactId,
  secondContactId: bookings.secondContactId,
};

/** Adds the children, callers and kiosk names to bookings of one Home, in three queries. */
async function withPeople(db: Db, homeId: string, rows: BookingRow[]): Promise<KioskCallRecord[]> {
  if (rows.length === 0) return [];
  const bookingIds = rows.map((row) => row.bookingId);
  const contactIds = [
    ...new Set(rows.flatMap((row) => [row.contactId, ...(row.secondContactId ? [row.secondContactId] : [])])),
  ];
  const [childRows, contactRows, kioskRows] = await Promise.all([
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
          inArray(bookingChildren.bookingId, bookingIds),
          eq(children.homeId, homeId),
          isNull(children.archivedAt),
          isNull(children.erasedAt),
        ),
      )
      .orderBy(asc(children.id)),
    db
      .select({ id: contacts.id, relation: contacts.relation, channel: contacts.channel })
      .from(contacts)
      .where(and(inArray(contacts.id, contactIds), eq(contacts.homeId, homeId))),
    db.select({ id: kiosks.id, name: kiosks.name }).from(kiosks).where(eq(kiosks.homeId, homeId)),
  ]);
  const callerById = new Map(contactRows.map((c) => [c.id, { relation: c.relation, channel: c.channel }]));
  const kioskNameById = new Map(kioskRows.map((k) => [k.id, k.name]));
  return rows.map(({ contactId, secondContactId, ...booking }) => ({
    ...booking,
    kioskName: kioskNameById.get(booking.kioskId) ?? '',
    children: childRows
      .filter((child) => child.bookingId === booking.bookingId)
      .map((child) => ({ id: child.id, givenName: child.givenName, photoVersion: child.photoVersion })),
    callers: [contactId, secondContactId]
      .map((id) => (id ? callerById.get(id) : undefined))
      .filter((caller): caller is KioskCallCaller => caller !== undefined),
  }));
}

/**
 * The Home's active calls (proposed, confirmed, in progress) running at `now` or starting by
 * `startsBy`, soonest first, with only what a kiosk may show: first names, relations, channels.
 */
export async function listKioskCalls(
  db: Db,
  homeId: string,
  options: ListKioskCallsOptions,
): Promise<KioskCallRecord[]> {
  const rows = await db
    .select(bookingColumns)
    .from(bookings)
    .where(
      and(
        eq(bookings.homeId, homeId),
        inArray(bookings.status, [...HOLDING_BOOKING_STATUSES]),
        lte(bookings.startAt, options.startsBy),
        gt(bookings.endAt, options.now),
      ),
    )
    .orderBy(asc(bookings.startAt), asc(bookings.id));
  return withPeople(db, homeId, rows);
}

/** One booking of the Home as the kiosk sees it, whatever its status; null for another Home's. */
export async function getKioskCall(db: Db, homeId: string, bookingId: string): Promise<KioskCallRecord | null> {
  const rows = await db
    .select(bookingColumns)
    .from(bookings)
    .where(and(eq(bookings.id, bookingId), eq(bookings.homeId, homeId)));
  const [call] = await withPeople(db, homeId, rows);
  return call ?? null;
}

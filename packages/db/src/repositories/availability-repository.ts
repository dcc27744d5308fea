import type { AvailabilityWindow, Weekday } from '@affection/core';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { availabilityWindows, contacts } from '../schema/index.ts';

/** One weekly window as staff set it: 'HH:MM' wall times in the contact's own zone, end after start. */
export interface AvailabilityWindowInput {
  weekday: Weekday;
  startTime: string;
  endTime: string;
}

type WindowRow = typeof availabilityWindows.$inferSelect;

function toWindow(row: WindowRow): AvailabilityWindow {
  return {
    id: row.id,
    contactId: row.contactId,
    weekday: row.weekday as Weekday,
    startTime: row.startTime,
    endTime: row.endTime,
  };
}

const windowColumns = {
  id: availabilityWindows.id,
  contactId: availabilityWindows.contactId,
  weekday: availabilityWindows.weekday,
  startTime: availabilityWindows.startTime,
  endTime: availabilityWindows.endTime,
};

/** A contact's weekly windows, by weekday then start; empty for a contact not in this Home. */
export async function listAvailabilityWindows(
  db: Db,
  homeId: string,
  contactId: string,
): Promise<AvailabilityWindow[]> {
  const rows = await db
    .select(windowColumns)
    .from(availabilityWindows)
    .innerJoin(contacts, eq(contacts.id, availabilityWindows.contactId))
    .where(and(eq(availabilityWindows.contactId, contactId), eq(contacts.homeId, homeId)))
    .orderBy(asc(availabilityWindows.weekday), asc(availabilityWindows.startTime), asc(availabilityWindows.id));
  return rows.map(toWindow);
}

/** Every window of every contact of a Home (for the weekly scheduler), by contact, weekday, start. */
export async function listAvailabilityWindowsOfHome(db: Db, homeId: string): Promise<AvailabilityWindow[]> {
  const rows = await db
    .select(windowColumns)
    .from(availabilityWindows)
    .innerJoin(contacts, eq(contacts.id, availabilityWindows.contactId))
    .where(eq(contacts.homeId, homeId))
    .orderBy(
      asc(availabilityWindows.contactId),
      asc(availabilityWindows.weekday),
      asc(availabilityWindows.startTime),
      asc(availabilityWindows.id),
    );
  return rows.map(toWindow);
}

/**
 * Replaces all of a contact's weekly windows in one transaction (the contact row is locked, so two
 * editors cannot interleave). Returns the new windows, or null when the contact is not in this
 * Home. The caller checks order and overlaps; the database re-checks format and order.
 */
export async function replaceAvailabilityWindows(
  db: Db,
  homeId: string,
  contactId: string,
  windows: readonly AvailabilityWindowInput[],
): Promise<AvailabilityWindow[] | null> {
  return db.transaction(async (tx) => {
    const [contact] = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.id, contactId), eq(contacts.homeId, homeId)))
      .for('update');
    if (!contact) return null;
    await tx.delete(availabilityWindows).where(eq(availabilityWindows.contactId, contactId));
    if (windows.length > 0) {
      await tx.insert(availabilityWindows).values(
        windows.map((window) => ({
          id: createId('availabilityWindow'),
          contactId,
          weekday: window.weekday,
          startTime: window.startTime,
          endTime: window.endTime,
        })),
      );
    }
    return listAvailabilityWindows(tx, homeId, contactId);
  });
}

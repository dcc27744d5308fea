import type { SchedulingBooking } from '@affection/core';
import { type BookingRecord, type BookingWriteRejection, type Db, listSchedulingBookings } from '@affection/db';
import type { BookingRefusal } from './booking-outcome.ts';

/** A kiosk to write on, or why none may be tried. */
export type KioskChoice = { ok: true; kioskId: string } | { ok: false; reason: BookingRefusal };

/** A booking write's answer, as {@link writeOnFreeKiosk} needs it. */
export type KioskWrite =
  | { ok: true; booking: BookingRecord }
  | { ok: false; reason: BookingWriteRejection | 'not-active' };

/** What {@link writeOnFreeKiosk} does. */
export interface WriteOnFreeKioskOptions {
  homeId: string;
  /** The bookings already read around the span (the first attempt decides on them). */
  bookings: readonly SchedulingBooking[];
  /** What to read again before a later attempt (the span and its quota weeks). */
  scope: { start: Date; end: Date };
  /** Attempts at most: 1 when the caller named the kiosk, else one per kiosk of the Home. */
  attempts: number;
  /** The kiosk to try against these bookings, with every check that goes before the write. `isRetry` after a loss. */
  choose: (bookings: readonly SchedulingBooking[], isRetry: boolean) => KioskChoice;
  /** The write itself; the database has the last word. */
  write: (kioskId: string) => Promise<KioskWrite>;
}

/**
 * The kiosk-retry loop of every booking write that lets the server pick the kiosk: choose a free kiosk, check,
 * write; when a concurrent request took that kiosk first (`slot-taken` from the database), read the bookings again
 * and try the next free one, up to `attempts` times. Any other refusal is the answer.
 */
export async function writeOnFreeKiosk(
  db: Db,
  options: WriteOnFreeKioskOptions,
): Promise<{ ok: true; booking: BookingRecord } | { ok: false; reason: BookingRefusal }> {
  let bookings = options.bookings;
  for (let attempt = 1; ; attempt += 1) {
    if (attempt > 1) bookings = await listSchedulingBookings(db, options.homeId, options.scope);
    const choice = options.choose(bookings, attempt > 1);
    if (!choice.ok) return choice;
    const written = await options.write(choice.kioskId);
    if (written.ok) return written;
    if (written.reason === 'slot-taken' && attempt < options.attempts) continue;
    return written;
  }
}

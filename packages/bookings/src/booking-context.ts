import {
  AppError,
  addCalendarDays,
  countQuotaUsage,
  type HomeCalendar,
  instantAt,
  isCountedBooking,
  type QuotaUsage,
  type SchedulingBooking,
  type SchedulingContact,
  weekStartOf,
} from '@affection/core';
import {
  type BookingSnapshot,
  type BookingSnapshotRanges,
  type CalendarKiosk,
  type Db,
  type HomeCalendarRecord,
  loadBookingSnapshot,
  loadHomeCalendar,
  type QuotaGuard,
  type SchedulingHouseholdRecord,
} from '@affection/db';

const DAY_MS = 86_400_000;

/**
 * The Home's calendar covering `[now, until)`; a 404 when the Home is gone. With `horizonDays`, the horizon is
 * widened to it (a standing series reaches past the usual horizon).
 */
export async function loadCalendar(
  db: Db,
  homeId: string,
  now: Date,
  until: Date,
  horizonDays?: number,
): Promise<HomeCalendarRecord> {
  const calendar = await loadHomeCalendar(db, homeId, { start: now, end: until });
  if (!calendar) throw new AppError('not-found', 'Your Home no longer exists.');
  return withHorizon(withBookableKiosks(calendar), horizonDays);
}

/** A Home's calendar, a household of it and the Home's bookings around a request, read in one round trip. */
export interface DecisionInputs extends BookingSnapshot {
  household: SchedulingHouseholdRecord;
}

/**
 * The calendar with only bookable kiosks enabled: switched on, not revoked and enrolled by a tablet. A kiosk no tablet
 * was ever enrolled on cannot take a call, so neither the slot search, the checker nor the kiosk choice may place one
 * there. Every calendar the booking layer decides on passes through here.
 */
export function withBookableKiosks(calendar: HomeCalendarRecord): HomeCalendarRecord {
  return { ...calendar, kiosks: calendar.kiosks.map((k) => ({ ...k, enabled: k.enabled && k.enrolled })) };
}

/** Whether the Home has a kiosk that can take a call (see {@link withBookableKiosks}); else `no-enrolled-kiosk`. */
export function hasBookableKiosk(calendar: HomeCalendar): boolean {
  return calendar.kiosks.some((k) => k.enabled);
}

/** Widens the booking horizon to `horizonDays` (a standing series reaches past the usual horizon). */
export function withHorizon(calendar: HomeCalendarRecord, horizonDays: number | undefined): HomeCalendarRecord {
  if (horizonDays === undefined || horizonDays <= calendar.settings.bookingHorizonDays) return calendar;
  return { ...calendar, settings: { ...calendar.settings, bookingHorizonDays: horizonDays } };
}

/**
 * The calendar (covering `[now, until)`), one household and the bookings that matter to a decision about `span` (a
 * slot, or the range of a slot search), in one round trip: every booking holding a kiosk around the span, and the
 * household's own bookings of the quota weeks around it. A 404 when the Home is gone or the household is not an
 * active one of it (also another Home's).
 */
export async function loadDecisionInputs(
  db: Db,
  homeId: string,
  householdId: string,
  ranges: { now: Date; until: Date; span: { start: Date; end: Date }; horizonDays?: number },
): Promise<DecisionInputs> {
  const snapshot = await loadBookingSnapshot(
    db,
    homeId,
    householdId,
    snapshotRanges(ranges.now, ranges.until, ranges.span),
  );
  if (!snapshot) throw new AppError('not-found', 'Your Home no longer exists.');
  const { household } = snapshot;
  if (!household || household.archived) throw new AppError('not-found', 'No such household in your Home.');
  return { ...snapshot, calendar: withHorizon(withBookableKiosks(snapshot.calendar), ranges.horizonDays), household };
}

/** What to read for a decision about `span`: kiosks held a day either side (no call is longer), the quota weeks. */
export function snapshotRanges(now: Date, until: Date, span: { start: Date; end: Date }): BookingSnapshotRanges {
  return {
    calendarRange: { start: now, end: until },
    kioskRange: { start: new Date(span.start.getTime() - DAY_MS), end: new Date(span.end.getTime() + DAY_MS) },
    householdRange: bookingScope(span.start, span.end),
  };
}

/** One of the household's contacts; a 404 for anyone else's. */
export function requireHouseholdContact(household: SchedulingHouseholdRecord, contactId: string): SchedulingContact {
  const contact = household.contacts.find((c) => c.id === contactId);
  if (!contact) throw new AppError('not-found', 'No such contact in this household.');
  return contact;
}

/** The children on a call: the given ones, all active children of the household; a 404 for any other child. */
export function requireHouseholdChildren(
  household: SchedulingHouseholdRecord,
  childIds: readonly string[] | undefined,
): string[] {
  if (!childIds) return [...household.household.childIds];
  const stranger = childIds.find((id) => !household.household.childIds.includes(id));
  if (stranger) throw new AppError('not-found', 'No such active child in this household.');
  return [...new Set(childIds)];
}

/** A kiosk of the Home named by the caller; a 404 for another Home's. */
export function requireKiosk(calendar: HomeCalendar, kioskId: string | undefined): void {
  if (kioskId !== undefined && !calendar.kiosks.some((k) => k.id === kioskId)) {
    throw new AppError('not-found', 'No such kiosk in your Home.');
  }
}

/** The span of bookings to read around a request: its quota week and any overlap, with a day to spare each side. */
export function bookingScope(start: Date, end: Date): { start: Date; end: Date } {
  return { start: new Date(start.getTime() - 8 * DAY_MS), end: new Date(end.getTime() + 8 * DAY_MS) };
}

/** Enabled kiosks no active booking holds during `[start, end)`, in the Home's order. */
export function freeKiosks(
  calendar: HomeCalendar,
  bookings: readonly SchedulingBooking[],
  start: Date,
  end: Date,
  ignoringBookingId?: string,
): string[] {
  const taken = new Set(
    bookings
      .filter(
        (b) =>
          b.id !== ignoringBookingId &&
          isCountedBooking(b) &&
          b.start.getTime() < end.getTime() &&
          b.end.getTime() > start.getTime(),
      )
      .map((b) => b.kioskId),
  );
  return calendar.kiosks.filter((k) => k.enabled && !taken.has(k.id)).map((k) => k.id);
}

/**
 * How recently a kiosk must have reached the server to take a call that starts now: 10 minutes. A kiosk on the wall
 * asks for its calls every 15 s, so one silent for 10 minutes is switched off, asleep or off the network.
 */
export const KIOSK_SEEN_WITHIN_MS = 10 * 60_000;

/**
 * Whether a kiosk is known to be away at `now`: its tablet last reached the server more than
 * {@link KIOSK_SEEN_WITHIN_MS} ago. A kiosk with no recorded contact at all (set up before contacts were kept, or
 * seeded) is not known to be away.
 */
export function isKioskAway(kiosk: CalendarKiosk, now: Date): boolean {
  return kiosk.lastSeenAt !== null && now.getTime() - kiosk.lastSeenAt.getTime() > KIOSK_SEEN_WITHIN_MS;
}

/**
 * The free kiosks, those seen within {@link KIOSK_SEEN_WITHIN_MS} first, then those with no recorded contact, then
 * those away (each group in the Home's order): a call booked ahead may go to a kiosk that is off tonight (it will
 * be on by then), but one that is on now is the safer choice.
 */
export function preferSeenKiosks(calendar: HomeCalendarRecord, free: readonly string[], now: Date): string[] {
  const rank = new Map(
    calendar.kiosks.map((k) => [k.id, k.lastSeenAt === null ? 1 : isKioskAway(k, now) ? 2 : 0] as const),
  );
  return free
    .map((id, order) => ({ id, order, rank: rank.get(id) ?? 2 }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map((k) => k.id);
}

/**
 * The kiosk to try: the requested one, else the preferred one if free, else the first free one. When none is free
 * it still names a kiosk (or a placeholder) so that the checker answers `slot-taken` after its earlier checks.
 */
export function chooseKiosk(
  calendar: HomeCalendar,
  free: readonly string[],
  requested: string | undefined,
  preferred: string | undefined,
): string {
  if (requested) return requested;
  if (preferred && free.includes(preferred)) return preferred;
  return free[0] ?? calendar.kiosks[0]?.id ?? 'kio_none';
}

/** The weekly-quota guard for a call starting at `start`: its quota week (Monday 00:00 in the Home's zone). */
export function quotaGuardFor(calendar: HomeCalendar, start: Date): QuotaGuard {
  const zone = calendar.settings.timeZone;
  const monday = weekStartOf(start, zone);
  return {
    weekStart: instantAt(monday, '00:00', zone),
    weekEnd: instantAt(addCalendarDays(monday, 7), '00:00', zone),
    limit: calendar.settings.weeklyQuotaPerChild,
  };
}

/**
 * Calls already counted per child and week, for the given children only (the checker's own count reads the week of
 * every booking of the Home, which is most of a slot search's time on a busy Home). `exceptBookingId`: a booking
 * being moved does not count against itself.
 */
export function quotaUsageFor(
  calendar: HomeCalendar,
  bookings: readonly SchedulingBooking[],
  childIds: readonly string[],
  exceptBookingId?: string,
): QuotaUsage {
  const mine = bookings.filter((b) => b.id !== exceptBookingId && b.childIds.some((c) => childIds.includes(c)));
  return countQuotaUsage(mine, calendar.settings.timeZone);
}

/** A slot's end: one call's length after its start. */
export function slotEnd(calendar: HomeCalendar, start: Date): Date {
  return new Date(start.getTime() + calendar.settings.slotMinutes * 60_000);
}

import { addCalendarDays, instantAt, isoWeekdayOf } from '@affection/core';
import { createId, type Db, schema, seededRandom } from '@affection/db';
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';

/** A household a history is generated for: its children and the contacts who may call them. */
export interface HistoryHousehold {
  householdId: string;
  childIds: string[];
  contactIds: string[];
}

/** How a call log says a call ended. */
export type HistoryOutcome = 'completed' | 'parent-no-show' | 'child-no-show' | 'failed';

/**
 * One call as written to the database: the booking, its children and contacts, and (when `log` is set) its call log
 * with the overlap seconds and the face each child tapped. Tests compute what the reports must say from these rows.
 */
export interface HistoryCall {
  bookingId: string;
  homeId: string;
  kioskId: string;
  householdId: string;
  childIds: string[];
  contactId: string;
  secondContactId: string | null;
  startAt: Date;
  endAt: Date;
  status: 'confirmed' | 'completed' | 'missed' | 'cancelled' | 'declined';
  /** The call log, or null when there is none (not yet called, cancelled, or done by an ordinary phone). */
  log: { outcome: HistoryOutcome; overlapSeconds: number; moods: Record<string, number | null> } | null;
}

/** Options of {@link generateCallHistory}. */
export interface CallHistoryOptions {
  homeId: string;
  /** The Home's zone: slots are laid out on its wall clock. */
  timeZone: string;
  kioskIds: string[];
  households: HistoryHousehold[];
  /** First and last day (`YYYY-MM-DD`, both included) calls may start on. */
  from: string;
  to: string;
  /** Default 20260901. */
  seed?: number;
  /** Chance that a household has a call in a week (default 0.8), as far as the kiosks' slots go. */
  weeklyChance?: number;
  /** Slot length in minutes (default 15). */
  slotMinutes?: number;
}

/** The weekday slots of the synthetic Home's opening hours (12:00–13:30 and 16:30–18:00), 15 minutes each. */
function slotTimes(slotMinutes: number): string[] {
  const times: string[] = [];
  for (const [start, end] of [
    [12 * 60, 13 * 60 + 30],
    [16 * 60 + 30, 18 * 60],
  ] as const) {
    for (let m = start; m + slotMinutes <= end; m += slotMinutes) {
      times.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
    }
  }
  return times;
}

/**
 * Makes a term (or any period) of call history for a Home and writes it to the database, the way the booking layer
 * and the call logs leave it: each week every household gets a call with `weeklyChance` while the kiosks have free
 * slots (weekdays, in opening hours, never two calls at once on a kiosk, a child or a contact). Most calls took
 * place; some were missed by the parent or the child, failed, were cancelled or declined, are still to come, or
 * were done by an ordinary phone (completed without a call log); a few are three-way (two contacts). The mix is
 * the same for a seed; which household gets which slot follows the order of the (random) ids. Returns every call
 * written.
 */
export async function generateCallHistory(db: Db, options: CallHistoryOptions): Promise<HistoryCall[]> {
  const random = seededRandom(options.seed ?? 20260901);
  const slotMinutes = options.slotMinutes ?? 15;
  const times = slotTimes(slotMinutes);
  const chance = options.weeklyChance ?? 0.8;
  const calls: HistoryCall[] = [];
  const monday = addCalendarDays(options.from, 1 - isoWeekdayOf(options.from));
  for (let week = monday; week <= options.to; week = addCalendarDays(week, 7)) {
    const positions: { day: string; time: string; kioskId: string }[] = [];
    for (let d = 0; d < 5; d += 1) {
      const day = addCalendarDays(week, d);
      if (day < options.from || day > options.to) continue;
      for (const time of times) for (const kioskId of options.kioskIds) positions.push({ day, time, kioskId });
    }
    shuffleInPlace(positions, random);
    const order = shuffleInPlace([...options.households], random);
    let next = 0;
    for (const household of order) {
      if (next >= positions.length) break;
      if (random() >= chance || household.contactIds.length === 0 || household.childIds.length === 0) continue;
      const position = positions[next] as (typeof positions)[number];
      next += 1;
      const startAt = instantAt(position.day, position.time, options.timeZone);
      calls.push(
        randomCall(random, {
          homeId: options.homeId,
          kioskId: position.kioskId,
          household,
          startAt,
          endAt: new Date(startAt.getTime() + slotMinutes * 60_000),
        }),
      );
    }
  }
  await insertHistoryCalls(db, calls);
  return calls;
}

function randomCall(
  random: () => number,
  at: { homeId: string; kioskId: string; household: HistoryHousehold; startAt: Date; endAt: Date },
): HistoryCall {
  const { household } = at;
  const contactId = household.contactIds[Math.floor(random() * household.contactIds.length)] as string;
  const others = household.contactIds.filter((id) => id !== contactId);
  const secondContactId = others.length > 0 && random() < 0.1 ? (others[0] as string) : null;
  const base = {
    bookingId: createId('booking'),
    homeId: at.homeId,
    kioskId: at.kioskId,
    householdId: household.householdId,
    childIds: [...household.childIds],
    contactId,
    secondContactId,
    startAt: at.startAt,
    endAt: at.endAt,
  };
  const moods = (): Record<string, number | null> =>
    Object.fromEntries(household.childIds.map((id) => [id, random() < 0.7 ? 1 + Math.floor(random() * 5) : null]));
  const r = random();
  if (r < 0.06) return { ...base, status: 'cancelled', log: null };
  if (r < 0.08) return { ...base, status: 'declined', log: null };
  if (r < 0.1) return { ...base, status: 'confirmed', log: null };
  if (r < 0.13) return { ...base, status: 'completed', log: null };
  if (r < 0.25) {
    const kind = random();
    const outcome: HistoryOutcome = kind < 0.5 ? 'parent-no-show' : kind < 0.8 ? 'child-no-show' : 'failed';
    const overlapSeconds = outcome === 'failed' ? Math.floor(random() * 40) : 0;
    return { ...base, status: 'missed', log: { outcome, overlapSeconds, moods: {} } };
  }
  return {
    ...base,
    status: 'completed',
    log: { outcome: 'completed', overlapSeconds: 240 + Math.floor(random() * 600), moods: moods() },
  };
}

/**
 * Writes calls as the booking layer and the call logs leave them: the booking, its children and contacts (their
 * times and state filled by the database's own trigger), and the call log with each child's mood. In batches.
 */
export async function insertHistoryCalls(db: Db, calls: HistoryCall[]): Promise<void> {
  for (let i = 0; i < calls.length; i += 500) {
    const batch = calls.slice(i, i + 500);
    await db.insert(schema.bookings).values(
      batch.map((call) => ({
        id: call.bookingId,
        homeId: call.homeId,
        kioskId: call.kioskId,
        householdId: call.householdId,
        contactId: call.contactId,
        secondContactId: call.secondContactId,
        startAt: call.startAt,
        endAt: call.endAt,
        status: call.status,
        source: 'auto' as const,
        cancelReason: call.status === 'cancelled' ? 'history' : null,
        createdAt: new Date(call.startAt.getTime() - 7 * 86_400_000),
        updatedAt: call.endAt,
      })),
    );
    await db.insert(schema.bookingChildren).values(
      batch.flatMap((call) =>
        call.childIds.map((childId) => ({
          bookingId: call.bookingId,
          childId,
          startAt: call.startAt,
          endAt: call.endAt,
        })),
      ),
    );
    await db.insert(schema.bookingContacts).values(
      batch.flatMap((call) =>
        [call.contactId, ...(call.secondContactId ? [call.secondContactId] : [])].map((contactId) => ({
          bookingId: call.bookingId,
          contactId,
          startAt: call.startAt,
          endAt: call.endAt,
        })),
      ),
    );
    const logged = batch.flatMap((call) => (call.log ? [{ call, log: call.log, id: createId('callLog') }] : []));
    if (logged.length === 0) continue;
    await db.insert(schema.callLogs).values(
      logged.map(({ call, log, id }) => ({
        id,
        homeId: call.homeId,
        bookingId: call.bookingId,
        outcome: log.outcome,
        startedAt: call.startAt,
        endedAt: new Date(call.startAt.getTime() + Math.max(log.overlapSeconds, 60) * 1000),
        overlapSeconds: log.overlapSeconds,
        createdAt: call.startAt,
        updatedAt: call.endAt,
      })),
    );
    await db
      .insert(schema.callLogChildren)
      .values(
        logged.flatMap(({ call, log, id }) =>
          call.childIds.map((childId) => ({ callLogId: id, childId, mood: log.moods[childId] ?? null })),
        ),
      );
  }
}

/** A Home's households with their children (not archived or erased) and contacts (approved, not revoked). */
export async function loadHistoryHouseholds(db: Db, homeId: string): Promise<HistoryHousehold[]> {
  const kids = await db
    .select({ id: schema.children.id, householdId: schema.children.householdId })
    .from(schema.children)
    .where(
      and(eq(schema.children.homeId, homeId), isNull(schema.children.archivedAt), isNull(schema.children.erasedAt)),
    )
    .orderBy(schema.children.id);
  const householdIds = [...new Set(kids.map((kid) => kid.householdId))];
  const people =
    householdIds.length === 0
      ? []
      : await db
          .select({ id: schema.contacts.id, householdId: schema.contacts.householdId })
          .from(schema.contacts)
          .where(
            and(
              inArray(schema.contacts.householdId, householdIds),
              isNull(schema.contacts.revokedAt),
              isNotNull(schema.contacts.approvedAt),
            ),
          )
          .orderBy(schema.contacts.id);
  return householdIds.map((householdId) => ({
    householdId,
    childIds: kids.filter((kid) => kid.householdId === householdId).map((kid) => kid.id),
    contactIds: people.filter((person) => person.householdId === householdId).map((person) => person.id),
  }));
}

function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

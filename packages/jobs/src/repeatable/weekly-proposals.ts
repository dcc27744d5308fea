import { type BookingActor, proposeBooking, withBookableKiosks } from '@affection/bookings';
import {
  addCalendarDays,
  buildWeekProblem,
  canReachContact,
  type FairScheduleOptions,
  fairSchedule,
  nextMondayAfter,
  startOfLocalDay,
  wallClockOf,
} from '@affection/core';
import {
  type BookingWriteRejection,
  getChild,
  getContact,
  getHome,
  listLastCompletedCalls,
  loadSchedulingHome,
  type SmsMessageRecord,
} from '@affection/db';
import { enqueuePending, type HomeJobServices } from './home-job-services.ts';
import { storeRenderedSms } from './store-rendered-sms.ts';

/** What the weekly job asks of the fair scheduler (the scheduler bench reports this objective). */
export const WEEKLY_SCHEDULE_OPTIONS: FairScheduleOptions = { priority: 'longest-wait' };

/** What one run of {@link proposeWeek} did. */
export interface WeeklyProposalsReport {
  /** Monday of the week planned (`YYYY-MM-DD`, the Home's calendar). */
  week: string;
  /** Bookings stored as `proposed`. */
  proposed: number;
  /** Children those bookings reach. */
  childrenReached: number;
  /** Proposals the database refused (a kiosk, child or contact booked meanwhile, or the quota used up), by reason. */
  refused: Partial<Record<BookingWriteRejection, number>>;
  /** Parents told by SMS. */
  messages: number;
}

/** The dedupe key of the SMS telling a parent about a proposed call. */
export function proposalSmsKey(bookingId: string, version: number): string {
  return `${bookingId}-proposed-v${version}`;
}

/** Who the weekly proposals are, in the audit trail. */
const WEEKLY_PROPOSALS: BookingActor = { kind: 'system', job: 'weekly-proposals' };

/**
 * The weekly fair scheduler (Sunday evening in the Home's zone): plans the coming week — the Monday after today in the
 * Home's calendar — with `buildWeekProblem` (each contact's availability, free kiosks, quota, children already booked
 * that week left out) and `fairSchedule(problem, { priority: 'longest-wait' })`, stores each proposal as a booking
 * (`proposed`, source `auto`) through the booking layer's `proposeBooking` (audited, its lifecycle planned at once) —
 * the database's exclusion constraints and the weekly quota, counted again under the household's lock, refuse what
 * someone booked meanwhile — and tells each parent with a `call-proposed` SMS (none to a number that opted out). Running it again proposes only for children still without
 * a call that week.
 */
export async function proposeWeek(services: HomeJobServices, homeId: string): Promise<WeeklyProposalsReport | null> {
  const { db } = services;
  const now = services.now();
  const home = await getHome(db, homeId);
  if (!home) return null;
  const zone = home.timeZone;
  const week = nextMondayAfter(wallClockOf(now, zone).date);
  const weekStart = startOfLocalDay(week, zone);
  const weekEnd = startOfLocalDay(addCalendarDays(week, 7), zone);
  // A day either side: every booking that can touch the week's slots.
  const range = {
    start: startOfLocalDay(addCalendarDays(week, -1), zone),
    end: startOfLocalDay(addCalendarDays(week, 8), zone),
  };
  const [scheduling, lastCallAt] = await Promise.all([
    loadSchedulingHome(db, homeId, range),
    listLastCompletedCalls(db, homeId),
  ]);
  if (!scheduling) return null;
  const problem = buildWeekProblem({
    // Proposals go only to kiosks that can take a call: switched on, not revoked, enrolled by a tablet.
    calendar: withBookableKiosks(scheduling.calendar),
    week,
    households: scheduling.households,
    contacts: scheduling.contacts,
    windows: scheduling.windows,
    bookings: scheduling.bookings,
    lastCallAt,
    now,
  });
  const plan = fairSchedule(problem, WEEKLY_SCHEDULE_OPTIONS);
  const report: WeeklyProposalsReport = { week, proposed: 0, childrenReached: 0, refused: {}, messages: 0 };
  const stored: SmsMessageRecord[] = [];
  const deps = { db, now: () => now, events: services.bookingEvents };
  for (const proposal of plan.proposals) {
    const created = await proposeBooking(deps, WEEKLY_PROPOSALS, {
      homeId,
      kioskId: proposal.kioskId,
      householdId: proposal.householdId,
      contactId: proposal.contactId,
      childIds: proposal.childIds,
      start: proposal.slotStart,
      end: proposal.slotEnd,
      quota: { weekStart, weekEnd, limit: scheduling.calendar.settings.weeklyQuotaPerChild },
    });
    if (!created.ok) {
      report.refused[created.reason] = (report.refused[created.reason] ?? 0) + 1;
      continue;
    }
    report.proposed += 1;
    report.childrenReached += proposal.childIds.length;
    const { booking } = created;
    const contact = await getContact(db, homeId, booking.contactId);
    if (!contact || !canReachContact(contact, 'sms')) continue;
    const children = await Promise.all(booking.childIds.map((id) => getChild(db, homeId, id)));
    const childNames = children.flatMap((c) => (c && c.erasedAt === null ? [c.givenName] : []));
    if (childNames.length === 0) continue;
    const { message } = await storeRenderedSms(db, {
      homeId,
      home: { name: home.name, timeZone: zone },
      to: { phone: contact.phone, language: contact.language, timeZone: contact.timeZone },
      message: { kind: 'call-proposed', childNames, start: booking.start },
      dedupeKey: proposalSmsKey(booking.id, booking.version),
      bookingId: booking.id,
      contactId: contact.id,
      ...(services.smsPolicies ? { policies: services.smsPolicies } : {}),
      now,
    });
    stored.push(message);
  }
  report.messages = stored.length;
  await enqueuePending(services, stored);
  return report;
}

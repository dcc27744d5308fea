import { addCalendarDays, startOfLocalDay, wallClockOf } from '@affection/core';
import {
  getHome,
  listBookings,
  listNoContactChildren,
  listOnDuty,
  listStaff,
  type SmsMessageRecord,
} from '@affection/db';
import { enqueuePending, type HomeJobServices, STAFF_SMS_LANGUAGE } from './home-job-services.ts';
import { storeRenderedSms } from './store-rendered-sms.ts';

/** What one run of {@link sendDutyDigest} did. */
export interface DutyDigestReport {
  /** The Home's date the digest is for. */
  date: string;
  /** Calls due that day (proposed, confirmed or running). */
  callCount: number;
  /** Duty teachers with a phone, each sent (or already sent) one digest. */
  recipients: number;
}

/** The dedupe key of a duty teacher's digest for one day. */
export function dutyDigestKey(homeId: string, date: string, staffId: string): string {
  return `${homeId}-duty-digest-${date}-${staffId}`;
}

/**
 * The morning digest (07:30 in the Home's zone): one `duty-digest` SMS to each of the day's duty teachers with a
 * phone — the day's calls (how many, and when the first is) and how many children have had no call for the Home's
 * `noContactAlertDays`. The day is the Home's date at `now`. Idempotent per teacher and day (dedupe key
 * `<home>-duty-digest-<date>-<staff>`), so a repeated run sends nothing new.
 */
export async function sendDutyDigest(services: HomeJobServices, homeId: string): Promise<DutyDigestReport | null> {
  const { db } = services;
  const now = services.now();
  const home = await getHome(db, homeId);
  if (!home) return null;
  const date = wallClockOf(now, home.timeZone).date;
  const dayStart = startOfLocalDay(date, home.timeZone);
  const dayEnd = startOfLocalDay(addCalendarDays(date, 1), home.timeZone);
  const [duty, staff, bookings, noContact] = await Promise.all([
    listOnDuty(db, homeId, date),
    listStaff(db, homeId),
    listBookings(db, homeId, { from: dayStart, to: dayEnd, statuses: ['proposed', 'confirmed', 'in-progress'] }),
    listNoContactChildren(db, homeId, { now, days: home.noContactAlertDays }),
  ]);
  const calls = bookings.filter((b) => b.start >= dayStart && b.start < dayEnd);
  const phones = new Map(staff.filter((s) => s.active && s.phone).map((s) => [s.id, s.phone!]));
  const stored: SmsMessageRecord[] = [];
  for (const member of duty.staff) {
    const phone = phones.get(member.staffId);
    if (!phone) continue;
    const { message } = await storeRenderedSms(db, {
      homeId,
      home: { name: home.name, timeZone: home.timeZone },
      to: { phone, language: STAFF_SMS_LANGUAGE, timeZone: home.timeZone },
      message: {
        kind: 'duty-digest',
        day: now,
        callCount: calls.length,
        firstStart: calls[0]?.start,
        noContactCount: noContact.length,
        noContactDays: home.noContactAlertDays,
      },
      dedupeKey: dutyDigestKey(homeId, date, member.staffId),
      ...(services.smsPolicies ? { policies: services.smsPolicies } : {}),
      now,
    });
    stored.push(message);
  }
  await enqueuePending(services, stored);
  return { date, callCount: calls.length, recipients: stored.length };
}

import { getHome, listNoContactChildren, type SmsMessageRecord } from '@affection/db';
import { enqueuePending, type HomeJobServices, STAFF_SMS_LANGUAGE } from './home-job-services.ts';
import { storeRenderedSms } from './store-rendered-sms.ts';

/** What one run of {@link sendNoContactAlerts} did. */
export interface NoContactAlertReport {
  /** Children without a completed call for the Home's `noContactAlertDays`. */
  children: number;
  /** SMS to paired teachers stored (or found stored) by this run. */
  messages: number;
}

/**
 * The dedupe key of one alert: the child, what the wait counts from, which multiple of the alert period it has
 * reached, and the teacher. So a teacher hears once at N days, again at 2N, 3N… and not every morning; a completed
 * call starts a new count.
 */
export function noContactAlertKey(childId: string, since: Date, periods: number, staffId: string): string {
  return `${childId}-no-contact-${since.toISOString()}-x${periods}-${staffId}`;
}

/**
 * The daily no-contact alert: for each child of the Home without a completed call for `noContactAlertDays` (default
 * 14) days, one `no-contact-alert` SMS to each paired teacher with a phone. Repeated runs send nothing new until the
 * wait reaches the next multiple of the period (see {@link noContactAlertKey}).
 */
export async function sendNoContactAlerts(
  services: HomeJobServices,
  homeId: string,
): Promise<NoContactAlertReport | null> {
  const { db } = services;
  const now = services.now();
  const home = await getHome(db, homeId);
  if (!home) return null;
  const days = home.noContactAlertDays;
  const children = await listNoContactChildren(db, homeId, { now, days });
  const stored: SmsMessageRecord[] = [];
  for (const child of children) {
    const periods = Math.floor(child.daysWithoutContact / days);
    for (const teacher of child.pairedTeachers) {
      if (!teacher.phone) continue;
      const { message } = await storeRenderedSms(db, {
        homeId,
        home: { name: home.name, timeZone: home.timeZone },
        to: { phone: teacher.phone, language: STAFF_SMS_LANGUAGE, timeZone: home.timeZone },
        message: {
          kind: 'no-contact-alert',
          childNames: [`${child.familyName}${child.givenName}`],
          daysWithoutContact: child.daysWithoutContact,
        },
        dedupeKey: noContactAlertKey(child.childId, child.since, periods, teacher.staffId),
        ...(services.smsPolicies ? { policies: services.smsPolicies } : {}),
        now,
      });
      stored.push(message);
    }
  }
  await enqueuePending(services, stored);
  return { children: children.length, messages: stored.length };
}

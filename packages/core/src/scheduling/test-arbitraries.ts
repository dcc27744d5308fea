import fc from 'fast-check';
import type {
  HomeCalendar,
  SchedulingAvailabilityWindow,
  SchedulingBooking,
  SchedulingOpeningException,
  SchedulingOpeningRule,
  Weekday,
} from './types.ts';

// fast-check generators shared by this folder's property tests.

/** Zones with and without DST, with half- and quarter-hour offsets, on both hemispheres. */
export const zoneArb = fc.constantFrom(
  'Asia/Shanghai',
  'Europe/Madrid',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'UTC',
);

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A clock time; one in four on a 5-minute grid, the rest any minute, `24:00` included. */
export const clockArb = fc.oneof(
  fc.integer({ min: 0, max: 288 }).map((n) => hhmm(n * 5)),
  fc.integer({ min: 0, max: 1440 }).map(hhmm),
);

/** A start and end, half of the time a wide daytime span so that rules and windows often meet. */
const spanArb = fc.oneof(
  fc.record({ startTime: clockArb, endTime: clockArb }),
  fc.record({
    startTime: fc.integer({ min: 0, max: 12 * 12 }).map((n) => hhmm(n * 5)),
    endTime: fc.integer({ min: 12 * 12, max: 288 }).map((n) => hhmm(n * 5)),
  }),
);

/** An ISO weekday. */
export const weekdayArb = fc.integer({ min: 1, max: 7 }).map((n) => n as Weekday);

/** Instants in 2026, a year with DST changes in most of the zones above. */
export const instantArb = fc
  .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 20) })
  .map((ms) => new Date(ms));

const ruleArb: fc.Arbitrary<SchedulingOpeningRule> = fc
  .tuple(weekdayArb, spanArb)
  .map(([weekday, span]) => ({ weekday, ...span }));

/** A Home with random settings, rules, exceptions near `now`, and kiosks. */
export function homeArb(now: Date): fc.Arbitrary<HomeCalendar> {
  const dates = fc
    .integer({ min: -2, max: 16 })
    .map((d) => new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10));
  const exceptionArb: fc.Arbitrary<SchedulingOpeningException> = fc.oneof(
    fc.record({ date: dates, closed: fc.constant(true) }),
    fc.record({ date: dates, closed: fc.constant(false), startTime: clockArb, endTime: clockArb }),
  );
  return fc.record({
    settings: fc.record({
      timeZone: zoneArb,
      slotMinutes: fc.integer({ min: 5, max: 60 }),
      bufferMinutes: fc.integer({ min: 0, max: 20 }),
      weeklyQuotaPerChild: fc.integer({ min: 0, max: 6 }).map((n) => Math.min(n, 3)),
      bookingHorizonDays: fc.integer({ min: 1, max: 14 }),
      minNoticeMinutes: fc.integer({ min: 0, max: 12 * 60 }),
    }),
    openingRules: fc.array(ruleArb, { minLength: 1, maxLength: 12 }),
    openingExceptions: fc.array(exceptionArb, { maxLength: 4 }),
    kiosks: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom('kio_1', 'kio_2', 'kio_3', 'kio_4'),
        enabled: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
      }),
      { selector: (k) => k.id, minLength: 1, maxLength: 4 },
    ),
  });
}

/** Availability windows of one contact. */
export function windowsArb(contactId: string): fc.Arbitrary<SchedulingAvailabilityWindow[]> {
  return fc.array(
    fc.tuple(weekdayArb, spanArb).map(([weekday, span]) => ({ contactId, weekday, ...span })),
    { maxLength: 8 },
  );
}

/** Bookings around `now` on the given kiosks, children and contacts, in any status. */
export function bookingsArb(
  now: Date,
  ids: { kioskIds: string[]; childIds: string[]; contactIds: string[] },
): fc.Arbitrary<SchedulingBooking[]> {
  const bookingArb = fc.record({
    offsetMinutes: fc.integer({ min: -2 * 1440, max: 16 * 1440 }),
    minutes: fc.integer({ min: 5, max: 90 }),
    kioskId: fc.constantFrom(...ids.kioskIds),
    childIds: fc.subarray(ids.childIds),
    contactIds: fc.subarray(ids.contactIds),
    status: fc.constantFrom<SchedulingBooking['status'][]>(
      'proposed',
      'confirmed',
      'in-progress',
      'completed',
      'missed',
      'cancelled',
      'declined',
    ),
  });
  return fc.array(bookingArb, { maxLength: 12 }).map((list) =>
    list.map((b, i): SchedulingBooking => {
      const start = Math.floor(now.getTime() / 60_000) * 60_000 + b.offsetMinutes * 60_000;
      return {
        id: `bkg_${i}`,
        kioskId: b.kioskId,
        childIds: b.childIds,
        contactIds: b.contactIds,
        start: new Date(start),
        end: new Date(start + b.minutes * 60_000),
        status: b.status,
      };
    }),
  );
}

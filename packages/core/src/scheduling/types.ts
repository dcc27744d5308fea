import { IANAZone } from 'luxon';
import { z } from 'zod';

// The entity shapes here are named `Scheduling…` because the domain records (`Contact`, `Household`, `Kiosk`, …) are
// the repository shapes; these are the few fields scheduling reads, so a record can be passed wherever they match.

/**
 * A wall-clock time `HH:MM`, from `00:00` to `24:00` (the end of the day).
 * @example ClockTimeSchema.parse('12:15')
 */
export const ClockTimeSchema = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:MM');

/** A calendar date `YYYY-MM-DD` (no zone: it is read in whichever zone the owner lives in). */
export const IsoDateSchema = z.iso.date();

/** An IANA time zone name such as `Asia/Shanghai` or `Europe/Madrid`. */
export const TimeZoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), 'expected an IANA time zone');

/** ISO weekday: Monday = 1 … Sunday = 7. */
export const WeekdaySchema = z.literal([1, 2, 3, 4, 5, 6, 7]);
/** ISO weekday: Monday = 1 … Sunday = 7. */
export type Weekday = z.infer<typeof WeekdaySchema>;

/** How a Home cuts its opening hours into bookable calls. */
export const HomeSettingsSchema = z.object({
  /** The Home's IANA zone; it decides opening hours and quota weeks. */
  timeZone: TimeZoneSchema,
  /** Length of one call. */
  slotMinutes: z.int().positive(),
  /** Gap after each call before the next slot on the same kiosk starts. */
  bufferMinutes: z.int().nonnegative(),
  /** Calls a child may have per week (weeks start on Monday in the Home's zone). */
  weeklyQuotaPerChild: z.int().nonnegative(),
  /** How far ahead a slot may start, in calendar days from now. */
  bookingHorizonDays: z.int().positive(),
  /** How soon a slot may start, in minutes from now. */
  minNoticeMinutes: z.int().nonnegative(),
});
/** How a Home cuts its opening hours into bookable calls. */
export type HomeSettings = z.infer<typeof HomeSettingsSchema>;

/**
 * A weekly opening range in the Home's zone. A range whose end is not after its start opens nothing.
 * @example { weekday: 1, startTime: '12:00', endTime: '13:30' }
 */
export const SchedulingOpeningRuleSchema = z.object({
  weekday: WeekdaySchema,
  startTime: ClockTimeSchema,
  endTime: ClockTimeSchema,
});
/** A weekly opening range in the Home's zone; an `OpeningRule` record fits as is. */
export type SchedulingOpeningRule = z.infer<typeof SchedulingOpeningRuleSchema>;

/**
 * A dated exception in the Home's zone. Any exception on a date replaces that day's weekly rules: `closed: true`
 * adds no hours (a holiday), `closed: false` with `startTime`/`endTime` adds one range (a happy week, a special
 * day); several exceptions on one date give several ranges.
 */
export const SchedulingOpeningExceptionSchema = z
  .object({
    date: IsoDateSchema,
    closed: z.boolean(),
    startTime: ClockTimeSchema.nullish(),
    endTime: ClockTimeSchema.nullish(),
  })
  .refine((e) => e.closed || (typeof e.startTime === 'string' && typeof e.endTime === 'string'), {
    message: 'an open exception needs startTime and endTime',
  });
/**
 * A dated exception in the Home's zone; see {@link SchedulingOpeningExceptionSchema}. An `OpeningException` record
 * fits as is.
 */
export type SchedulingOpeningException = z.infer<typeof SchedulingOpeningExceptionSchema>;

/** A shared call kiosk in the Home; only enabled kiosks take calls. */
export const SchedulingKioskSchema = z.object({ id: z.string().startsWith('kio_'), enabled: z.boolean() });
/** A shared call kiosk in the Home; a `Kiosk` record fits as is. */
export type SchedulingKiosk = z.infer<typeof SchedulingKioskSchema>;

/**
 * When a contact can take calls, weekly, in the CONTACT's own zone. A window whose end is not after its start runs
 * past midnight into the next day (a night-shift worker's `22:00`–`01:00`).
 */
export const SchedulingAvailabilityWindowSchema = z.object({
  contactId: z.string().startsWith('cnt_'),
  weekday: WeekdaySchema,
  startTime: ClockTimeSchema,
  endTime: ClockTimeSchema,
});
/** When a contact can take calls, weekly, in the contact's own zone; an `AvailabilityWindow` record fits as is. */
export type SchedulingAvailabilityWindow = z.infer<typeof SchedulingAvailabilityWindowSchema>;

/** A parent or guardian; only approved contacts can be booked. */
export const SchedulingContactSchema = z.object({
  id: z.string().startsWith('cnt_'),
  timeZone: TimeZoneSchema,
  approved: z.boolean(),
});
/** A parent or guardian as scheduling sees them: a `Contact` record plus `approved` (see `isContactApproved`). */
export type SchedulingContact = z.infer<typeof SchedulingContactSchema>;

/** Siblings and the contacts they share: one call reaches every child of the household. */
export const SchedulingHouseholdSchema = z.object({
  id: z.string().startsWith('hsh_'),
  childIds: z.array(z.string().startsWith('chd_')).min(1),
  contactIds: z.array(z.string().startsWith('cnt_')),
});
/** Siblings and the contacts they share: a `Household` record joined with its children's and contacts' ids. */
export type SchedulingHousehold = z.infer<typeof SchedulingHouseholdSchema>;

/**
 * Booking lifecycle, as stored. `proposed` (by the weekly scheduler, awaiting the parent), `confirmed`, `in-progress`
 * and `completed` are active: they hold the kiosk, the children and the contact, and count towards the weekly quota.
 * `missed` (a no-show, to be offered a new slot), `cancelled` and `declined` (a proposal the parent turned down) hold
 * nothing.
 */
export const BookingStatusSchema = z.enum([
  'proposed',
  'confirmed',
  'in-progress',
  'completed',
  'missed',
  'cancelled',
  'declined',
]);
/** Booking lifecycle; see {@link BookingStatusSchema}. */
export type BookingStatus = z.infer<typeof BookingStatusSchema>;

/** An existing booking; start and end are UTC instants. */
export const SchedulingBookingSchema = z.object({
  id: z.string().startsWith('bkg_'),
  kioskId: z.string().startsWith('kio_'),
  childIds: z.array(z.string().startsWith('chd_')),
  contactIds: z.array(z.string().startsWith('cnt_')),
  start: z.date(),
  end: z.date(),
  status: BookingStatusSchema,
});
/** An existing booking; start and end are UTC instants. */
export type SchedulingBooking = z.infer<typeof SchedulingBookingSchema>;

/** Everything about a Home that decides its slots: settings, weekly rules, dated exceptions and kiosks. */
export interface HomeCalendar {
  settings: HomeSettings;
  openingRules: readonly SchedulingOpeningRule[];
  openingExceptions: readonly SchedulingOpeningException[];
  kiosks: readonly SchedulingKiosk[];
}

/** A half-open span of time `[start, end)` between two UTC instants. */
export interface TimeRange {
  start: Date;
  end: Date;
}

/** A bookable slot and the kiosks still free in it (each free kiosk is one call's worth of capacity). */
export interface FreeSlot extends TimeRange {
  kioskIds: string[];
}

/**
 * Calls already counted against each child's weekly quota: child id → Monday of the week (`YYYY-MM-DD`, Home zone)
 * → number of calls. Build it with `countQuotaUsage` or from your own records.
 */
export type QuotaUsage = ReadonlyMap<string, ReadonlyMap<string, number>>;

import { z } from '@hono/zod-openapi';
import { idOf, textOf } from '../common-schemas.ts';

const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);

/** A UTC instant as ISO 8601 with a zone designator, between 2000 and 2100. */
export const InstantSchema = z
  .string()
  .datetime({ offset: true, message: 'validation.invalid_format' })
  .refine((value) => {
    const ms = Date.parse(value);
    return ms >= EARLIEST_MS && ms < LATEST_MS;
  }, 'validation.invalid')
  .openapi({ example: '2026-09-07T04:00:00Z' });

/** Longest range a list or slot query may span. */
export const MAX_RANGE_DAYS = 92;

/** `from`/`to` of a query, both optional. */
export const OptionalRangeShape = { from: InstantSchema.optional(), to: InstantSchema.optional() };

/** `from`/`to` of a query, both required. */
export const RequiredRangeShape = { from: InstantSchema, to: InstantSchema };

/** Whether `to` is after `from` and at most {@link MAX_RANGE_DAYS} later (true when one is missing). */
export function isRangeValid(query: { from?: string; to?: string }): boolean {
  if (!query.from || !query.to) return true;
  const span = Date.parse(query.to) - Date.parse(query.from);
  return span > 0 && span <= MAX_RANGE_DAYS * 86_400_000;
}

/** The problem reported when {@link isRangeValid} fails. */
export const RANGE_PROBLEM = { message: 'validation.time_order', path: ['to'] };

/** A span read in one zone. */
export const ZonedSpanSchema = z
  .object({
    timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    date: z.string().openapi({ example: '2026-09-07' }),
    startTime: z.string().openapi({ example: '12:00' }),
    endTime: z.string().openapi({ example: '12:15' }),
  })
  .openapi('ZonedSpan');

/** A booking as the API shows it. */
export const BookingSchema = z
  .object({
    id: z.string().openapi({ example: 'bkg_7m2k9x4q1b8c0d5e' }),
    kioskId: z.string(),
    householdId: z.string(),
    contactId: z.string(),
    secondContactId: z.string().nullable(),
    childIds: z.array(z.string()),
    start: z.string().datetime(),
    end: z.string().datetime(),
    status: z.enum(['proposed', 'confirmed', 'in-progress', 'completed', 'missed', 'cancelled', 'declined']),
    source: z.enum(['teacher', 'parent', 'auto', 'adhoc']),
    seriesId: z.string().nullable(),
    version: z.number().int(),
    cancelReason: z.string().nullable(),
    inHomeZone: ZonedSpanSchema,
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Booking');

/** A booking as its family sees it: also in the contact's own zone. */
export const FamilyBookingSchema = BookingSchema.extend({ inContactZone: ZonedSpanSchema }).openapi('FamilyBooking');

/** A bookable slot for one household and contact. */
export const SlotSchema = z
  .object({
    start: z.string().datetime(),
    end: z.string().datetime(),
    /** Kiosks still free: each is one call's worth of capacity. */
    freeKiosks: z.number().int(),
    inHomeZone: ZonedSpanSchema,
    inContactZone: ZonedSpanSchema,
  })
  .openapi('Slot');

/** The answer of the available-slots routes. */
export const AvailableSlotsSchema = z
  .object({
    householdId: z.string(),
    contactId: z.string(),
    from: z.string().datetime(),
    to: z.string().datetime(),
    slots: z.array(SlotSchema),
  })
  .openapi('AvailableSlots');

/** Who a booking is for: the household's contact(s) and, by default, all its active children. */
const bookingPartyShape = {
  secondContactId: idOf('cnt')
    .nullable()
    .optional()
    .openapi({ description: 'A second approved contact of the household, for a three-way call' }),
  childIds: z
    .array(idOf('chd'))
    .min(1)
    .max(10)
    .optional()
    .openapi({ description: "Default: all the household's active children (siblings share one call)" }),
};

/** Body of `POST /api/bookings`. */
export const CreateBookingSchema = z
  .object({
    householdId: idOf('hsh'),
    contactId: idOf('cnt'),
    ...bookingPartyShape,
    start: InstantSchema,
    kioskId: idOf('kio').optional().openapi({ description: 'Default: the server picks a free kiosk' }),
    source: z
      .enum(['teacher', 'auto'])
      .default('teacher')
      .openapi({ description: '`auto` books a proposal (status proposed) awaiting the parent' }),
  })
  .strict()
  .openapi('CreateBooking');

/** Body of `POST /api/family/bookings`. */
export const CreateFamilyBookingSchema = z
  .object({
    contactId: idOf('cnt').optional().openapi({ description: 'Default: the signed-in contact' }),
    ...bookingPartyShape,
    start: InstantSchema,
  })
  .strict()
  .openapi('CreateFamilyBooking');

/** Body of `POST /api/bookings/{id}/reschedule`. */
export const RescheduleBookingSchema = z
  .object({
    start: InstantSchema,
    kioskId: idOf('kio').optional().openapi({ description: 'Default: the same kiosk if free, else a free one' }),
    version: z.number().int().min(1).optional().openapi({ description: 'Refuse if the booking changed meanwhile' }),
  })
  .strict()
  .openapi('RescheduleBooking');

/** Body of the cancel routes. */
export const CancelBookingSchema = z
  .object({
    reason: textOf(500).openapi({ example: '家长临时加班' }),
    version: z.number().int().min(1).optional().openapi({ description: 'Refuse if the booking changed meanwhile' }),
  })
  .strict()
  .openapi('CancelBooking');

/** Body of `POST /api/bookings/adhoc`. */
export const AdhocBookingSchema = z
  .object({ householdId: idOf('hsh'), contactId: idOf('cnt'), ...bookingPartyShape })
  .strict()
  .openapi('AdhocBooking');

/** Most weeks a standing series may be materialised ahead. */
export const MAX_SERIES_WEEKS = 26;

/** Body of `POST /api/bookings/series`. */
export const CreateSeriesSchema = z
  .object({
    householdId: idOf('hsh'),
    contactId: idOf('cnt'),
    ...bookingPartyShape,
    start: InstantSchema.openapi({ description: 'The first occurrence; the others follow weekly at the same time' }),
    weeks: z.number().int().min(1).max(MAX_SERIES_WEEKS).openapi({ example: 12 }),
    kioskId: idOf('kio').optional(),
  })
  .strict()
  .openapi('CreateSeries');

/** An occurrence of a series that could not be booked or moved. */
export const SkippedOccurrenceSchema = z.object({
  start: z.string().datetime(),
  bookingId: z.string().nullable(),
  reason: z.string(),
});

/** The answer of the series routes. */
export const SeriesResultSchema = z
  .object({
    seriesId: z.string().openapi({ example: 'ser_7m2k9x4q1b8c0d5e' }),
    bookings: z.array(BookingSchema),
    skipped: z.array(SkippedOccurrenceSchema),
  })
  .openapi('SeriesResult');

/** Body of `POST /api/bookings/series/{id}/reschedule`. */
export const RescheduleSeriesSchema = z
  .object({
    startTime: z
      .string()
      .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'validation.time')
      .openapi({ example: '12:20', description: "New time of day, in the Home's zone" }),
    weekday: z.number().int().min(1).max(7).optional().openapi({ description: 'New ISO weekday; default: unchanged' }),
    kioskId: idOf('kio').optional(),
    from: InstantSchema.optional().openapi({ description: 'Only occurrences starting from here; default now' }),
  })
  .strict()
  .openapi('RescheduleSeries');

/** Body of `POST /api/bookings/series/{id}/cancel`. */
export const CancelSeriesSchema = z
  .object({
    reason: textOf(500),
    from: InstantSchema.optional().openapi({ description: 'Only occurrences starting from here; default now' }),
  })
  .strict()
  .openapi('CancelSeries');

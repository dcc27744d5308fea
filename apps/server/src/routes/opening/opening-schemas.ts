import { addCalendarDays } from '@affection/core';
import { z } from '@hono/zod-openapi';
import { BookingPartySchema } from '../bookings/booking-directory.ts';
import { ZonedSpanSchema } from '../bookings/booking-schemas.ts';
import { DateSchema, idOf, textOf, WallTimeSchema, WeekdaySchema } from '../common-schemas.ts';

/** A weekly opening range, in the Home's zone. */
export const OpeningRuleSchema = z
  .object({
    id: z.string().openapi({ example: 'opr_7m2k9x4q1b8c0d5e' }),
    weekday: z.number().int().openapi({ example: 1, description: 'ISO weekday, Monday = 1' }),
    startTime: z.string().openapi({ example: '12:00' }),
    endTime: z.string().openapi({ example: '13:30' }),
  })
  .openapi('OpeningRule');

/** A dated exception: closed all day, or open at these hours instead of the weekly rules. */
export const OpeningExceptionSchema = z
  .object({
    id: z.string().openapi({ example: 'opx_7m2k9x4q1b8c0d5e' }),
    date: z.string().openapi({ example: '2026-10-01' }),
    closed: z.boolean(),
    startTime: z.string().nullable().openapi({ example: null }),
    endTime: z.string().nullable().openapi({ example: null }),
    note: z.string().nullable().openapi({ example: '国庆节' }),
  })
  .openapi('OpeningException');

/** Whether two 'HH:MM' ranges share a minute (touching ends do not). */
export function rangesOverlap(a: { startTime: string; endTime: string }, b: { startTime: string; endTime: string }) {
  return a.startTime < b.endTime && b.startTime < a.endTime;
}

const RuleInputSchema = z
  .object({ weekday: WeekdaySchema, startTime: WallTimeSchema, endTime: WallTimeSchema })
  .strict()
  .refine((r) => r.startTime < r.endTime, { message: 'validation.time_order', path: ['endTime'] });

/** Body of `PUT /api/opening/rules`: the whole weekly timetable; ranges on a weekday must not overlap. */
export const ReplaceOpeningRulesSchema = z
  .array(RuleInputSchema)
  .max(70)
  .superRefine((rules, ctx) => {
    rules.forEach((rule, i) => {
      const clash = rules.findIndex(
        (other, j) => j !== i && other.weekday === rule.weekday && rangesOverlap(rule, other),
      );
      if (clash !== -1) ctx.addIssue({ code: 'custom', message: 'validation.overlap', path: [i, 'startTime'] });
    });
  })
  .openapi('ReplaceOpeningRules', { example: [{ weekday: 1, startTime: '12:00', endTime: '13:30' }] });

/** What to do with the booked calls a change leaves outside the hours: cancel them (families told) or keep them. */
export const OnBookingsSchema = z.enum(['cancel', 'keep']).openapi({
  description: 'Required when the change leaves booked calls outside the hours (else 409 bookings-affected)',
});

const ExceptionShape = {
  date: DateSchema,
  closed: z.boolean(),
  startTime: WallTimeSchema.optional(),
  endTime: WallTimeSchema.optional(),
  note: textOf(100).nullable().optional(),
};

/** A closed day has no times; special hours need both, start before end. */
function checkExceptionTimes(
  e: { closed: boolean; startTime?: string | undefined; endTime?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (e.closed) {
    for (const field of ['startTime', 'endTime'] as const) {
      if (e[field] !== undefined)
        ctx.addIssue({ code: 'custom', message: 'validation.closed_no_times', path: [field] });
    }
    return;
  }
  for (const field of ['startTime', 'endTime'] as const) {
    if (e[field] === undefined) ctx.addIssue({ code: 'custom', message: 'validation.required', path: [field] });
  }
  if (e.startTime && e.endTime && e.startTime >= e.endTime) {
    ctx.addIssue({ code: 'custom', message: 'validation.time_order', path: ['endTime'] });
  }
}

/** Body of `POST /api/opening/exceptions`. */
export const CreateOpeningExceptionSchema = z
  .object({ ...ExceptionShape, onBookings: OnBookingsSchema.optional() })
  .strict()
  .superRefine(checkExceptionTimes)
  .openapi('CreateOpeningException');

/** The longest closure one request may make, in days (both ends counted). */
export const MAX_CLOSURE_DAYS = 62;

const ClosureShape = {
  from: DateSchema,
  to: DateSchema,
  note: textOf(100).nullable().optional(),
};

/** The days from `from` to `to`, both counted ('YYYY-MM-DD'). */
export function daysOfRange(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) days.push(day);
  return days;
}

/** How many days `from` to `to` span, both counted, worked out without listing them (any two dates may come in). */
function dayCountOf(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
}

function checkClosureRange(c: { from: string; to: string }, ctx: z.RefinementCtx): void {
  if (c.to < c.from) {
    ctx.addIssue({ code: 'custom', message: 'validation.date_order', path: ['to'] });
  } else if (dayCountOf(c.from, c.to) > MAX_CLOSURE_DAYS) {
    ctx.addIssue({ code: 'custom', message: 'validation.range_too_long', path: ['to'] });
  }
}

/** Body of `POST /api/opening/closures`: closed every day from `from` to `to` (both included, at most 62 days). */
export const CreateClosureSchema = z
  .object({ ...ClosureShape, onBookings: OnBookingsSchema.optional() })
  .strict()
  .superRefine(checkClosureRange)
  .openapi('CreateClosure', {
    example: { from: '2026-10-01', to: '2026-10-07', note: '国庆节', onBookings: 'cancel' },
  });

/** `?onBookings=` of the routes whose body is a list or empty. */
export const OnBookingsQuerySchema = z.object({ onBookings: OnBookingsSchema.optional() });

/** Body of `POST /api/opening/preview`: one change, as its saving route takes it (without the choice). */
export const PreviewOpeningChangeSchema = z
  .discriminatedUnion('change', [
    z.object({ change: z.literal('rules'), rules: ReplaceOpeningRulesSchema }).strict(),
    z
      .object({ change: z.literal('exception'), ...ExceptionShape })
      .strict()
      .superRefine(checkExceptionTimes),
    z
      .object({ change: z.literal('closure'), ...ClosureShape })
      .strict()
      .superRefine(checkClosureRange),
    z.object({ change: z.literal('delete-exception'), id: idOf('opx') }).strict(),
  ])
  .openapi('PreviewOpeningChange', {
    example: { change: 'closure', from: '2026-10-01', to: '2026-10-07', note: '国庆节' },
  });

/** A booked call a change leaves outside the hours: when, on which kiosk, and who it is for. */
export const OutsideBookingSchema = z
  .object({
    id: z.string().openapi({ example: 'bkg_7m2k9x4q1b8c0d5e' }),
    status: z.string().openapi({ example: 'confirmed' }),
    version: z.number().int(),
    start: z.string().datetime(),
    end: z.string().datetime(),
    inHomeZone: ZonedSpanSchema,
    kioskId: z.string(),
    kioskName: z.string().openapi({ example: '1号机' }),
    party: BookingPartySchema,
    underWay: z.boolean().openapi({
      description: 'The call has started: it is never cancelled for a change of hours and ends as it would',
    }),
  })
  .openapi('OutsideBooking');

/** What a saved change did with the calls it left outside the hours. */
export const OutsideBookingsResultSchema = z
  .object({
    cancelled: z.array(OutsideBookingSchema),
    kept: z.array(OutsideBookingSchema),
  })
  .openapi('OutsideBookingsResult');

/** `?from=&to=` date bounds (inclusive). */
export const DateRangeQuerySchema = z.object({
  from: DateSchema.optional(),
  to: DateSchema.optional(),
});

import { z } from '@hono/zod-openapi';
import { errorResponses, idOf } from '../common-schemas.ts';

/** Longest period a report may span: one year (`to` is before the same day a year after `from`). */
export const MAX_REPORT_YEARS = 1;

/** Largest page of a report's list (the console prints a ledger by reading every page). */
export const MAX_REPORT_PAGE = 500;

/** Whether a value is a day that exists, written `YYYY-MM-DD` (`2026-02-30` is not). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/**
 * Whether `to` is on or after `from`. True while either is missing or not a day: the field's own check speaks
 * then (zod runs an object's refinements even when a field failed its check).
 */
export function isPeriodOrdered(query: { from?: unknown; to?: unknown }): boolean {
  if (!isCalendarDay(query.from) || !isCalendarDay(query.to)) return true;
  return query.from <= query.to;
}

/**
 * Whether the period is at most {@link MAX_REPORT_YEARS} year long: `to` comes before `from` plus a year. True while
 * either is missing or not a day (the field's own check speaks then).
 */
export function isPeriodShortEnough(query: { from?: unknown; to?: unknown }): boolean {
  if (!isCalendarDay(query.from) || !isCalendarDay(query.to)) return true;
  const [year, month, day] = query.from.split('-').map(Number) as [number, number, number];
  const limit = new Date(Date.UTC(year + MAX_REPORT_YEARS, month - 1, day)).toISOString().slice(0, 10);
  return query.to < limit;
}

/** A day in the Home's zone, `YYYY-MM-DD`: one check, so a bad day gives the field one message (`validation.date`). */
const ReportDaySchema = z.string().refine(isCalendarDay, 'validation.date');

/** `from`/`to`: days in the Home's zone, both included. */
const PeriodShape = {
  from: ReportDaySchema.openapi({
    description: "First day, in the Home's zone (included)",
    format: 'date',
    example: '2026-09-01',
  }),
  to: ReportDaySchema.openapi({
    description: "Last day, in the Home's zone (included)",
    format: 'date',
    example: '2027-01-31',
  }),
};

/** `?limit=&cursor=` paging of a report's list; the answer's `nextCursor` fetches the next page. */
const PageShape = {
  limit: z.coerce.number().int().min(1).max(MAX_REPORT_PAGE).default(100).openapi({ example: 100 }),
  cursor: z
    .string()
    .max(400)
    .regex(/^[A-Za-z0-9_-]+$/, 'validation.invalid_format')
    .optional()
    .openapi({ description: 'The `nextCursor` of the page before; absent for the first page' }),
};

/** Adds the period checks (order, at most a year) to a query schema with `from` and `to`. */
function withPeriodChecks<T extends z.ZodType<{ from?: string; to?: string }>>(schema: T) {
  return schema
    .refine(isPeriodOrdered, { message: 'validation.time_order', path: ['to'] })
    .refine(isPeriodShortEnough, { message: 'validation.period_too_long', path: ['to'] });
}

/** Query of a report over a period, paged. */
export const PeriodPageQuerySchema = withPeriodChecks(z.object({ ...PeriodShape, ...PageShape }));

/** Query of the monthly summary (all months of the period in one answer). */
export const PeriodQuerySchema = withPeriodChecks(z.object(PeriodShape));

/** Query of `GET /api/reports/summary`. */
export const SummaryQuerySchema = withPeriodChecks(
  z.object({
    ...PeriodShape,
    scope: z
      .enum(['home', 'teacher', 'child'])
      .default('home')
      .openapi({ description: 'The whole Home, one teacher’s paired children, or one child' }),
    staffId: idOf('stf')
      .optional()
      .openapi({ description: 'For scope=teacher: the teacher (a teacher may leave it out: themselves)' }),
    childId: idOf('chd').optional().openapi({ description: 'For scope=child: the child' }),
    includeWeeks: z.enum(['true', 'false']).optional().openapi({
      description: 'true: count each week (Monday to Sunday) of the period too, in `weeks`. Default false',
    }),
    ...PageShape,
  }),
);

/** Query of the roster: the period is optional (without it, the children on the roll today). */
export const RosterQuerySchema = withPeriodChecks(
  z.object({
    from: PeriodShape.from.optional(),
    to: PeriodShape.to.optional(),
    phones: z
      .enum(['masked', 'whole'])
      .default('masked')
      .openapi({ description: 'whole: whole numbers, for the admin only (audited)' }),
    ...PageShape,
  }),
).refine((query) => (query.from === undefined) === (query.to === undefined), {
  message: 'validation.required',
  path: ['to'],
});

/** The Home a report is about. */
export const ReportHomeSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
});

/** The days a report covers, in the Home's zone, both included. */
export const ReportPeriodSchema = z.object({
  from: z.string().openapi({ example: '2026-09-01' }),
  to: z.string().openapi({ example: '2027-01-31' }),
});

/** The counts of a period (or of one month of it). */
export const ReportCountsSchema = z.object({
  children: z.number().int().openapi({ description: 'Children on the roll during the period (in scope)' }),
  callsBooked: z
    .number()
    .int()
    .openapi({ description: 'Calls booked to start in the period (confirmed, under way, done or missed)' }),
  callsCompleted: z.number().int().openapi({ description: 'Of those, calls that took place' }),
  parentNoShows: z.number().int(),
  childNoShows: z.number().int(),
  minutes: z.number().int().openapi({ description: 'Minutes child and family were together, rounded' }),
  childrenReached: z.number().int().openapi({ description: 'Children with at least one call that took place' }),
  reachedPercent: z
    .number()
    .nullable()
    .openapi({ description: 'childrenReached / children × 100, one decimal; null when there are no children' }),
});

/** One month of a period (the first and last month may be partial). */
export const ReportMonthSchema = ReportCountsSchema.extend({
  month: z.string().openapi({ example: '2026-09' }),
  from: z.string().openapi({ example: '2026-09-01' }),
  to: z.string().openapi({ example: '2026-09-30' }),
});

/** One week of a period, Monday to Sunday (the first and last may be cut at the period's ends). */
export const ReportWeekSchema = ReportCountsSchema.extend({
  from: z.string().openapi({ example: '2026-11-02' }),
  to: z.string().openapi({ example: '2026-11-08' }),
});

/** A child with no call that took place in the period, for action. */
export const UnreachedChildSchema = z.object({
  childId: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  className: z.string().nullable(),
  archived: z.boolean().openapi({ description: 'Archived since (left the Home during or after the period)' }),
  lastCallDate: z
    .string()
    .nullable()
    .openapi({ description: "Day of the last call that took place before the period's end; null if none" }),
});

/** `GET /api/reports/summary`. */
export const ReportSummarySchema = z
  .object({
    home: ReportHomeSchema,
    period: ReportPeriodSchema,
    scope: z.object({
      kind: z.enum(['home', 'teacher', 'child']),
      staffId: z.string().nullable(),
      staffName: z.string().nullable(),
      childId: z.string().nullable(),
      childName: z.string().nullable(),
    }),
    totals: ReportCountsSchema.extend({
      averageWeeksBetweenCalls: z
        .number()
        .nullable()
        .openapi({
          description:
            "Mean gap in weeks (one decimal) between a child's consecutive calls that took place in the period; " +
            'null when no child had two',
        }),
    }),
    months: z.array(ReportMonthSchema),
    weeks: z
      .array(ReportWeekSchema)
      .openapi({ description: 'Each week of the period with includeWeeks=true; empty without it' }),
    moods: z
      .array(z.object({ mood: z.number().int().min(1).max(5), count: z.number().int() }))
      .openapi({ description: 'Faces tapped after the calls of the period, 1 (sad) to 5 (happy), all five listed' }),
    unreached: z.object({
      total: z.number().int(),
      items: z.array(UnreachedChildSchema),
      nextCursor: z.string().nullable(),
    }),
  })
  .openapi('ReportSummary');

/** One page of a ledger: the Home, the period, the rows and the cursor of the next page. */
function ledgerPageOf<T extends z.ZodType>(item: T, name: string, periodRequired: boolean) {
  return z
    .object({
      home: ReportHomeSchema,
      period: periodRequired ? ReportPeriodSchema : ReportPeriodSchema.nullable(),
      total: z.number().int().openapi({ description: 'Rows in the whole ledger' }),
      items: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: 'null on the last page' }),
    })
    .openapi(name);
}

const RELATION = z.enum(['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other']);

/** A child on the roster (留守儿童花名册) with their family's contacts. */
export const RosterRowSchema = z.object({
  childId: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  className: z.string().nullable(),
  householdId: z.string(),
  householdName: z.string(),
  archived: z.boolean(),
  contacts: z.array(
    z.object({
      contactId: z.string(),
      name: z.string(),
      relation: RELATION,
      city: z.string().nullable(),
      phone: z.string().openapi({ description: 'Masked (138****5678) unless phones=whole', example: '138****5678' }),
    }),
  ),
});

/** `GET /api/reports/roster`. */
export const RosterPageSchema = ledgerPageOf(RosterRowSchema, 'RosterPage', false);

/** How a call ended, as the ledgers show it; `pending` while it has not ended. */
export const ReportOutcomeSchema = z.enum(['completed', 'parent-no-show', 'child-no-show', 'failed', 'pending']);

/** One call in the call record book (亲情通话记录簿). */
export const CallBookRowSchema = z.object({
  bookingId: z.string(),
  date: z.string().openapi({ description: "Day of the slot's start, Home's zone", example: '2026-09-14' }),
  time: z.string().openapi({ description: "Slot's start, Home's zone", example: '12:15' }),
  children: z.array(
    z.object({
      childId: z.string(),
      familyName: z.string(),
      givenName: z.string(),
      className: z.string().nullable(),
      mood: z.number().int().min(1).max(5).nullable(),
    }),
  ),
  contacts: z.array(z.object({ contactId: z.string(), name: z.string(), relation: RELATION })),
  seconds: z.number().int().openapi({ description: 'Seconds child and family were together' }),
  minutes: z.number().int().openapi({ description: 'seconds / 60, rounded' }),
  outcome: ReportOutcomeSchema,
});

/** `GET /api/reports/call-book`. */
export const CallBookPageSchema = ledgerPageOf(CallBookRowSchema, 'CallBookPage', true);

/** A pairing with the growth diary entries on its child in the period (结对帮扶记录). */
export const PairingRecordRowSchema = z.object({
  pairingId: z.string(),
  staffId: z.string(),
  staffName: z.string(),
  childId: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  className: z.string().nullable(),
  pairedOn: z.string().openapi({ description: "Day the pairing was made, Home's zone" }),
  diary: z.array(
    z.object({
      entryId: z.string(),
      date: z.string(),
      authorName: z.string().nullable(),
      text: z.string(),
      mood: z.number().int().min(1).max(5).nullable(),
      tags: z.array(z.enum(['study', 'emotion', 'health', 'family'])),
    }),
  ),
});

/** `GET /api/reports/pairings`. */
export const PairingRecordPageSchema = ledgerPageOf(PairingRecordRowSchema, 'PairingRecordPage', true);

/** `GET /api/reports/monthly`: every month of the period (at most 13 rows, one page). */
export const MonthlySummarySchema = z
  .object({
    home: ReportHomeSchema,
    period: ReportPeriodSchema,
    items: z.array(ReportMonthSchema),
    totals: ReportCountsSchema,
  })
  .openapi('MonthlySummary');

/** A CSV answer's content, for OpenAPI. */
export const CSV_CONTENT = {
  'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with a byte order mark, CRLF, Chinese headers' }) },
};

/** A CSV answer's headers, for OpenAPI. */
export const CSV_HEADERS = {
  'Content-Disposition': {
    schema: { type: 'string' as const, example: 'attachment; filename="call-book.csv"; filename*=UTF-8\'\'…' },
  },
};

/** The answers of a ledger's CSV route, for OpenAPI. */
export const CSV_RESPONSES = {
  200: { description: 'The whole ledger as CSV', headers: CSV_HEADERS, content: CSV_CONTENT },
  ...errorResponses(400, 401, 403),
};

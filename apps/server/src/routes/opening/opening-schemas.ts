import { z } from '@hono/zod-openapi';
import { DateSchema, textOf, WallTimeSchema, WeekdaySchema } from '../common-schemas.ts';

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

/** Body of `POST /api/opening/exceptions`. */
export const CreateOpeningExceptionSchema = z
  .object({
    date: DateSchema,
    closed: z.boolean(),
    startTime: WallTimeSchema.optional(),
    endTime: WallTimeSchema.optional(),
    note: textOf(100).nullable().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
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
  })
  .openapi('CreateOpeningException');

/** `?from=&to=` date bounds (inclusive). */
export const DateRangeQuerySchema = z.object({
  from: DateSchema.optional(),
  to: DateSchema.optional(),
});

import { z } from '@hono/zod-openapi';
import { DateSchema, idOf, WeekdaySchema } from '../common-schemas.ts';

const staffFields = {
  staffId: z.string().openapi({ example: 'stf_7m2k9x4q1b8c0d5e' }),
  displayName: z.string().openapi({ example: '刘老师' }),
  role: z.enum(['admin', 'teacher']),
  active: z.boolean(),
};

/** A staff member named on the rota. */
export const DutyStaffSchema = z.object(staffFields).openapi('DutyStaff');

/** One line of the weekly rota. */
export const DutyPatternEntrySchema = z
  .object({
    id: z.string().openapi({ example: 'dty_7m2k9x4q1b8c0d5e' }),
    weekday: z.number().int().openapi({ example: 1, description: 'ISO weekday, Monday = 1' }),
    ...staffFields,
  })
  .openapi('DutyPatternEntry');

/** A dated change to the rota. */
export const DutyOverrideSchema = z
  .object({
    id: z.string().openapi({ example: 'dto_7m2k9x4q1b8c0d5e' }),
    date: z.string().openapi({ example: '2026-09-07' }),
    kind: z.enum(['add', 'remove']),
    ...staffFields,
  })
  .openapi('DutyOverride');

/** Body of `PUT /api/duty/pattern`: the whole weekly rota; a line may not repeat. */
export const ReplaceDutyPatternSchema = z
  .array(z.object({ weekday: WeekdaySchema, staffId: idOf('stf') }).strict())
  .max(200)
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      const key = `${entry.weekday} ${entry.staffId}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: 'validation.duplicate', path: [i, 'staffId'] });
      seen.add(key);
    });
  })
  .openapi('ReplaceDutyPattern', { example: [{ weekday: 1, staffId: 'stf_7m2k9x4q1b8c0d5e' }] });

/** Body of `POST /api/duty/overrides`. */
export const CreateDutyOverrideSchema = z
  .object({ date: DateSchema, staffId: idOf('stf'), kind: z.enum(['add', 'remove']) })
  .strict()
  .openapi('CreateDutyOverride');

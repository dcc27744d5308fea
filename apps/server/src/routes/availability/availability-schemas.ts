import { z } from '@hono/zod-openapi';
import { WallTimeSchema, WeekdaySchema } from '../common-schemas.ts';

/** Most windows a contact may have: four a day, every day. */
export const MAX_WINDOWS = 28;

/** One weekly window, in the contact's own zone. */
export const AvailabilityWindowSchema = z
  .object({
    weekday: WeekdaySchema.openapi({ description: 'ISO weekday, Monday = 1' }),
    startTime: WallTimeSchema.openapi({ example: '19:00' }),
    endTime: WallTimeSchema.openapi({ example: '21:00' }),
  })
  .strict()
  .openapi('AvailabilityWindow');

/**
 * Body of `PUT /api/contacts/{id}/availability`: the whole new set of windows. Each ends after it
 * starts (`validation.time_order`); two on one weekday must not overlap (`validation.overlap`);
 * touching is fine (19:00–20:00 and 20:00–21:00).
 */
export const ReplaceAvailabilitySchema = z
  .object({ windows: z.array(AvailabilityWindowSchema).max(MAX_WINDOWS) })
  .strict()
  .superRefine((value, ctx) => {
    value.windows.forEach((window, index) => {
      if (window.endTime <= window.startTime) {
        ctx.addIssue({ code: 'custom', path: ['windows', index, 'endTime'], message: 'validation.time_order' });
      }
    });
    const order = value.windows
      .map((window, index) => ({ ...window, index }))
      .filter((window) => window.startTime < window.endTime)
      .sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime));
    for (let i = 1; i < order.length; i++) {
      const previous = order[i - 1]!;
      const current = order[i]!;
      if (previous.weekday === current.weekday && current.startTime < previous.endTime) {
        ctx.addIssue({ code: 'custom', path: ['windows', current.index, 'startTime'], message: 'validation.overlap' });
      }
    }
  })
  .openapi('ReplaceAvailability');

/** A contact's windows, with the zone they are in. */
export const AvailabilitySchema = z
  .object({
    contactId: z.string(),
    timeZone: z.string().openapi({ example: 'Europe/Madrid', description: "The contact's own zone" }),
    windows: z.array(AvailabilityWindowSchema),
  })
  .openapi('Availability');

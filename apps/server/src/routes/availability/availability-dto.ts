import type { AvailabilityWindow } from '@affection/core';
import type { z } from '@hono/zod-openapi';
import type { AvailabilitySchema } from './availability-schemas.ts';

/** The shape the routes answer with (windows by weekday, then start). */
export function toAvailabilityDto(
  contact: { id: string; timeZone: string },
  windows: readonly AvailabilityWindow[],
): z.infer<typeof AvailabilitySchema> {
  return {
    contactId: contact.id,
    timeZone: contact.timeZone,
    windows: windows.map((w) => ({ weekday: w.weekday, startTime: w.startTime, endTime: w.endTime })),
  };
}

import type { ChildOverview } from '@affection/db';
import { z } from '@hono/zod-openapi';
import { ChildSchema, toChildDto } from './child-schemas.ts';

/** A child with what the children list and the record's header show beside the name. */
export const ChildOverviewSchema = ChildSchema.extend({
  householdName: z.string().openapi({ example: '王家' }),
  pairedTeachers: z
    .array(z.object({ staffId: z.string(), displayName: z.string().openapi({ example: '李老师' }) }))
    .openapi({ description: 'Active teachers paired with the child (结对老师), by name' }),
  lastCallAt: z
    .string()
    .datetime()
    .nullable()
    .openapi({ description: "Start of the child's last completed call; null when there was none" }),
  weeksSinceLastCall: z.number().int().nullable().openapi({ description: 'Whole weeks since the last completed call' }),
  daysWithoutContact: z.number().int().openapi({
    description: 'Whole days without a completed call, from the last one or else from when the record was made',
  }),
  nextCall: z
    .object({
      bookingId: z.string(),
      startAt: z.string().datetime(),
      status: z.enum(['proposed', 'confirmed', 'in-progress']),
    })
    .nullable()
    .openapi({ description: 'The earliest booking not yet over that is proposed, confirmed or under way' }),
}).openapi('ChildOverview');

/** The shape the list and the record answer with. */
export function toChildOverviewDto(overview: ChildOverview): z.infer<typeof ChildOverviewSchema> {
  return {
    ...toChildDto(overview.child),
    householdName: overview.householdName,
    pairedTeachers: overview.pairedTeachers,
    lastCallAt: overview.lastCallAt?.toISOString() ?? null,
    weeksSinceLastCall: overview.weeksSinceLastCall,
    daysWithoutContact: overview.daysWithoutContact,
    nextCall: overview.nextCall
      ? {
          bookingId: overview.nextCall.bookingId,
          startAt: overview.nextCall.startAt.toISOString(),
          status: overview.nextCall.status,
        }
      : null,
  };
}

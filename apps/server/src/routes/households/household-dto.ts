import type { Household } from '@affection/core';
import type { z } from '@hono/zod-openapi';
import type { HouseholdSchema } from './household-schemas.ts';

/** The shape the routes answer with. */
export function toHouseholdDto(household: Household): z.infer<typeof HouseholdSchema> {
  return {
    id: household.id,
    name: household.name,
    createdAt: household.createdAt.toISOString(),
    archivedAt: household.archivedAt?.toISOString() ?? null,
  };
}

import { AppError } from '@affection/core';
import { archiveChild, getHousehold, listChildren, updateHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toHouseholdDto } from './household-dto.ts';
import { HouseholdSchema } from './household-schemas.ts';

/** More children than any household has. */
const MAX_CHILDREN = 200;

export const route = createRoute({
  method: 'post',
  path: '/api/households/{id}/archive',
  tags: ['households'],
  summary: 'Archive a household that left, with its children: kept on record, no longer listed or bookable',
  request: { params: idParam('hsh') },
  responses: {
    200: {
      description: 'Archived, with the ids of the children archived with it',
      content: {
        'application/json': {
          schema: HouseholdSchema.extend({ archivedChildIds: z.array(z.string()) }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/**
 * `POST /api/households/{id}/archive` (teacher). A household is a family of siblings, so its
 * children leave with it: they are archived in the same transaction. Archiving twice keeps the
 * first date.
 */
export function registerArchiveHousehold(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const at = now();
    const result = await database.db.transaction(async (tx) => {
      const household = await getHousehold(tx, staff.homeId, id);
      if (!household) return null;
      const archived = household.archivedAt
        ? household
        : await updateHousehold(tx, staff.homeId, id, { archivedAt: at });
      const active = await listChildren(tx, staff.homeId, { householdId: id, limit: MAX_CHILDREN, offset: 0 });
      for (const child of active.items) await archiveChild(tx, staff.homeId, child.id, at);
      return { household: archived!, childIds: active.items.map((child) => child.id) };
    });
    if (!result) throw new AppError('not-found', 'No such household in your Home.');
    await audit(c, 'household.archive', 'household', id, { childIds: result.childIds });
    for (const childId of result.childIds) await audit(c, 'child.archive', 'child', childId, { householdId: id });
    return c.json({ ...toHouseholdDto(result.household), archivedChildIds: result.childIds }, 200);
  });
}

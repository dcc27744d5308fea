import { AppError } from '@affection/core';
import { updateHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toHouseholdDto } from './household-dto.ts';
import { HouseholdNameSchema, HouseholdSchema } from './household-schemas.ts';

export const route = createRoute({
  method: 'patch',
  path: '/api/households/{id}',
  tags: ['households'],
  summary: 'Rename a household',
  request: {
    params: idParam('hsh'),
    body: { required: true, content: { 'application/json': { schema: HouseholdNameSchema } } },
  },
  responses: {
    200: { description: 'Renamed', content: { 'application/json': { schema: HouseholdSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `PATCH /api/households/{id}` (teacher). */
export function registerRenameHousehold(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { name } = c.req.valid('json');
    const household = await updateHousehold(c.get('services').database.db, staff.homeId, id, { name });
    if (!household) throw new AppError('not-found', 'No such household in your Home.');
    await audit(c, 'household.update', 'household', id, { fields: ['name'] });
    return c.json(toHouseholdDto(household), 200);
  });
}

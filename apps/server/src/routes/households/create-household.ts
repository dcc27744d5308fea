import { createHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toHouseholdDto } from './household-dto.ts';
import { HouseholdNameSchema, HouseholdSchema } from './household-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/households',
  tags: ['households'],
  summary: 'Add a household (then its children and contacts)',
  request: { body: { required: true, content: { 'application/json': { schema: HouseholdNameSchema } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: HouseholdSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

/** `POST /api/households` (teacher). */
export function registerCreateHousehold(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const input = c.req.valid('json');
    const household = await createHousehold(c.get('services').database.db, staff.homeId, input);
    await audit(c, 'household.create', 'household', household.id, { fields: ['name'] });
    return c.json(toHouseholdDto(household), 201);
  });
}

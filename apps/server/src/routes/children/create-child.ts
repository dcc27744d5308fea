import { AppError } from '@affection/core';
import { createChild, getHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { ChildSchema, CreateChildSchema, toChildDto } from './child-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/children',
  tags: ['children'],
  summary: 'Add a child to a household of the Home',
  request: { body: { required: true, content: { 'application/json': { schema: CreateChildSchema } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: ChildSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/children` (teacher). */
export function registerCreateChild(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const input = c.req.valid('json');
    const db = c.get('services').database.db;
    const household = await getHousehold(db, staff.homeId, input.householdId);
    if (!household) throw new AppError('not-found', 'No such household in your Home.');
    const child = await createChild(db, staff.homeId, input);
    await audit(c, 'child.create', 'child', child.id, { fields: Object.keys(input) });
    return c.json(toChildDto(child), 201);
  });
}

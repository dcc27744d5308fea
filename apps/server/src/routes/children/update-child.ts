import { AppError } from '@affection/core';
import { getHousehold, updateChild } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { ChildSchema, toChildDto, UpdateChildSchema } from './child-schemas.ts';

export const route = createRoute({
  method: 'patch',
  path: '/api/children/{id}',
  tags: ['children'],
  summary: "Change a child's record",
  request: {
    params: idParam('chd'),
    body: { required: true, content: { 'application/json': { schema: UpdateChildSchema } } },
  },
  responses: {
    200: { description: 'Updated', content: { 'application/json': { schema: ChildSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `PATCH /api/children/{id}` (teacher). */
export function registerUpdateChild(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const { database, now } = c.get('services');
    if (patch.householdId && !(await getHousehold(database.db, staff.homeId, patch.householdId))) {
      throw new AppError('not-found', 'No such household in your Home.');
    }
    const child = await updateChild(database.db, staff.homeId, id, patch, now());
    if (!child) throw new AppError('not-found', 'No such child in your Home.');
    await audit(c, 'child.update', 'child', child.id, { fields: Object.keys(patch) });
    return c.json(toChildDto(child), 200);
  });
}

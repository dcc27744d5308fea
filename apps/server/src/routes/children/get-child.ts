import { AppError } from '@affection/core';
import { listChildOverviews } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { ChildOverviewSchema, toChildOverviewDto } from './child-overview-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/children/{id}',
  tags: ['children'],
  summary: "A child's record with household, paired teachers, last and next call (audited)",
  request: { params: idParam('chd') },
  responses: {
    200: { description: 'The child', content: { 'application/json': { schema: ChildOverviewSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/children/{id}` (teacher): every read is an audit event (archived children too; erased ones are 404). */
export function registerGetChild(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const page = await listChildOverviews(database.db, staff.homeId, {
      now: now(),
      childId: id,
      archived: 'include',
      limit: 1,
      offset: 0,
    });
    const found = page.items[0];
    if (!found) throw new AppError('not-found', 'No such child in your Home.');
    await audit(c, 'child.read', 'child', found.child.id);
    return c.json(toChildOverviewDto(found), 200);
  });
}

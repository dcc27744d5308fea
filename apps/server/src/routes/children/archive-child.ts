import { AppError } from '@affection/core';
import { archiveChild } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { ChildSchema, toChildDto } from './child-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/children/{id}/archive',
  tags: ['children'],
  summary: 'Archive a child who left: kept on record, no longer listed or bookable',
  request: { params: idParam('chd') },
  responses: {
    200: { description: 'Archived', content: { 'application/json': { schema: ChildSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/children/{id}/archive` (teacher). */
export function registerArchiveChild(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const child = await archiveChild(database.db, staff.homeId, id, now());
    if (!child) throw new AppError('not-found', 'No such child in your Home.');
    await audit(c, 'child.archive', 'child', child.id);
    return c.json(toChildDto(child), 200);
  });
}

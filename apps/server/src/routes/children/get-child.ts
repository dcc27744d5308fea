import { AppError } from '@affection/core';
import { getChild } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { ChildSchema, toChildDto } from './child-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/children/{id}',
  tags: ['children'],
  summary: "A child's record (audited)",
  request: { params: idParam('chd') },
  responses: {
    200: { description: 'The child', content: { 'application/json': { schema: ChildSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/children/{id}` (teacher): every read is an audit event. */
export function registerGetChild(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const child = await getChild(c.get('services').database.db, staff.homeId, id);
    if (!child || child.erasedAt) throw new AppError('not-found', 'No such child in your Home.');
    await audit(c, 'child.read', 'child', child.id);
    return c.json(toChildDto(child), 200);
  });
}

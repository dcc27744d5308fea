import { AppError } from '@affection/core';
import { removeChildPhoto } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

export const route = createRoute({
  method: 'delete',
  path: '/api/children/{id}/photo',
  tags: ['children'],
  summary: "Remove a child's kiosk photo (the kiosk shows the initials again)",
  request: { params: idParam('chd') },
  responses: {
    204: { description: 'Removed (or there was none)' },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `DELETE /api/children/{id}/photo` (teacher): the bytes are deleted at once; audited when there was one. */
export function registerDeleteChildPhoto(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const result = await removeChildPhoto(database.db, staff.homeId, id, now());
    if (!result) throw new AppError('not-found', 'No such child in your Home.');
    if (result.removed) await audit(c, 'child.photo.remove', 'child', id);
    return c.body(null, 204);
  });
}

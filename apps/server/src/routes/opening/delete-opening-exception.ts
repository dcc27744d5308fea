import { AppError } from '@affection/core';
import { deleteOpeningException } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

export const route = createRoute({
  method: 'delete',
  path: '/api/opening/exceptions/{id}',
  tags: ['opening'],
  summary: 'Remove a dated exception: that date follows the weekly rules again',
  request: { params: idParam('opx') },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `DELETE /api/opening/exceptions/{id}` (admin). */
export function registerDeleteOpeningException(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const deleted = await deleteOpeningException(c.get('services').database.db, staff.homeId, id);
    if (!deleted) throw new AppError('not-found', 'No such opening exception in your Home.');
    await audit(c, 'opening.exception_delete', 'opening_exception', id);
    return c.body(null, 204);
  });
}

import { AppError } from '@affection/core';
import { deleteDutyOverride } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

export const route = createRoute({
  method: 'delete',
  path: '/api/duty/overrides/{id}',
  tags: ['duty'],
  summary: 'Remove a dated change: that date follows the weekly rota again',
  request: { params: idParam('dto') },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `DELETE /api/duty/overrides/{id}` (admin). */
export function registerDeleteDutyOverride(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const deleted = await deleteDutyOverride(c.get('services').database.db, staff.homeId, id);
    if (!deleted) throw new AppError('not-found', 'No such duty change in your Home.');
    await audit(c, 'duty.override_delete', 'duty_override', id, { staffId: deleted.staffId });
    return c.body(null, 204);
  });
}

import { AppError } from '@affection/core';
import { updateKioskSettings } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toKioskDto } from './kiosk-dto.ts';
import { KioskSchema, UpdateKioskSchema } from './kiosk-schemas.ts';

export const route = createRoute({
  method: 'patch',
  path: '/api/kiosks/{id}',
  tags: ['kiosks'],
  summary: 'Rename a kiosk, or turn it off or on for bookings',
  request: {
    params: idParam('kio'),
    body: { required: true, content: { 'application/json': { schema: UpdateKioskSchema } } },
  },
  responses: {
    200: { description: 'Updated', content: { 'application/json': { schema: KioskSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `PATCH /api/kiosks/{id}` (admin). Enrolment is untouched. */
export function registerUpdateKiosk(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const { database, now } = c.get('services');
    const kiosk = await updateKioskSettings(database.db, staff.homeId, id, patch);
    if (!kiosk) throw new AppError('not-found', 'No such kiosk in your Home.');
    await audit(c, 'kiosk.update', 'kiosk', kiosk.id, { fields: Object.keys(patch) });
    return c.json(toKioskDto(kiosk, now()), 200);
  });
}

import { AppError } from '@affection/core';
import { getKiosk, revokeKiosk } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toKioskDto } from './kiosk-dto.ts';
import { KioskSchema } from './kiosk-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/kiosks/{id}/revoke',
  tags: ['kiosks'],
  summary: 'Revoke a kiosk (lost or stolen): its device token stops working at once, and any pending code',
  request: { params: idParam('kio') },
  responses: {
    200: { description: 'Revoked (or already revoked)', content: { 'application/json': { schema: KioskSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/kiosks/{id}/revoke` (admin). */
export function registerRevokeKiosk(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const at = now();
    const current = await getKiosk(database.db, staff.homeId, id);
    if (!current) throw new AppError('not-found', 'No such kiosk in your Home.');
    if (current.status === 'revoked') return c.json(toKioskDto(current, at), 200);
    const kiosk = await revokeKiosk(database.db, staff.homeId, id, at);
    if (!kiosk) throw new AppError('not-found', 'No such kiosk in your Home.');
    await audit(c, 'kiosk.revoke', 'kiosk', kiosk.id);
    return c.json(toKioskDto(kiosk, at), 200);
  });
}

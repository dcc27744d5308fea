import { AppError } from '@affection/core';
import { revokeFamilyDevice } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toFamilyDeviceDto } from './family-dto.ts';
import { FamilyDeviceSchema } from './family-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/family-devices/{id}/revoke',
  tags: ['family'],
  summary: "Sign a parent's phone out (a lost phone): its token stops working at once",
  request: { params: idParam('fdv') },
  responses: {
    200: { description: 'Revoked', content: { 'application/json': { schema: FamilyDeviceSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/family-devices/{id}/revoke` (teacher): phones of the caller's Home's contacts only. */
export function registerRevokeFamilyDevice(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const at = now();
    const device = await revokeFamilyDevice(database.db, staff.homeId, id, at);
    if (!device) throw new AppError('not-found', 'No such phone in your Home.');
    await audit(c, 'family.device.revoke', 'contact', device.contactId, { deviceId: device.id });
    return c.json(toFamilyDeviceDto(device, at), 200);
  });
}

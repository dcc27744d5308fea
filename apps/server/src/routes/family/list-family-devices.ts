import { listFamilyDevicesOfContact } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { requireContact } from '../contacts/require-contact.ts';
import { addRoute } from '../define-route.ts';
import { toFamilyDeviceDto } from './family-dto.ts';
import { FamilyDeviceSchema } from './family-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/contacts/{id}/devices',
  tags: ['family'],
  summary: "The contact's signed-in phones, newest first: how each signed in, when it was last used",
  request: { params: idParam('cnt') },
  responses: {
    200: {
      description: 'Phones',
      content: { 'application/json': { schema: z.object({ items: z.array(FamilyDeviceSchema) }) } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/contacts/{id}/devices` (teacher): contacts of the caller's Home only. */
export function registerListFamilyDevices(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const contact = await requireContact(c, staff.homeId, id);
    const devices = await listFamilyDevicesOfContact(database.db, contact.id);
    const at = now();
    return c.json({ items: devices.map((device) => toFamilyDeviceDto(device, at)) }, 200);
  });
}

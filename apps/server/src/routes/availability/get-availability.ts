import { listAvailabilityWindows } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { requireContact } from '../contacts/require-contact.ts';
import { addRoute } from '../define-route.ts';
import { toAvailabilityDto } from './availability-dto.ts';
import { AvailabilitySchema } from './availability-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/contacts/{id}/availability',
  tags: ['availability'],
  summary: "When a contact can take calls, weekly, in the contact's own zone (audited)",
  request: { params: idParam('cnt') },
  responses: {
    200: { description: 'The windows', content: { 'application/json': { schema: AvailabilitySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/contacts/{id}/availability` (teacher). */
export function registerGetAvailability(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const contact = await requireContact(c, staff.homeId, id);
    const windows = await listAvailabilityWindows(c.get('services').database.db, staff.homeId, id);
    await audit(c, 'contact.availability.read', 'contact', id);
    return c.json(toAvailabilityDto(contact, windows), 200);
  });
}

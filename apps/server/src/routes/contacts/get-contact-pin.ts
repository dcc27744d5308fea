import { getVoicePinStatus } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { requireContact } from './require-contact.ts';
import { toVoicePinStatusDto } from './voice-pin-dto.ts';
import { VoicePinStatusSchema } from './voice-pin-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/contacts/{id}/pin',
  tags: ['contacts'],
  summary: 'Whether a contact has a phone PIN, who set it and when (never the PIN)',
  request: { params: idParam('cnt') },
  responses: {
    200: { description: 'The PIN status', content: { 'application/json': { schema: VoicePinStatusSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/contacts/{id}/pin` (teacher): for the contact card ("电话密码：已设置"). */
export function registerGetContactPin(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const contact = await requireContact(c, staff.homeId, id);
    const status = await getVoicePinStatus(database.db, staff.homeId, contact.id);
    return c.json(toVoicePinStatusDto(contact.id, status, now()), 200);
  });
}

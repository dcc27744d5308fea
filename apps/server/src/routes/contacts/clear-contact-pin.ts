import { clearVoicePin } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { requireContact } from './require-contact.ts';
import { toVoicePinStatusDto } from './voice-pin-dto.ts';
import { VoicePinStatusSchema } from './voice-pin-schemas.ts';

export const route = createRoute({
  method: 'delete',
  path: '/api/contacts/{id}/pin',
  tags: ['contacts'],
  summary: "Remove a contact's phone PIN: the voice menu then puts them through to no call",
  request: { params: idParam('cnt') },
  responses: {
    200: {
      description: 'Removed (or there was none)',
      content: { 'application/json': { schema: VoicePinStatusSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/**
 * `DELETE /api/contacts/{id}/pin` (teacher): e.g. when the parent fears someone knows it. Without a
 * PIN the voice menu joins them to no call (they join on the parents' page instead). Idempotent.
 */
export function registerClearContactPin(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const contact = await requireContact(c, staff.homeId, id);
    const removed = await clearVoicePin(database.db, staff.homeId, contact.id);
    if (removed) await audit(c, 'contact.pin.clear', 'contact', contact.id);
    return c.json(toVoicePinStatusDto(contact.id, null, now()), 200);
  });
}

import { AppError } from '@affection/core';
import { setVoicePin } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import { hashVoicePin } from '../../auth/voice-pin.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { requireContact } from './require-contact.ts';
import { toVoicePinStatusDto } from './voice-pin-dto.ts';
import { SetVoicePinSchema, VoicePinStatusSchema } from './voice-pin-schemas.ts';

export const route = createRoute({
  method: 'put',
  path: '/api/contacts/{id}/pin',
  tags: ['contacts'],
  summary: "Set a contact's phone PIN, asked before the voice menu puts them through to a call",
  request: {
    params: idParam('cnt'),
    body: { required: true, content: { 'application/json': { schema: SetVoicePinSchema } } },
  },
  responses: {
    200: {
      description: 'Set (the PIN is not echoed)',
      content: { 'application/json': { schema: VoicePinStatusSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/**
 * `PUT /api/contacts/{id}/pin` (teacher): staff set the PIN the parent chose, e.g. when handing
 * over the contact card. A new PIN starts with no wrong tries and no lock. Only an argon2id hash is
 * kept; the audit event says that it changed, never what it is.
 */
export function registerSetContactPin(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { pin } = c.req.valid('json');
    const { database, now } = c.get('services');
    const contact = await requireContact(c, staff.homeId, id);
    const at = now();
    const status = await setVoicePin(database.db, {
      homeId: staff.homeId,
      contactId: contact.id,
      pinHash: await hashVoicePin(pin),
      setBy: { kind: 'staff', id: staff.staffId },
      now: at,
    });
    if (!status) throw new AppError('not-found', 'No such contact in your Home.');
    await audit(c, 'contact.pin.set', 'contact', contact.id);
    return c.json(toVoicePinStatusDto(contact.id, status, at), 200);
  });
}

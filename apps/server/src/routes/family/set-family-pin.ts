import { AppError } from '@affection/core';
import { setVoicePin } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import { hashVoicePin } from '../../auth/voice-pin.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { toVoicePinStatusDto } from '../contacts/voice-pin-dto.ts';
import { SetVoicePinSchema, VoicePinStatusSchema } from '../contacts/voice-pin-schemas.ts';
import { addRoute } from '../define-route.ts';

export const route = createRoute({
  method: 'put',
  path: '/api/family/pin',
  tags: ['family'],
  summary: 'Set your own phone PIN, asked before the voice menu puts you through to a call',
  request: { body: { required: true, content: { 'application/json': { schema: SetVoicePinSchema } } } },
  responses: {
    200: {
      description: 'Set (the PIN is not echoed)',
      content: { 'application/json': { schema: VoicePinStatusSchema } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/**
 * `PUT /api/family/pin` (family): a signed-in parent sets their own PIN; the contact is the one the
 * phone is signed in as, so no other contact's PIN can be named. Only an argon2id hash is kept.
 */
export function registerSetFamilyPin(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { pin } = c.req.valid('json');
    const { database, now } = c.get('services');
    const at = now();
    const status = await setVoicePin(database.db, {
      homeId: family.homeId,
      contactId: family.contactId,
      pinHash: await hashVoicePin(pin),
      setBy: { kind: 'family', id: family.contactId },
      now: at,
    });
    if (!status) throw new AppError('not-found', 'No such contact in your Home.');
    await audit(c, 'contact.pin.set', 'contact', family.contactId);
    return c.json(toVoicePinStatusDto(family.contactId, status, at), 200);
  });
}

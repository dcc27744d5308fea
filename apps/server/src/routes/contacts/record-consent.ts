import { AppError } from '@affection/core';
import { updateContact } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toContactSummaryDto } from './contact-dto.ts';
import { ContactSummarySchema } from './contact-schemas.ts';
import { requireContact } from './require-contact.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/contacts/{id}/consent',
  tags: ['contacts'],
  summary: "Record that the guardian consented (to calls and to keeping this contact's data)",
  request: { params: idParam('cnt') },
  responses: {
    200: { description: 'Consent recorded', content: { 'application/json': { schema: ContactSummarySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/contacts/{id}/consent` (teacher): sets consentRecordedBy/At to the caller and now. */
export function registerRecordConsent(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    await requireContact(c, staff.homeId, id);
    const at = now();
    const contact = await updateContact(
      database.db,
      staff.homeId,
      id,
      { consentRecordedBy: staff.staffId, consentRecordedAt: at },
      at,
    );
    if (!contact) throw new AppError('not-found', 'No such contact in your Home.');
    await audit(c, 'contact.consent', 'contact', id, { fields: ['consentRecordedBy', 'consentRecordedAt'] });
    return c.json(toContactSummaryDto(contact), 200);
  });
}

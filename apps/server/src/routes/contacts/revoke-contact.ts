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
  path: '/api/contacts/{id}/revoke',
  tags: ['contacts'],
  summary: "Revoke a contact's approval: no more bookings or calls; their signed-in phones stop working",
  request: { params: idParam('cnt') },
  responses: {
    200: { description: 'Revoked', content: { 'application/json': { schema: ContactSummarySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/contacts/{id}/revoke` (teacher): any teacher can stop a contact at once. */
export function registerRevokeContact(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const current = await requireContact(c, staff.homeId, id);
    const at = now();
    const contact = current.revokedAt
      ? current
      : await updateContact(database.db, staff.homeId, id, { revokedAt: at }, at);
    if (!contact) throw new AppError('not-found', 'No such contact in your Home.');
    await audit(c, 'contact.revoke', 'contact', id, { fields: ['revokedAt'] });
    return c.json(toContactSummaryDto(contact), 200);
  });
}

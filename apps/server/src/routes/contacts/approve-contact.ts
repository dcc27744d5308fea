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
  path: '/api/contacts/{id}/approve',
  tags: ['contacts'],
  summary: 'Approve a contact (admin): from now on they can be booked, called and call',
  request: { params: idParam('cnt') },
  responses: {
    200: { description: 'Approved', content: { 'application/json': { schema: ContactSummarySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/**
 * `POST /api/contacts/{id}/approve` (admin). Approval decides which adult may talk to a child, so
 * it takes a second person: any teacher adds a contact, the Home's admin approves it. Sets
 * approvedBy/approvedAt and clears a revocation.
 */
export function registerApproveContact(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    await requireContact(c, staff.homeId, id);
    const at = now();
    const contact = await updateContact(
      database.db,
      staff.homeId,
      id,
      { approvedBy: staff.staffId, approvedAt: at, revokedAt: null },
      at,
    );
    if (!contact) throw new AppError('not-found', 'No such contact in your Home.');
    await audit(c, 'contact.approve', 'contact', id, { fields: ['approvedBy', 'approvedAt', 'revokedAt'] });
    return c.json(toContactSummaryDto(contact), 200);
  });
}

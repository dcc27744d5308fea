import { AppError } from '@affection/core';
import { updateContact } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toContactSummaryDto } from './contact-dto.ts';
import { ContactSummarySchema, UpdateContactSchema } from './contact-schemas.ts';
import { requireContact } from './require-contact.ts';
import { rethrowDuplicatePhone } from './rethrow-duplicate-phone.ts';

export const route = createRoute({
  method: 'patch',
  path: '/api/contacts/{id}',
  tags: ['contacts'],
  summary: 'Change a contact; a new phone number needs approving again',
  request: {
    params: idParam('cnt'),
    body: { required: true, content: { 'application/json': { schema: UpdateContactSchema } } },
  },
  'x-refusals': refusals('contact', 'phone-taken'),
  responses: {
    200: { description: 'Updated (number masked)', content: { 'application/json': { schema: ContactSummarySchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/**
 * `PATCH /api/contacts/{id}` (teacher). Changing the number of an approved contact clears the
 * approval: otherwise a teacher could point an approved contact, and its signed-in phones, at
 * anyone. An admin approves the new number.
 */
export function registerUpdateContact(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const { database, now } = c.get('services');
    const current = await requireContact(c, staff.homeId, id);
    const phoneChanged = patch.phone !== undefined && patch.phone !== current.phone;
    const approvalCleared = phoneChanged && current.approvedAt !== null;
    const contact = await updateContact(
      database.db,
      staff.homeId,
      id,
      approvalCleared ? { ...patch, approvedBy: null, approvedAt: null } : patch,
      now(),
    ).catch(rethrowDuplicatePhone);
    if (!contact) throw new AppError('not-found', 'No such contact in your Home.');
    await audit(c, 'contact.update', 'contact', id, { fields: Object.keys(patch), approvalCleared });
    return c.json(toContactSummaryDto(contact), 200);
  });
}

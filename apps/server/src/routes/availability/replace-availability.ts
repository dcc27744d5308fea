import { AppError, type Weekday } from '@affection/core';
import { replaceAvailabilityWindows } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { requireContact } from '../contacts/require-contact.ts';
import { addRoute } from '../define-route.ts';
import { toAvailabilityDto } from './availability-dto.ts';
import { AvailabilitySchema, ReplaceAvailabilitySchema } from './availability-schemas.ts';

export const route = createRoute({
  method: 'put',
  path: '/api/contacts/{id}/availability',
  tags: ['availability'],
  summary: "Replace a contact's weekly windows (in the contact's own zone); an empty list clears them",
  request: {
    params: idParam('cnt'),
    body: { required: true, content: { 'application/json': { schema: ReplaceAvailabilitySchema } } },
  },
  responses: {
    200: { description: 'The new windows', content: { 'application/json': { schema: AvailabilitySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `PUT /api/contacts/{id}/availability` (teacher): all or nothing, in one transaction. */
export function registerReplaceAvailability(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { windows } = c.req.valid('json');
    const contact = await requireContact(c, staff.homeId, id);
    const saved = await replaceAvailabilityWindows(
      c.get('services').database.db,
      staff.homeId,
      id,
      windows.map((w) => ({ ...w, weekday: w.weekday as Weekday })),
    );
    if (!saved) throw new AppError('not-found', 'No such contact in your Home.');
    await audit(c, 'contact.availability.update', 'contact', id, { fields: ['windows'] });
    return c.json(toAvailabilityDto(contact, saved), 200);
  });
}

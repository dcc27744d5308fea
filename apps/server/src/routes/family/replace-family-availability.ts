import { AppError, type Weekday } from '@affection/core';
import { getContact, replaceAvailabilityWindows } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { toAvailabilityDto } from '../availability/availability-dto.ts';
import { AvailabilitySchema, ReplaceAvailabilitySchema } from '../availability/availability-schemas.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

export const route = createRoute({
  method: 'put',
  path: '/api/family/availability',
  tags: ['family'],
  summary: "Replace the signed-in parent's weekly windows (in their own zone); an empty list clears them",
  description:
    'The same rules as `PUT /api/contacts/{id}/availability`: at most 28 windows, several a day allowed; each ' +
    'ends after it starts (400 `validation.time_order`) and two of one weekday do not overlap (400 ' +
    '`validation.overlap`). All or nothing: a refused list keeps the windows before.',
  request: { body: { required: true, content: { 'application/json': { schema: ReplaceAvailabilitySchema } } } },
  responses: {
    200: { description: 'The new windows', content: { 'application/json': { schema: AvailabilitySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `PUT /api/family/availability` (family): the phone's own contact; audited as a field change, never the times. */
export function registerReplaceFamilyAvailability(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { windows } = c.req.valid('json');
    const { db } = c.get('services').database;
    const contact = await getContact(db, family.homeId, family.contactId);
    if (!contact) throw new AppError('not-found', 'No such contact in your Home.');
    const saved = await replaceAvailabilityWindows(
      db,
      family.homeId,
      family.contactId,
      windows.map((w) => ({ ...w, weekday: w.weekday as Weekday })),
    );
    if (!saved) throw new AppError('not-found', 'No such contact in your Home.');
    await audit(c, 'contact.availability.update', 'contact', family.contactId, { fields: ['windows'] });
    return c.json(toAvailabilityDto(contact, saved), 200);
  });
}

import { AppError } from '@affection/core';
import { getContact, listAvailabilityWindows } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { toAvailabilityDto } from '../availability/availability-dto.ts';
import { AvailabilitySchema } from '../availability/availability-schemas.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/family/availability',
  tags: ['family'],
  summary: 'When the signed-in parent can usually talk: weekly windows in their own zone',
  description:
    'The windows of the contact the phone is signed in as (the ones a teacher sets with ' +
    '`PUT /api/contacts/{id}/availability`); the weekly fair scheduler and the slot search keep to them.',
  responses: {
    200: { description: 'The windows', content: { 'application/json': { schema: AvailabilitySchema } } },
    ...errorResponses(401, 403, 404),
  },
});

/** `GET /api/family/availability` (family): its own contact only, so no other contact can be named. */
export function registerGetFamilyAvailability(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { db } = c.get('services').database;
    const [contact, windows] = await Promise.all([
      getContact(db, family.homeId, family.contactId),
      listAvailabilityWindows(db, family.homeId, family.contactId),
    ]);
    if (!contact) throw new AppError('not-found', 'No such contact in your Home.');
    return c.json(toAvailabilityDto(contact, windows), 200);
  });
}

import { listFamilyEnrolmentsOfContact } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { requireContact } from '../contacts/require-contact.ts';
import { addRoute } from '../define-route.ts';
import { toEnrolmentLinkDto } from './family-dto.ts';
import { EnrolmentLinkSchema } from './family-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/contacts/{id}/enrolment-links',
  tags: ['family'],
  summary: "The contact's enrolment links (QR codes), newest first, with their status; never the links themselves",
  request: { params: idParam('cnt') },
  responses: {
    200: {
      description: 'Links',
      content: { 'application/json': { schema: z.object({ items: z.array(EnrolmentLinkSchema) }) } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/contacts/{id}/enrolment-links` (teacher): contacts of the caller's Home only. */
export function registerListEnrolmentLinks(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const contact = await requireContact(c, staff.homeId, id);
    const links = await listFamilyEnrolmentsOfContact(database.db, contact.id);
    const at = now();
    return c.json({ items: links.map((link) => toEnrolmentLinkDto(link, at)) }, 200);
  });
}

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toContactDto } from './contact-dto.ts';
import { ContactSchema } from './contact-schemas.ts';
import { requireContact } from './require-contact.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/contacts/{id}',
  tags: ['contacts'],
  summary: 'One contact with the whole phone number (audited)',
  request: { params: idParam('cnt') },
  responses: {
    200: { description: 'The contact', content: { 'application/json': { schema: ContactSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/contacts/{id}` (teacher): the only answer with the whole number; every read is audited. */
export function registerGetContact(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const contact = await requireContact(c, staff.homeId, id);
    await audit(c, 'contact.read', 'contact', contact.id);
    return c.json(toContactDto(contact), 200);
  });
}

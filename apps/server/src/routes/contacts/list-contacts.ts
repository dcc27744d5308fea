import { isErasedContactPhone } from '@affection/core';
import { listContactsOfHome, listContactsOfHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf, PagingQuerySchema } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { contactStatus, toContactSummaryDto } from './contact-dto.ts';
import { CONTACT_STATUSES, ContactSummarySchema } from './contact-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/contacts',
  tags: ['contacts'],
  summary: "List the Home's contacts (phone numbers masked), by household and status",
  request: {
    query: PagingQuerySchema.extend({
      householdId: idOf('hsh').optional(),
      status: z.enum(CONTACT_STATUSES).optional().openapi({ description: "'pending' lists those awaiting approval." }),
    }),
  },
  responses: {
    200: {
      description: 'A page of contacts',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(ContactSummarySchema),
            total: z.number().int(),
            limit: z.number(),
            offset: z.number(),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/contacts` (teacher): numbers are masked; open one contact to see the whole number. */
export function registerListContacts(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const all = query.householdId
      ? await listContactsOfHousehold(db, staff.homeId, query.householdId)
      : await listContactsOfHome(db, staff.homeId);
    const matching = all.filter(
      (contact) => !isErasedContactPhone(contact.phone) && (!query.status || contactStatus(contact) === query.status),
    );
    const items = matching.slice(query.offset, query.offset + query.limit).map(toContactSummaryDto);
    return c.json({ items, total: matching.length, limit: query.limit, offset: query.offset }, 200);
  });
}

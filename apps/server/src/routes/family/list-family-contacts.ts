import { isContactApproved } from '@affection/core';
import { listContactsOfHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

const FamilyContactSchema = z
  .object({
    id: z.string().openapi({ example: 'cnt_7m2k9x4q1b8c0d5e' }),
    name: z.string().openapi({ example: '王建军' }),
    relation: z.enum(['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other']),
  })
  .openapi('FamilyContact');

export const route = createRoute({
  method: 'get',
  path: '/api/family/contacts',
  tags: ['family'],
  summary: "The household's other approved contacts, who can join a call as its second contact",
  description:
    'Names and relations only (never a phone number), of the approved contacts of the signed-in contact’s own ' +
    'household other than that contact: the ones a booking may name as `secondContactId` for a three-way call.',
  responses: {
    200: {
      description: 'The contacts',
      content: { 'application/json': { schema: z.object({ items: z.array(FamilyContactSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/family/contacts` (family): its own household only. */
export function registerListFamilyContacts(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const contacts = await listContactsOfHousehold(c.get('services').database.db, family.homeId, family.householdId);
    const items = contacts
      .filter((contact) => contact.id !== family.contactId && isContactApproved(contact))
      .map((contact) => ({ id: contact.id, name: contact.name, relation: contact.relation }));
    return c.json({ items }, 200);
  });
}

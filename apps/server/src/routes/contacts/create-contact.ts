import { AppError } from '@affection/core';
import { createContact, getHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toContactSummaryDto } from './contact-dto.ts';
import { ContactSummarySchema, CreateContactSchema } from './contact-schemas.ts';
import { rethrowDuplicatePhone } from './rethrow-duplicate-phone.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/contacts',
  tags: ['contacts'],
  summary: 'Add a contact to a household (not approved yet); the phone number as typed becomes E.164',
  request: { body: { required: true, content: { 'application/json': { schema: CreateContactSchema } } } },
  'x-refusals': refusals('contact', 'household-archived', 'phone-taken'),
  responses: {
    201: { description: 'Created (number masked)', content: { 'application/json': { schema: ContactSummarySchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/contacts` (teacher): a second contact with the same number in a household is 409. */
export function registerCreateContact(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const input = c.req.valid('json');
    const db = c.get('services').database.db;
    const household = await getHousehold(db, staff.homeId, input.householdId);
    if (!household) throw new AppError('not-found', 'No such household in your Home.');
    if (household.archivedAt) {
      throw new AppError('unprocessable', 'This household is archived; no contacts can be added to it.', {
        userMessageKey: 'error.contact.household-archived',
        details: { reason: 'household-archived' },
      });
    }
    const contact = await createContact(db, staff.homeId, input).catch(rethrowDuplicatePhone);
    await audit(c, 'contact.create', 'contact', contact.id, {
      householdId: household.id,
      fields: Object.keys(input),
    });
    return c.json(toContactSummaryDto(contact), 201);
  });
}

import { AppError, isErasedContactPhone } from '@affection/core';
import { getHousehold, listChildren, listContactsOfHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { toChildDto } from '../children/child-schemas.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { toContactSummaryDto } from '../contacts/contact-dto.ts';
import { addRoute } from '../define-route.ts';
import { toHouseholdDto } from './household-dto.ts';
import { HouseholdDetailSchema } from './household-schemas.ts';

/** More children than any household has; the list is not paged. */
const MAX_CHILDREN = 200;

export const route = createRoute({
  method: 'get',
  path: '/api/households/{id}',
  tags: ['households'],
  summary: 'A household with its children and contacts, numbers masked (audited)',
  request: { params: idParam('hsh') },
  responses: {
    200: { description: 'The household', content: { 'application/json': { schema: HouseholdDetailSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/households/{id}` (teacher): archived children included, erased ones never. */
export function registerGetHousehold(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const db = c.get('services').database.db;
    const household = await getHousehold(db, staff.homeId, id);
    if (!household) throw new AppError('not-found', 'No such household in your Home.');
    const [kids, contacts] = await Promise.all([
      listChildren(db, staff.homeId, { householdId: id, includeArchived: true, limit: MAX_CHILDREN, offset: 0 }),
      listContactsOfHousehold(db, staff.homeId, id),
    ]);
    const children = kids.items.map(toChildDto);
    const shown = contacts.filter((contact) => !isErasedContactPhone(contact.phone)).map(toContactSummaryDto);
    await audit(c, 'household.read', 'household', id, {
      childIds: children.map((child) => child.id),
      contactIds: shown.map((contact) => contact.id),
    });
    return c.json({ ...toHouseholdDto(household), children, contacts: shown }, 200);
  });
}

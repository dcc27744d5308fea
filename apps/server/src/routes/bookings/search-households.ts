import { type Contact, isContactApproved, isErasedContactPhone, maskPhone } from '@affection/core';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { loadBookingDirectory } from './booking-directory.ts';

/** Most households one search answers with. */
const MAX_MATCHES = 10;

/** A household found for booking: its active children and live contacts (numbers masked). */
export const BookableHouseholdSchema = z
  .object({
    id: z.string().openapi({ example: 'hsh_7m2k9x4q1b8c0d5e' }),
    name: z.string().openapi({ example: '王家' }),
    children: z.array(
      z.object({
        id: z.string(),
        familyName: z.string(),
        givenName: z.string(),
        className: z.string().nullable(),
      }),
    ),
    contacts: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        relation: z.string(),
        phoneMasked: z.string().openapi({ example: '+86 138****5678' }),
        timeZone: z.string(),
        channel: z.enum(['video', 'phone']),
        approved: z.boolean().openapi({ description: 'Only approved contacts can be booked' }),
      }),
    ),
  })
  .openapi('BookableHousehold');

export const route = createRoute({
  method: 'get',
  path: '/api/bookings/household-search',
  tags: ['bookings'],
  summary: 'Find a household to book by a child’s or a parent’s name',
  description:
    'Matches a child’s name (family name, given name or both, as written: 王小明), a contact’s name or the ' +
    'household’s name; archived households and children are left out. At most 10 households, each with its ' +
    'active children and its contacts (numbers masked, `approved` saying who can be booked).',
  request: {
    query: z.object({ search: z.string().trim().min(1).max(40).openapi({ example: '小明' }) }),
  },
  responses: {
    200: {
      description: 'The households found',
      content: { 'application/json': { schema: z.object({ items: z.array(BookableHouseholdSchema) }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/bookings/household-search` (teacher): the caller's Home only. */
export function registerSearchHouseholds(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const directory = await loadBookingDirectory(c.get('services').database.db, staff.homeId);
    const needle = c.req.valid('query').search.toLowerCase();
    const has = (text: string) => text.toLowerCase().includes(needle);
    const contactsOf = new Map<string, Contact[]>();
    for (const contact of directory.contacts.values()) {
      if (isErasedContactPhone(contact.phone)) continue;
      const list = contactsOf.get(contact.householdId) ?? [];
      list.push(contact);
      contactsOf.set(contact.householdId, list);
    }
    const items = [...directory.households.values()]
      .filter((household) => household.archivedAt === null)
      .map((household) => ({
        household,
        children: (directory.childrenOfHousehold.get(household.id) ?? []).filter((c) => c.archivedAt === null),
        contacts: contactsOf.get(household.id) ?? [],
      }))
      .filter(
        ({ household, children, contacts }) =>
          has(household.name) ||
          children.some((child) => has(child.givenName) || has(`${child.familyName}${child.givenName}`)) ||
          contacts.some((contact) => has(contact.name)),
      )
      .sort(
        (a, b) =>
          a.household.name.localeCompare(b.household.name, 'zh-CN') || a.household.id.localeCompare(b.household.id),
      )
      .slice(0, MAX_MATCHES)
      .map(({ household, children, contacts }) => ({
        id: household.id,
        name: household.name,
        children: children.map((child) => ({
          id: child.id,
          familyName: child.familyName,
          givenName: child.givenName,
          className: child.className,
        })),
        contacts: contacts.map((contact) => ({
          id: contact.id,
          name: contact.name,
          relation: contact.relation,
          phoneMasked: maskPhone(contact.phone),
          timeZone: contact.timeZone,
          channel: contact.channel,
          approved: isContactApproved(contact),
        })),
      }));
    return c.json({ items }, 200);
  });
}

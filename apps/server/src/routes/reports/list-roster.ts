import { AppError } from '@affection/core';
import { listRosterEntries } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { RosterPageSchema, RosterQuerySchema } from './report-schemas.ts';
import { ledgerPhone, loadReportHome, offsetCursor, offsetOfCursor } from './report-support.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/reports/roster',
  tags: ['reports'],
  summary: 'The roster (留守儿童花名册): children, class, household and their contacts, paged (audited)',
  description:
    'Phone numbers are masked (138****5678) unless the admin asks for whole numbers (`phones=whole`, audited as ' +
    'an export); a teacher asking for them is refused (403). With from/to, the children on the roll during the ' +
    'period; without, those on the roll today.',
  request: { query: RosterQuerySchema },
  responses: {
    200: { description: 'A page of the roster', content: { 'application/json': { schema: RosterPageSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

/** Refuses whole phone numbers to anyone but the admin. */
export function requireWholePhonesAllowed(role: string, phones: 'masked' | 'whole'): void {
  if (phones === 'whole' && role !== 'admin') {
    throw new AppError('forbidden', 'Only the admin may see whole phone numbers.');
  }
}

/** The fields a roster read or export is audited with (names, never values): the phone whole or masked. */
export function rosterAuditFields(whole: boolean): string[] {
  return [
    'familyName',
    'givenName',
    'className',
    'household',
    'contact.name',
    'contact.relation',
    'contact.city',
    whole ? 'contact.phone' : 'contact.phone(masked)',
  ];
}

/** `GET /api/reports/roster` (teacher; whole numbers admin only): audited as `report.roster-read` or `-export`. */
export function registerListRoster(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    requireWholePhonesAllowed(staff.role, query.phones);
    const offset = offsetOfCursor(query.cursor);
    const db = c.get('services').database.db;
    const home = await loadReportHome(db, staff.homeId);
    const period = query.from && query.to ? { from: query.from, to: query.to } : null;
    const page = await listRosterEntries(db, home.id, home.timeZone, period, { limit: query.limit, offset });
    const whole = query.phones === 'whole';
    await audit(c, whole ? 'report.roster-export' : 'report.roster-read', 'home', home.id, {
      fields: rosterAuditFields(whole),
      childIds: page.items.map((item) => item.childId),
    });
    const next = offset + page.items.length;
    return c.json(
      {
        home,
        period,
        total: page.total,
        items: page.items.map((item) => ({
          ...item,
          contacts: item.contacts.map((contact) => ({ ...contact, phone: ledgerPhone(contact.phone, whole) })),
        })),
        nextCursor: next < page.total ? offsetCursor(next) : null,
      },
      200,
    );
  });
}

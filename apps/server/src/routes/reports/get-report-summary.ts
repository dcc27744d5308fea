import { AppError } from '@affection/core';
import {
  type Db,
  getChild,
  getStaff,
  listPairingsOfChild,
  listUnreachedChildren,
  loadReportCounts,
  type ReportScope,
} from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { StaffPrincipal } from '../../auth/principal.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { fieldProblem } from '../contacts/field-problem.ts';
import { addRoute } from '../define-route.ts';
import { ReportSummarySchema, SummaryQuerySchema } from './report-schemas.ts';
import { childName, loadReportHome, offsetCursor, offsetOfCursor } from './report-support.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/reports/summary',
  tags: ['reports'],
  summary:
    "A period's calls for the Home, a teacher's paired children or one child: totals, months, weeks, moods (audited)",
  description:
    'Counted in SQL over the bookings and call logs. A call belongs to the day its slot starts on in the ' +
    "Home's zone. A teacher may ask for the whole Home, for their own paired children or for a child paired with " +
    'them; the admin for anyone in the Home. The children with no call that took place are paged (limit/cursor).',
  request: { query: SummaryQuerySchema },
  responses: {
    200: { description: 'The summary', content: { 'application/json': { schema: ReportSummarySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** The scope asked for, checked against who asks: a teacher sees only themselves and the children paired with them. */
async function resolveScope(
  db: Db,
  staff: StaffPrincipal,
  query: { scope: 'home' | 'teacher' | 'child'; staffId?: string | undefined; childId?: string | undefined },
): Promise<{ scope: ReportScope; staffName: string | null; childName: string | null }> {
  if (query.scope === 'home') return { scope: { kind: 'home' }, staffName: null, childName: null };
  if (query.scope === 'teacher') {
    const staffId = query.staffId ?? staff.staffId;
    if (staff.role !== 'admin' && staffId !== staff.staffId) {
      throw new AppError('forbidden', "Only the admin may see another teacher's report.");
    }
    const member = await getStaff(db, staff.homeId, staffId);
    if (!member) throw new AppError('not-found', 'No such member of staff in your Home.');
    return { scope: { kind: 'teacher', staffId }, staffName: member.displayName, childName: null };
  }
  if (!query.childId) {
    throw new AppError('validation-failed', 'Some fields need fixing: childId', {
      details: { target: 'query', fields: [fieldProblem('childId', 'validation.required')] },
    });
  }
  const child = await getChild(db, staff.homeId, query.childId);
  if (!child || child.erasedAt) throw new AppError('not-found', 'No such child in your Home.');
  if (staff.role !== 'admin') {
    const pairings = await listPairingsOfChild(db, staff.homeId, child.id);
    if (!pairings.some((pairing) => pairing.staffId === staff.staffId))
      throw new AppError('forbidden', 'Only the admin may see the report of a child not paired with you.');
  }
  return { scope: { kind: 'child', childId: child.id }, staffName: null, childName: childName(child) };
}

/** `GET /api/reports/summary` (teacher; the scope decides further): each read is audited (`report.summary-read`). */
export function registerGetReportSummary(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const offset = offsetOfCursor(query.cursor);
    const home = await loadReportHome(db, staff.homeId);
    const resolved = await resolveScope(db, staff, query);
    const period = { from: query.from, to: query.to };
    const counts = await loadReportCounts(db, home.id, home.timeZone, period, resolved.scope, {
      weeks: query.includeWeeks === 'true',
    });
    const unreached = await listUnreachedChildren(db, home.id, home.timeZone, period, resolved.scope, {
      limit: query.limit,
      offset,
    });
    await audit(c, 'report.summary-read', 'home', home.id, {
      scope: resolved.scope.kind,
      staffId: resolved.scope.kind === 'teacher' ? resolved.scope.staffId : null,
      childId: resolved.scope.kind === 'child' ? resolved.scope.childId : null,
      from: period.from,
      to: period.to,
    });
    const next = offset + unreached.items.length;
    return c.json(
      {
        home,
        period,
        scope: {
          kind: resolved.scope.kind,
          staffId: resolved.scope.kind === 'teacher' ? resolved.scope.staffId : null,
          staffName: resolved.staffName,
          childId: resolved.scope.kind === 'child' ? resolved.scope.childId : null,
          childName: resolved.childName,
        },
        totals: counts.totals,
        months: counts.months,
        weeks: counts.weeks,
        moods: counts.moods,
        unreached: {
          total: unreached.total,
          items: unreached.items,
          nextCursor: next < unreached.total ? offsetCursor(next) : null,
        },
      },
      200,
    );
  });
}

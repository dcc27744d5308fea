import { replaceDutyPattern } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toDutyPatternEntryDto } from './duty-dto.ts';
import { DutyPatternEntrySchema, ReplaceDutyPatternSchema } from './duty-schemas.ts';
import { requireHomeStaff } from './duty-staff-check.ts';

export const route = createRoute({
  method: 'put',
  path: '/api/duty/pattern',
  tags: ['duty'],
  summary: 'Replace the whole weekly duty rota',
  request: { body: { required: true, content: { 'application/json': { schema: ReplaceDutyPatternSchema } } } },
  'x-refusals': refusals('duty', 'staff-inactive'),
  responses: {
    200: {
      description: 'The new rota',
      content: { 'application/json': { schema: z.object({ entries: z.array(DutyPatternEntrySchema) }) } },
    },
    ...errorResponses(400, 401, 403, 404, 422),
  },
});

/** `PUT /api/duty/pattern` (admin): staff of another Home are 404, deactivated staff 422. */
export function registerReplaceDutyPattern(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const input = c.req.valid('json');
    const db = c.get('services').database.db;
    await requireHomeStaff(
      db,
      staff.homeId,
      input.map((entry) => entry.staffId),
      { active: true },
    );
    const entries = await replaceDutyPattern(db, staff.homeId, input);
    await audit(c, 'duty.pattern_replace', 'home', staff.homeId, { entryIds: entries.map((entry) => entry.id) });
    return c.json({ entries: entries.map(toDutyPatternEntryDto) }, 200);
  });
}

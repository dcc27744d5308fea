import { replaceOpeningRules } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toOpeningRuleDto } from './opening-dto.ts';
import {
  OnBookingsQuerySchema,
  OpeningRuleSchema,
  OutsideBookingsResultSchema,
  ReplaceOpeningRulesSchema,
} from './opening-schemas.ts';
import { bookingsAuditOf, cancelReasonOf, runOpeningChange } from './run-opening-change.ts';

export const route = createRoute({
  method: 'put',
  path: '/api/opening/rules',
  tags: ['opening'],
  summary: 'Replace the whole weekly timetable (an empty list closes every weekday)',
  description:
    'Booked calls that fitted the old hours and do not fit the new ones are cancelled (the families are told by SMS) ' +
    'with `?onBookings=cancel`, or kept with `?onBookings=keep`; without the choice such a change is 409 ' +
    '`bookings-affected` and nothing is saved. See `POST /api/opening/preview`.',
  request: {
    query: OnBookingsQuerySchema,
    body: { required: true, content: { 'application/json': { schema: ReplaceOpeningRulesSchema } } },
  },
  'x-refusals': refusals('opening', 'bookings-affected', 'bookings-changed'),
  responses: {
    200: {
      description: 'The new weekly rules, and what was done with the calls left outside them',
      content: {
        'application/json': {
          schema: z.object({ rules: z.array(OpeningRuleSchema), bookings: OutsideBookingsResultSchema }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 409),
  },
});

/** `PUT /api/opening/rules` (admin): overlapping ranges on one weekday are 400. */
export function registerReplaceOpeningRules(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const input = c.req.valid('json');
    const { onBookings } = c.req.valid('query');
    const answer = await runOpeningChange(c, staff, {
      apply: (db) => replaceOpeningRules(db, staff.homeId, input),
      onBookings,
      reason: cancelReasonOf('changed'),
    });
    await audit(c, 'opening.rules_replace', 'home', staff.homeId, {
      ruleIds: answer.result.map((rule) => rule.id),
      ...bookingsAuditOf(answer, onBookings),
    });
    return c.json({ rules: answer.result.map(toOpeningRuleDto), bookings: answer.bookings }, 200);
  });
}

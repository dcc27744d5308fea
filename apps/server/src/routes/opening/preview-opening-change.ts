import { replaceOpeningRules } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { writeClosure } from './create-closure.ts';
import { createCheckedException } from './create-opening-exception.ts';
import { deleteExistingException } from './delete-opening-exception.ts';
import { OutsideBookingSchema, PreviewOpeningChangeSchema } from './opening-schemas.ts';
import { cancelReasonOf, refusePastDates, runOpeningChange } from './run-opening-change.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/opening/preview',
  tags: ['opening'],
  summary: 'The booked calls a change of opening hours would leave outside them (nothing is saved)',
  description:
    'Takes one change as its saving route would (`change`: `rules` with the whole timetable, `exception`, `closure` ' +
    'or `delete-exception` with the id), checks it the same way (400, 404, 409 `exception-clash`), makes it in a ' +
    'transaction that is always rolled back, and answers the calls that hold a slot, have not ended, fitted the ' +
    'hours before and do not fit them after, in time order, with who they are for.',
  request: {
    body: { required: true, content: { 'application/json': { schema: PreviewOpeningChangeSchema } } },
  },
  'x-refusals': refusals('opening', 'exception-clash'),
  responses: {
    200: {
      description: 'The calls the change would leave outside the hours',
      content: {
        'application/json': {
          schema: z.object({
            timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
            bookings: z.array(OutsideBookingSchema),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/opening/preview` (admin). */
export function registerPreviewOpeningChange(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const input = c.req.valid('json');
    const homeId = staff.homeId;
    if (input.change === 'exception') await refusePastDates(c, homeId, { date: input.date });
    if (input.change === 'closure') await refusePastDates(c, homeId, { from: input.from });
    const answer = await runOpeningChange(c, staff, {
      dryRun: true,
      reason: cancelReasonOf('changed'),
      apply: async (db) => {
        switch (input.change) {
          case 'rules':
            await replaceOpeningRules(db, homeId, input.rules);
            return;
          case 'exception': {
            const { change: _, ...exception } = input;
            await createCheckedException(db, homeId, exception);
            return;
          }
          case 'closure':
            await writeClosure(db, homeId, input);
            return;
          case 'delete-exception':
            await deleteExistingException(db, homeId, input.id);
            return;
        }
      },
    });
    return c.json({ timeZone: answer.timeZone, bookings: answer.outside }, 200);
  });
}

import { AppError } from '@affection/core';
import { type Db, deleteOpeningException } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { OnBookingsQuerySchema, OutsideBookingsResultSchema } from './opening-schemas.ts';
import { bookingsAuditOf, cancelReasonOf, runOpeningChange } from './run-opening-change.ts';

export const route = createRoute({
  method: 'delete',
  path: '/api/opening/exceptions/{id}',
  tags: ['opening'],
  summary: 'Remove a dated exception: that date follows the weekly rules again',
  description:
    'Removing special hours can leave booked calls outside the weekly rules of that date: `?onBookings=cancel` ' +
    'cancels them (the families are told), `keep` keeps them; without the choice that is 409 `bookings-affected`.',
  request: { params: idParam('opx'), query: OnBookingsQuerySchema },
  'x-refusals': refusals('opening', 'bookings-affected', 'bookings-changed'),
  responses: {
    200: {
      description: 'Deleted, with what was done with the calls left outside the hours',
      content: {
        'application/json': { schema: z.object({ id: z.string(), bookings: OutsideBookingsResultSchema }) },
      },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** Deletes one exception of the Home; another Home's (or none) is a 404. */
export async function deleteExistingException(db: Db, homeId: string, id: string): Promise<string> {
  const deleted = await deleteOpeningException(db, homeId, id);
  if (!deleted) throw new AppError('not-found', 'No such opening exception in your Home.');
  return deleted.id;
}

/** `DELETE /api/opening/exceptions/{id}` (admin). */
export function registerDeleteOpeningException(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { onBookings } = c.req.valid('query');
    const answer = await runOpeningChange(c, staff, {
      apply: (db) => deleteExistingException(db, staff.homeId, id),
      onBookings,
      reason: cancelReasonOf('changed'),
    });
    const details = bookingsAuditOf(answer, onBookings);
    await audit(c, 'opening.exception_delete', 'opening_exception', id, Object.keys(details).length ? details : null);
    return c.json({ id, bookings: answer.bookings }, 200);
  });
}

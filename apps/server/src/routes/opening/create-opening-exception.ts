import { AppError, type OpeningException } from '@affection/core';
import { createOpeningException, type Db, listOpeningExceptions, type OpeningExceptionInput } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toOpeningExceptionDto } from './opening-dto.ts';
import {
  CreateOpeningExceptionSchema,
  OpeningExceptionSchema,
  OutsideBookingsResultSchema,
  rangesOverlap,
} from './opening-schemas.ts';
import { bookingsAuditOf, cancelReasonOf, refusePastDates, runOpeningChange } from './run-opening-change.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/opening/exceptions',
  tags: ['opening'],
  summary: 'Close the Home on a date, or open it at special hours that replace the weekly rules',
  description:
    "A date before today (in the Home's zone) is 400 `validation.date_past`. Booked calls the exception leaves " +
    'outside the hours are cancelled (`onBookings: cancel`, the families are told by SMS) or kept (`keep`); without ' +
    'the choice such a change is 409 `bookings-affected` and nothing is saved.',
  request: {
    body: { required: true, content: { 'application/json': { schema: CreateOpeningExceptionSchema } } },
  },
  'x-refusals': refusals('opening', 'exception-clash', 'bookings-affected', 'bookings-changed'),
  responses: {
    201: {
      description: 'Created, with what was done with the calls left outside the hours',
      content: {
        'application/json': { schema: OpeningExceptionSchema.extend({ bookings: OutsideBookingsResultSchema }) },
      },
    },
    ...errorResponses(400, 401, 403, 409),
  },
});

/**
 * Stores a dated exception after checking it does not clash with the others of its date: a date is either closed
 * (one exception) or has one or more non-overlapping special ranges; anything else is 409 `exception-clash`.
 */
export async function createCheckedException(
  db: Db,
  homeId: string,
  input: OpeningExceptionInput & { startTime?: string | undefined; endTime?: string | undefined },
): Promise<OpeningException> {
  const sameDay = await listOpeningExceptions(db, homeId, { from: input.date, to: input.date });
  const clash = sameDay.find(
    (other) =>
      input.closed ||
      other.closed ||
      rangesOverlap(
        { startTime: input.startTime!, endTime: input.endTime! },
        { startTime: other.startTime!, endTime: other.endTime! },
      ),
  );
  if (clash) {
    throw new AppError(
      'conflict',
      input.closed || clash.closed
        ? 'This date already has an exception. A closed day cannot have other hours; delete the other one first.'
        : 'These hours overlap special hours already set for this date.',
      { userMessageKey: 'error.opening.exception-clash', details: { reason: 'exception-clash', id: clash.id } },
    );
  }
  return createOpeningException(db, homeId, input);
}

/** `POST /api/opening/exceptions` (admin). */
export function registerCreateOpeningException(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { onBookings, ...input } = c.req.valid('json');
    await refusePastDates(c, staff.homeId, { date: input.date });
    const answer = await runOpeningChange(c, staff, {
      apply: (db) => createCheckedException(db, staff.homeId, input),
      onBookings,
      reason: cancelReasonOf(input.closed ? 'closed' : 'changed', input.note),
    });
    const exception = answer.result;
    await audit(c, 'opening.exception_create', 'opening_exception', exception.id, {
      fields: Object.keys(input),
      ...bookingsAuditOf(answer, onBookings),
    });
    return c.json({ ...toOpeningExceptionDto(exception), bookings: answer.bookings }, 201);
  });
}

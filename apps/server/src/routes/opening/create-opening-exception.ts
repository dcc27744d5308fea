import { AppError } from '@affection/core';
import { createOpeningException, listOpeningExceptions } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toOpeningExceptionDto } from './opening-dto.ts';
import { CreateOpeningExceptionSchema, OpeningExceptionSchema, rangesOverlap } from './opening-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/opening/exceptions',
  tags: ['opening'],
  summary: 'Close the Home on a date, or open it at special hours that replace the weekly rules',
  request: {
    body: { required: true, content: { 'application/json': { schema: CreateOpeningExceptionSchema } } },
  },
  'x-refusals': refusals('opening', 'exception-clash'),
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: OpeningExceptionSchema } } },
    ...errorResponses(400, 401, 403, 409),
  },
});

/**
 * `POST /api/opening/exceptions` (admin). A date is either closed (one exception) or has one or
 * more non-overlapping special ranges; anything else is 409.
 */
export function registerCreateOpeningException(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const input = c.req.valid('json');
    const db = c.get('services').database.db;
    const sameDay = await listOpeningExceptions(db, staff.homeId, { from: input.date, to: input.date });
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
    const exception = await createOpeningException(db, staff.homeId, input);
    await audit(c, 'opening.exception_create', 'opening_exception', exception.id, { fields: Object.keys(input) });
    return c.json(toOpeningExceptionDto(exception), 201);
  });
}

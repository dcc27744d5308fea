import type { OpeningException } from '@affection/core';
import { createOpeningException, type Db, deleteOpeningException, listOpeningExceptions } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toOpeningExceptionDto } from './opening-dto.ts';
import {
  CreateClosureSchema,
  daysOfRange,
  OpeningExceptionSchema,
  OutsideBookingsResultSchema,
} from './opening-schemas.ts';
import { bookingsAuditOf, cancelReasonOf, refusePastDates, runOpeningChange } from './run-opening-change.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/opening/closures',
  tags: ['opening'],
  summary: 'Close the Home every day from one date to another (a holiday), with a note',
  description:
    'One closed exception per date, `from` to `to` both included, at most 62 days (else 400 ' +
    '`validation.range_too_long`); `to` before `from` is 400 `validation.date_order`, a day before today 400 ' +
    '`validation.date_past`. A date already closed is left as it is; special hours on a date in the range are ' +
    'replaced by the closure. Booked calls in the range are cancelled (`onBookings: cancel`, the families are told) ' +
    'or kept (`keep`); without the choice that is 409 `bookings-affected`. All in one transaction.',
  request: { body: { required: true, content: { 'application/json': { schema: CreateClosureSchema } } } },
  'x-refusals': refusals('opening', 'bookings-affected', 'bookings-changed'),
  responses: {
    201: {
      description: 'The closed days made, the special hours they replaced, and what was done with the calls',
      content: {
        'application/json': {
          schema: z.object({
            exceptions: z.array(OpeningExceptionSchema),
            replaced: z.array(OpeningExceptionSchema),
            alreadyClosed: z.array(z.string()).openapi({ description: 'Dates of the range that were closed already' }),
            bookings: OutsideBookingsResultSchema,
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 409),
  },
});

/** What a closure wrote. */
export interface ClosureWrite {
  created: OpeningException[];
  replaced: OpeningException[];
  alreadyClosed: string[];
}

/** Closes every date of the range: a closed date stays, special hours are replaced, other dates get a closed day. */
export async function writeClosure(
  db: Db,
  homeId: string,
  input: { from: string; to: string; note?: string | null | undefined },
): Promise<ClosureWrite> {
  const existing = await listOpeningExceptions(db, homeId, { from: input.from, to: input.to });
  const write: ClosureWrite = { created: [], replaced: [], alreadyClosed: [] };
  for (const date of daysOfRange(input.from, input.to)) {
    const sameDay = existing.filter((e) => e.date === date);
    if (sameDay.some((e) => e.closed)) {
      write.alreadyClosed.push(date);
      continue;
    }
    for (const special of sameDay) {
      await deleteOpeningException(db, homeId, special.id);
      write.replaced.push(special);
    }
    write.created.push(await createOpeningException(db, homeId, { date, closed: true, note: input.note ?? null }));
  }
  return write;
}

/** `POST /api/opening/closures` (admin). */
export function registerCreateClosure(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { onBookings, ...input } = c.req.valid('json');
    await refusePastDates(c, staff.homeId, { from: input.from });
    const answer = await runOpeningChange(c, staff, {
      apply: (db) => writeClosure(db, staff.homeId, input),
      onBookings,
      reason: cancelReasonOf('closed', input.note),
    });
    const { created, replaced, alreadyClosed } = answer.result;
    await audit(c, 'opening.closure_create', 'home', staff.homeId, {
      exceptionIds: created.map((e) => e.id),
      replacedExceptionIds: replaced.map((e) => e.id),
      fields: Object.keys(input),
      ...bookingsAuditOf(answer, onBookings),
    });
    return c.json(
      {
        exceptions: created.map(toOpeningExceptionDto),
        replaced: replaced.map(toOpeningExceptionDto),
        alreadyClosed,
        bookings: answer.bookings,
      },
      201,
    );
  });
}

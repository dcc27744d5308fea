import { confirmProposals } from '@affection/bookings';
import { listBookings } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { DateSchema, errorResponses, idOf } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toBookingDto } from './booking-dto.ts';
import { BookingSchema } from './booking-schemas.ts';
import { loadHomeZone } from './load-home-zone.ts';
import { proposalWeekOf } from './proposal-week.ts';

/** Most proposals one request confirms by id. */
export const MAX_CONFIRM_IDS = 500;

/** Body of `POST /api/bookings/proposals/confirm`: a list of proposals, or a whole week. */
export const ConfirmProposalsSchema = z
  .object({
    bookingIds: z
      .array(idOf('bkg'))
      .min(1)
      .max(MAX_CONFIRM_IDS)
      .optional()
      .openapi({ description: 'The proposals to confirm' }),
    week: DateSchema.optional().openapi({
      description:
        "Any date of a week: confirm every proposal still awaiting an answer that starts in it (the Home's zone)",
    }),
  })
  .strict()
  .refine((body) => (body.bookingIds === undefined) !== (body.week === undefined), {
    message: 'validation.invalid',
    path: ['bookingIds'],
  })
  .openapi('ConfirmProposals');

/** What became of each proposal. */
export const ProposalConfirmationsSchema = z
  .object({
    confirmed: z.number().int(),
    refused: z.number().int(),
    results: z.array(
      z.object({
        bookingId: z.string(),
        ok: z.boolean(),
        reason: z
          .enum(['not-active', 'not-found'])
          .nullable()
          .openapi({ description: '`not-active`: no longer a proposal; `not-found`: not in your Home' }),
        booking: BookingSchema.nullable(),
      }),
    ),
  })
  .openapi('ProposalConfirmations');

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/proposals/confirm',
  tags: ['bookings'],
  summary: 'Confirm several proposals at once ("confirm all" of a week), answering per booking',
  description:
    'Either `bookingIds` or `week` (one of them). Each proposal is confirmed on its own, as `POST ' +
    '/api/bookings/{id}/confirm` would (the family gets its confirmation SMS); one that cannot be confirmed does ' +
    'not stop the others and is answered with its reason.',
  request: { body: { required: true, content: { 'application/json': { schema: ConfirmProposalsSchema } } } },
  responses: {
    200: { description: 'Per booking', content: { 'application/json': { schema: ProposalConfirmationsSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

/** `POST /api/bookings/proposals/confirm` (teacher). */
export function registerConfirmProposals(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const input = c.req.valid('json');
    const services = c.get('services');
    const db = services.database.db;
    const zone = await loadHomeZone(db, staff.homeId);
    let bookingIds = input.bookingIds ?? [];
    if (input.week) {
      const { start, end } = proposalWeekOf(zone, services.now(), input.week);
      const awaiting = await listBookings(db, staff.homeId, { from: start, to: end, statuses: ['proposed'] });
      bookingIds = awaiting.filter((b) => b.start >= start && b.start < end).map((b) => b.id);
    }
    const results = await confirmProposals(bookingDepsOf(services), bookingActorOf(staff), {
      homeId: staff.homeId,
      bookingIds,
    });
    const confirmed = results.filter((r) => r.ok).length;
    return c.json(
      {
        confirmed,
        refused: results.length - confirmed,
        results: results.map((r) =>
          r.ok
            ? { bookingId: r.bookingId, ok: true, reason: null, booking: toBookingDto(r.booking, zone) }
            : { bookingId: r.bookingId, ok: false, reason: r.reason, booking: null },
        ),
      },
      200,
    );
  });
}

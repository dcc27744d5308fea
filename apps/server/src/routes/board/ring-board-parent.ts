import { AppError, canReachContact, isChangeableBookingStatus } from '@affection/core';
import { getBooking, getContact, insertBookingSteps, listBookingSteps } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { boardActionResultOf } from './board-action-result.ts';
import { boardRefusalError, RING_REFUSALS } from './board-refusal.ts';
import { BoardActionResultSchema, BoardActionSchema } from './board-schemas.ts';

/** The lifecycle step that rings the contact's number on file into the room (as the voice menu's ring-back). */
const RING_BACK = 'ring-back';

/** The room opens this long before the start; ringing makes sense from then to the end. */
const ROOM_OPENS_BEFORE_MS = 5 * 60_000;

export const route = createRoute({
  method: 'post',
  path: '/api/board/calls/{id}/ring',
  tags: ['board'],
  summary: "Ring the parent's phone now and bridge them into the call's room",
  description:
    'Asks the call’s lifecycle to ring the booked contact’s number on file at once (the `ring-back` step, run by ' +
    'the lifecycle worker; not when the contact is in the room already), once per version of the booking. 503 ' +
    '`no-phone-line` when no SIP trunk is configured; 422 `cannot-ring` for a contact who may not be rung (not ' +
    'approved, number erased, video only without phone fallback); 409 `already-ringing` when a ring was asked ' +
    'already for this version; 409 `not-live` outside the call.',
  'x-refusals': RING_REFUSALS,
  request: {
    params: idParam('bkg'),
    body: { required: false, content: { 'application/json': { schema: BoardActionSchema } } },
  },
  responses: {
    202: { description: 'Ringing asked', content: { 'application/json': { schema: BoardActionResultSchema } } },
    503: { description: 'No phone line is set up (`no-phone-line`)' },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/board/calls/{id}/ring` (teacher). */
export function registerRingBoardParent(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json') ?? {};
    const services = c.get('services');
    const db = services.database.db;
    const now = services.now();
    const booking = await getBooking(db, staff.homeId, id);
    if (!booking) throw new AppError('not-found', 'No such booking in your Home.');
    if (!isChangeableBookingStatus(booking.status)) {
      throw boardRefusalError(
        booking.status === 'completed' || booking.status === 'missed' ? 'already-ended' : 'not-live',
      );
    }
    if (
      (body.version !== undefined && body.version !== booking.version) ||
      now.getTime() < booking.start.getTime() - ROOM_OPENS_BEFORE_MS ||
      now.getTime() >= booking.end.getTime()
    ) {
      throw boardRefusalError('not-live');
    }
    if (!services.settings.canRingPhones) throw boardRefusalError('no-phone-line');
    const contact = await getContact(db, staff.homeId, booking.contactId);
    if (!contact || !canReachContact(contact, 'call') || (contact.channel !== 'phone' && !contact.phoneFallback)) {
      throw boardRefusalError('cannot-ring');
    }
    // A version without steps is not planned yet: plan it first, so that the lone ring step does not stand in for it.
    let steps = (await listBookingSteps(db, booking.id)).filter((s) => s.bookingVersion === booking.version);
    if (steps.length === 0) {
      await services.onBookingChanged(booking.id);
      steps = (await listBookingSteps(db, booking.id)).filter((s) => s.bookingVersion === booking.version);
    }
    if (steps.some((s) => s.kind === RING_BACK)) throw boardRefusalError('already-ringing');
    const inserted = await insertBookingSteps(
      db,
      [{ bookingId: booking.id, kind: RING_BACK, bookingVersion: booking.version, dueAt: now }],
      now,
    );
    if (inserted.length === 0) throw boardRefusalError('already-ringing');
    await audit(c, 'call.ring-now', 'booking', booking.id, { contactId: contact.id, version: booking.version });
    // Enqueues the new step with the plan's other pending ones.
    await services.onBookingChanged(booking.id);
    await services.homeChanges?.publish(staff.homeId, { kind: 'booking', bookingId: booking.id });
    return c.json(boardActionResultOf(booking), 202);
  });
}

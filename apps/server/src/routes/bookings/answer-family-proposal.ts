import { answerProposal } from '@affection/bookings';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toFamilyBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { FamilyBookingSchema } from './booking-schemas.ts';
import { familyZones } from './family-zones.ts';

/** Body of `POST /api/family/bookings/{id}/answer`. */
export const AnswerFamilyProposalSchema = z
  .object({
    answer: z.enum(['confirm', 'decline']).openapi({ description: '`confirm`: the call takes place; `decline`: not' }),
    version: z.number().int().min(1).optional().openapi({ description: 'Refuse if the proposal changed meanwhile' }),
  })
  .strict()
  .openapi('AnswerFamilyProposal');

export const route = createRoute({
  method: 'post',
  path: '/api/family/bookings/{id}/answer',
  tags: ['family'],
  summary: 'Confirm or decline a call the weekly scheduler proposed to the household',
  description:
    "The parent's answer on the page, as the SMS `1` / `2` where replies are possible (a +86 number cannot reply, " +
    'so this is its way to confirm). `confirm` makes the proposal `confirmed` (the confirmation SMS, reminders and ' +
    'room follow); `decline` frees its slot. 409 `not-active` when it was already answered (by anyone) or changed; ' +
    "another household's booking is a 404.",
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: AnswerFamilyProposalSchema } } },
  },
  'x-refusals': refusals('booking', 'not-active'),
  responses: {
    200: { description: 'Answered', content: { 'application/json': { schema: FamilyBookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/family/bookings/{id}/answer` (family): its own household's proposals only, through `answerProposal`. */
export function registerAnswerFamilyProposal(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const services = c.get('services');
    const outcome = await answerProposal(bookingDepsOf(services), bookingActorOf(family), {
      homeId: family.homeId,
      bookingId: id,
      answer: input.answer,
      expectedVersion: input.version,
      householdId: family.householdId,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    const zones = await familyZones(services.database.db, family.homeId, family.contactId);
    return c.json(toFamilyBookingDto(outcome.booking, zones.home, zones.contact), 200);
  });
}

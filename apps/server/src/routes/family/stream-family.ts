import { getBooking } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { streamHomeChanges } from '../stream-home-changes.ts';

/**
 * A comment line keeps proxies and the phone's browser from closing an idle stream. A minute apart: each is a few
 * bytes, and a parent on mobile data pays for every one (about 1 KB an hour with the TCP overhead of a quiet link).
 */
export const FAMILY_HEARTBEAT_MS = 60_000;

/** How many bookings' households a stream remembers (a page open all day sees few). */
const HOUSEHOLD_CACHE_SIZE = 200;

export const route = createRoute({
  method: 'get',
  path: '/api/family/stream',
  tags: ['family'],
  summary: "Server-sent events: `changed` whenever a call of the parent's household is made or changes",
  description:
    'An `event: changed` (data: `{"bookingIds":[…]}`, the household’s own bookings only) within a second of any ' +
    "change of a booking of the signed-in parent's household (made, moved, cancelled, started, ended; in any " +
    "server or worker process: the Home's change feed over Redis pub/sub); changes of other households and Homes " +
    'are never sent. A `ready` event first and a heartbeat comment every minute. The page fetches ' +
    '`GET /api/family/me` again on an event. A server without a change feed sends one `unavailable` event and ends ' +
    'the stream.',
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/family/stream` (family): its own household's changes only. */
export function registerStreamFamily(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, (c, family) => {
    const db = c.get('services').database.db;
    // A booking's household never changes: remember the answer of each lookup, for this stream.
    const householdOf = new Map<string, string | null>();
    const isOurs = async (bookingId: string): Promise<boolean> => {
      if (!householdOf.has(bookingId)) {
        const booking = await getBooking(db, family.homeId, bookingId).catch(() => null);
        if (householdOf.size >= HOUSEHOLD_CACHE_SIZE) householdOf.clear();
        householdOf.set(bookingId, booking?.householdId ?? null);
      }
      return householdOf.get(bookingId) === family.householdId;
    };
    return streamHomeChanges(c, {
      homeId: family.homeId,
      heartbeatMs: FAMILY_HEARTBEAT_MS,
      pick: async (change) => ((await isOurs(change.bookingId)) ? change.bookingId : null),
      data: (bookingIds) => ({ bookingIds }),
    });
  });
}

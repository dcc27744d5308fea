import { listKioskCalls } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { KIOSK_LOOKAHEAD_MS } from './call-window.ts';
import { toKioskCallDto } from './kiosk-call-dto.ts';
import { KioskCallSchema } from './kiosk-call-schemas.ts';

const KioskCallListSchema = z
  .object({
    now: z.string().datetime().openapi({ description: "The server's time: the kiosk counts down from it" }),
    calls: z.array(KioskCallSchema),
  })
  .openapi('KioskCallList');

export const route = createRoute({
  method: 'get',
  path: '/api/kiosk/calls',
  tags: ['kiosk'],
  summary: "The Home's calls running now or starting within 30 minutes, soonest first",
  responses: {
    200: { description: 'Calls due', content: { 'application/json': { schema: KioskCallListSchema } } },
    ...errorResponses(401, 403),
  },
});

/**
 * `GET /api/kiosk/calls` (kiosk): the Home's active bookings (proposed, confirmed, in progress)
 * running now or starting within 30 minutes, with first names, initials colours, who calls and
 * whether each can be joined now. No phone number, surname or record reaches the kiosk.
 */
export function registerListKioskCalls(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'kiosk', route, async (c, kiosk) => {
    const { database, now } = c.get('services');
    const at = now();
    const calls = await listKioskCalls(database.db, kiosk.homeId, {
      now: at,
      startsBy: new Date(at.getTime() + KIOSK_LOOKAHEAD_MS),
    });
    return c.json(
      {
        now: at.toISOString(),
        calls: calls.filter((call) => call.children.length > 0).map((call) => toKioskCallDto(call, kiosk.kioskId, at)),
      },
      200,
    );
  });
}

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { streamHomeChanges } from '../stream-home-changes.ts';

/** A comment line keeps proxies and the browser from closing an idle stream. */
export const BOARD_HEARTBEAT_MS = 15_000;

export const route = createRoute({
  method: 'get',
  path: '/api/board/stream',
  tags: ['board'],
  summary: 'Server-sent events: `changed` whenever a booking or a call of the Home changes',
  description:
    'An `event: changed` (data: `{"kinds":["booking"|"call"]}`) after any booking of the Home changes (in any ' +
    'server or worker process: Redis pub/sub, a channel per Home) or a call event is folded into a call log; a ' +
    '`ready` event first, and a heartbeat comment every 15 s. The page fetches `GET /api/board/today` again on an ' +
    'event. A server without a change feed sends one `unavailable` event and ends the stream (the page polls).',
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/board/stream` (teacher, own Home's changes only). */
export function registerStreamBoard(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, (c, staff) =>
    streamHomeChanges(c, {
      homeId: staff.homeId,
      heartbeatMs: BOARD_HEARTBEAT_MS,
      pick: (change) => change.kind,
      data: (kinds) => ({ kinds }),
    }),
  );
}

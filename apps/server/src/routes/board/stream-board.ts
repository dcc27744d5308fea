import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

/** A comment line keeps proxies and the browser from closing an idle stream. */
export const BOARD_HEARTBEAT_MS = 15_000;

/** How long a browser waits before asking again a server that has no change feed. */
export const UNAVAILABLE_RETRY_MS = 300_000;

/** Changes arriving this close together are sent as one event (a booking change is often several writes). */
export const BOARD_COALESCE_MS = 100;

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
  addRoute(app, 'teacher', route, async (c, staff) => {
    const feed = c.get('services').homeChanges;
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    if (!feed) {
      // No change feed in this process: say so once and end; the page polls (and tries again much later).
      return streamSSE(c, async (stream) => {
        await stream.writeSSE({ event: 'unavailable', data: '{}', retry: UNAVAILABLE_RETRY_MS });
      });
    }
    return streamSSE(c, async (stream) => {
      let kinds = new Set<string>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const flush = () => {
        timer = undefined;
        const data = JSON.stringify({ kinds: [...kinds] });
        kinds = new Set();
        void stream.writeSSE({ event: 'changed', data }).catch(() => {});
      };
      const unsubscribe = feed.subscribe(staff.homeId, (change) => {
        kinds.add(change.kind);
        timer ??= setTimeout(flush, BOARD_COALESCE_MS);
      });
      const heartbeat = setInterval(() => {
        void stream.write(': heartbeat\n\n').catch(() => {});
      }, BOARD_HEARTBEAT_MS);
      let finish: () => void = () => {};
      const closed = new Promise<void>((resolve) => {
        finish = resolve;
      });
      stream.onAbort(() => finish());
      try {
        await stream.writeSSE({ event: 'ready', data: '{}', retry: 5_000 });
        await closed;
      } finally {
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        unsubscribe();
      }
    });
  });
}

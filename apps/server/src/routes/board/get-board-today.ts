import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { BoardSchema } from './board-schemas.ts';
import { loadTodayBoard } from './board-today.ts';
import { boardReadsOf, type SharedReads } from './shared-board-reads.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/board/today',
  tags: ['board'],
  summary: "Today's board: one lane per kiosk with the day's calls and their live state",
  description:
    'Each call shows the children (first names, photo), the contact and channel, and its live state from what the ' +
    'database records: upcoming → room-open → child-in → parent-in (video or phone) → ringing → ended (outcome and ' +
    'minutes); `waiting` when a child has been in the room alone for over a minute. Also who is on duty, today’s ' +
    'opening hours and the children with no call for the Home’s alert period. `GET /api/board/stream` says when to ' +
    'fetch it again.',
  responses: {
    200: { description: 'The board', content: { 'application/json': { schema: BoardSchema } } },
    ...errorResponses(401, 403),
  },
});

/**
 * `GET /api/board/today` (teacher, own Home). The consoles of a Home reload the board together after each change:
 * requests of one Home that arrive together share one read, started on the event loop's next turn; those arriving
 * while it runs share the one after it (see {@link SharedReads}).
 */
export function registerGetBoardToday(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const services = c.get('services');
    const board = await boardReadsOf(services).read(staff.homeId, () =>
      loadTodayBoard(services.database.db, staff.homeId, {
        now: services.now(),
        canRingPhones: services.settings.canRingPhones ?? false,
      }),
    );
    c.header('Cache-Control', 'no-store');
    return c.json(board, 200);
  });
}

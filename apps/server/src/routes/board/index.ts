import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCompleteBoardCallByPhone } from './complete-board-call-by-phone.ts';
import { registerEndBoardCall } from './end-board-call.ts';
import { registerExtendBoardCall } from './extend-board-call.ts';
import { registerGetBoardToday } from './get-board-today.ts';
import { registerRingBoardParent } from './ring-board-parent.ts';
import { registerStreamBoard } from './stream-board.ts';

/**
 * The duty teacher's live board: `GET /api/board/today`, `GET /api/board/stream` (server-sent events) and the
 * actions on a call (ring the parent, end now, 5 more minutes, done by phone). Cancelling is
 * `POST /api/bookings/{id}/cancel`.
 */
export function registerBoardRoutes(app: OpenAPIHono<AppEnv>): void {
  registerGetBoardToday(app);
  registerStreamBoard(app);
  registerRingBoardParent(app);
  registerEndBoardCall(app);
  registerExtendBoardCall(app);
  registerCompleteBoardCallByPhone(app);
}

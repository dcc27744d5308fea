import { AppError, participantIdentity } from '@affection/core';
import { recordKioskPresence } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { CALL_OPENS_BEFORE_START_MS, callNotOpenError, callWindowState } from './call-window.ts';
import { requireKioskCall } from './require-kiosk-call.ts';

/** How far a kiosk's clock may be ahead of ours (2 minutes) before its times are refused. */
export const KIOSK_CLOCK_TOLERANCE_MS = 2 * 60_000;

const ReportKioskCallSchema = z
  .object({
    childId: idOf('chd').openapi({ example: 'chd_7m2k9x4q1b8c0d5e' }),
    joinedAt: z.string().datetime({ offset: true }).openapi({ example: '2026-09-02T04:15:03Z' }),
    leftAt: z
      .string()
      .datetime({ offset: true })
      .nullish()
      .openapi({ example: '2026-09-02T04:29:40Z', description: 'Absent while the child is still in the call' }),
  })
  .strict()
  .refine((v) => !v.leftAt || Date.parse(v.leftAt) >= Date.parse(v.joinedAt), {
    message: 'validation.time_order',
    path: ['leftAt'],
  })
  .openapi('ReportKioskCall');

const KioskCallReportSchema = z
  .object({
    identity: z.string().openapi({ example: 'kid:chd_7m2k9x4q1b8c0d5e' }),
    joinedAt: z.string().datetime(),
    leftAt: z.string().datetime().nullable(),
  })
  .openapi('KioskCallReport');

export const route = createRoute({
  method: 'post',
  path: '/api/kiosk/calls/{id}/report',
  tags: ['kiosk'],
  summary: "The kiosk's own record of when a child was in the call",
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: ReportKioskCallSchema } } },
  },
  'x-refusals': refusals('kiosk-call', 'not-yet', 'cancelled', 'outside-call', 'too-many-reports'),
  responses: {
    200: { description: 'Kept (or already kept)', content: { 'application/json': { schema: KioskCallReportSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/**
 * `POST /api/kiosk/calls/{id}/report` (kiosk): keeps a child's stay in the call in the booking's
 * call log (`participants`, source `kiosk-report`), so that a lost webhook loses no log; the jobs
 * layer folds it into the outcome. Send it on joining (no `leftAt`) and on leaving (same `joinedAt`
 * with `leftAt`): idempotent by (child, joinedAt). 409 before the call opens or for a cancelled
 * call; 422 for times outside the call.
 */
export function registerReportKioskCall(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'kiosk', route, async (c, kiosk) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { database, now } = c.get('services');
    const { call, child } = await requireKioskCall(database.db, kiosk.homeId, id, body.childId);
    const at = now();
    const state = callWindowState(call, at);
    if (state === 'not-yet' || state === 'cancelled') throw callNotOpenError(state);
    const joinedAt = new Date(body.joinedAt);
    const leftAt = body.leftAt ? new Date(body.leftAt) : null;
    const earliest = call.start.getTime() - CALL_OPENS_BEFORE_START_MS - KIOSK_CLOCK_TOLERANCE_MS;
    const latest = at.getTime() + KIOSK_CLOCK_TOLERANCE_MS;
    const outside = [joinedAt, leftAt].some((t) => t !== null && (t.getTime() < earliest || t.getTime() > latest));
    if (outside) {
      throw new AppError('unprocessable', 'The reported times are outside this call.', {
        details: { reason: 'outside-call' },
      });
    }
    const result = await recordKioskPresence(database.db, {
      homeId: kiosk.homeId,
      bookingId: call.bookingId,
      identity: participantIdentity({ role: 'child', childId: child.id }),
      joinedAt,
      leftAt,
      now: at,
    });
    if (!result.ok) {
      throw new AppError('conflict', 'This call has too many reports already.', { details: { reason: result.reason } });
    }
    const { identity, joinedAt: joined, leftAt: left } = result.entry;
    return c.json({ identity, joinedAt: joined, leftAt: left }, 200);
  });
}

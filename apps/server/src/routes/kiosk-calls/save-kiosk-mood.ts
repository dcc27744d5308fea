import { AppError } from '@affection/core';
import { saveChildMood } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { callWindowState } from './call-window.ts';
import { requireKioskCall } from './require-kiosk-call.ts';

const SaveKioskMoodSchema = z
  .object({
    childId: idOf('chd').openapi({ example: 'chd_7m2k9x4q1b8c0d5e' }),
    mood: z.number().int().min(1).max(5).openapi({ example: 5, description: '1 (sad) to 5 (happy)' }),
  })
  .strict()
  .openapi('SaveKioskMood');

const KioskMoodSchema = z.object({ childId: z.string(), mood: z.number().int().min(1).max(5) }).openapi('KioskMood');

export const route = createRoute({
  method: 'post',
  path: '/api/kiosk/calls/{id}/mood',
  tags: ['kiosk'],
  summary: 'The face a child tapped after the call',
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: SaveKioskMoodSchema } } },
  },
  'x-refusals': refusals('kiosk-call', 'cancelled', 'not-started'),
  responses: {
    200: { description: 'Saved', content: { 'application/json': { schema: KioskMoodSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/**
 * `POST /api/kiosk/calls/{id}/mood` (kiosk): saves the child's mood on the call's log
 * (`call_log_children.mood`), creating the log and the child's row when missing. Only once the
 * call has started (409 `not-started` before, `cancelled` for a cancelled call); saving again
 * overwrites, so a retried request changes nothing.
 */
export function registerSaveKioskMood(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'kiosk', route, async (c, kiosk) => {
    const { id } = c.req.valid('param');
    const { childId, mood } = c.req.valid('json');
    const { database, now } = c.get('services');
    const { call, child } = await requireKioskCall(database.db, kiosk.homeId, id, childId);
    const at = now();
    if (callWindowState(call, at) === 'cancelled') {
      throw new AppError('conflict', 'This call was cancelled.', {
        userMessageKey: 'error.kiosk-call.cancelled',
        details: { reason: 'cancelled' },
      });
    }
    if (at < call.start) {
      throw new AppError('conflict', 'This call has not started yet.', {
        userMessageKey: 'error.kiosk-call.not-started',
        details: { reason: 'not-started' },
      });
    }
    const saved = await saveChildMood(database.db, {
      homeId: kiosk.homeId,
      bookingId: call.bookingId,
      childId: child.id,
      mood,
      now: at,
    });
    if (!saved) throw new AppError('not-found', 'This child is not on this call.');
    return c.json({ childId: child.id, mood }, 200);
  });
}

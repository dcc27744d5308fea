import { AppError } from '@affection/core';
import { type ChildCallLogEntry, getChild, listCallLogsOfChild } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam, PagingQuerySchema } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';

/** One call on a child's record. */
export const ChildCallSchema = z
  .object({
    callLogId: z.string().openapi({ example: 'cal_7m2k9x4q1b8c0d5e' }),
    bookingId: z.string().openapi({ example: 'bkg_7m2k9x4q1b8c0d5e' }),
    slotStart: z.string().openapi({ format: 'date-time' }),
    slotEnd: z.string().openapi({ format: 'date-time' }),
    bookingStatus: z.enum(['proposed', 'confirmed', 'in-progress', 'completed', 'missed', 'cancelled', 'declined']),
    outcome: z
      .enum(['completed', 'parent-no-show', 'child-no-show', 'failed'])
      .nullable()
      .openapi({ description: 'Null until the call has ended and been decided' }),
    startedAt: z.string().nullable().openapi({ format: 'date-time' }),
    endedAt: z.string().nullable().openapi({ format: 'date-time' }),
    durationSeconds: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'From the first to the last moment a child or parent was in the room' }),
    overlapSeconds: z
      .number()
      .int()
      .openapi({ description: 'Seconds the child and a parent were in the room together' }),
    mood: z.number().int().min(1).max(5).nullable().openapi({ description: 'The face the child tapped, 1–5' }),
  })
  .openapi('ChildCall');

function toChildCallDto(entry: ChildCallLogEntry): z.infer<typeof ChildCallSchema> {
  return {
    callLogId: entry.callLogId,
    bookingId: entry.bookingId,
    slotStart: entry.slotStart.toISOString(),
    slotEnd: entry.slotEnd.toISOString(),
    bookingStatus: entry.bookingStatus,
    outcome: entry.outcome,
    startedAt: entry.startedAt?.toISOString() ?? null,
    endedAt: entry.endedAt?.toISOString() ?? null,
    durationSeconds: entry.durationSeconds,
    overlapSeconds: entry.overlapSeconds,
    mood: entry.mood,
  };
}

export const route = createRoute({
  method: 'get',
  path: '/api/children/{id}/calls',
  tags: ['children'],
  summary: "The calls on a child's record, newest first (audited)",
  description:
    'Each call log built from LiveKit webhooks, the room API at close and the kiosk: outcome, when it started and ' +
    'ended, how long, how long child and parent were together, and the mood the child tapped.',
  request: { params: idParam('chd'), query: PagingQuerySchema },
  responses: {
    200: {
      description: 'A page of calls',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(ChildCallSchema),
            total: z.number().int(),
            limit: z.number(),
            offset: z.number(),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/children/{id}/calls` (teacher, own Home): every read is an audit event (`child.calls-read`). */
export function registerListChildCalls(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const child = await getChild(db, staff.homeId, id);
    if (!child || child.erasedAt) throw new AppError('not-found', 'No such child in your Home.');
    const page = await listCallLogsOfChild(db, staff.homeId, child.id, { limit: query.limit, offset: query.offset });
    await audit(c, 'child.calls-read', 'child', child.id);
    return c.json(
      { items: page.items.map(toChildCallDto), total: page.total, limit: query.limit, offset: query.offset },
      200,
    );
  });
}

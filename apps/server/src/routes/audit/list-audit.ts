import { addCalendarDays, startOfLocalDay } from '@affection/core';
import { type AuditLogEntry, listAuditLogOfHome } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { loadHomeZone } from '../bookings/load-home-zone.ts';
import { DateSchema, errorResponses, idOf } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.ts';

/** One audit event as the console shows it: who, what, about which record, which fields — never values. */
export const AuditEntrySchema = z
  .object({
    id: z.string().openapi({ example: 'aud_7m2k9x4q1b8c0d5e' }),
    at: z.string().openapi({ format: 'date-time' }),
    actor: z.object({
      kind: z.enum(['staff', 'kiosk', 'family', 'system']).openapi({
        description: 'A staff member, a kiosk, a parent (family page or phone) or the system (jobs, webhooks)',
      }),
      id: z.string().nullable().openapi({ example: 'stf_7m2k9x4q1b8c0d5e' }),
      name: z.string().nullable().openapi({
        example: '刘老师',
        description:
          "The staff member's or kiosk's name; null for a parent and the system (the console says 家长 / 系统)",
      }),
    }),
    action: z.string().openapi({ example: 'staff.update' }),
    subjectKind: z.string().openapi({ example: 'staff' }),
    subjectId: z.string().nullable().openapi({ example: 'stf_7m2k9x4q1b8c0d5e' }),
    fields: z.array(z.string()).openapi({
      example: ['displayName', 'role'],
      description: 'The names of the fields changed (`details.fields`), never their values',
    }),
    detailKeys: z.array(z.string()).openapi({
      example: ['pairingId', 'staffId'],
      description: 'The names of the other ids the event records (its `details` keys), never their values',
    }),
  })
  .openapi('AuditEntry');

/** `?staffId=&childId=&from=&to=&cursor=&limit=`: every filter optional. */
const AuditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
    cursor: z
      .string()
      .max(100)
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === '') return undefined;
        const cursor = decodeAuditCursor(value);
        if (!cursor) {
          ctx.addIssue({ code: 'custom', message: 'validation.cursor' });
          return z.NEVER;
        }
        return cursor;
      })
      .openapi({ type: 'string', description: 'The `nextCursor` of the previous page' }),
    staffId: idOf('stf').optional().openapi({ description: 'Only what this staff member did' }),
    childId: idOf('chd').optional().openapi({
      description: "Only events about this child: the child's record, diary and pairings, and the child's bookings",
    }),
    from: DateSchema.optional().openapi({ description: 'On or after this day (the Home’s zone)' }),
    to: DateSchema.optional().openapi({ description: 'On or before this day (the Home’s zone)' }),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: 'validation.date_order',
    path: ['to'],
  });

function toAuditEntryDto(entry: AuditLogEntry): z.infer<typeof AuditEntrySchema> {
  const details = entry.details ?? {};
  const listed = details.fields;
  const fields = Array.isArray(listed) ? listed.filter((name): name is string => typeof name === 'string') : [];
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actor: { kind: entry.actorKind, id: entry.actorId, name: entry.actorName },
    action: entry.action,
    subjectKind: entry.subjectKind,
    subjectId: entry.subjectId,
    fields,
    detailKeys: Object.keys(details).filter((key) => key !== 'fields'),
  };
}

export const route = createRoute({
  method: 'get',
  path: '/api/audit',
  tags: ['audit'],
  summary: "The Home's audit log, newest first, paged by cursor",
  description:
    'Who read or changed what and when: the actor (a staff member or kiosk by name, a parent, the system), the ' +
    'action, the record it was about, and the names of the fields changed — never their values. Filters: a ' +
    'staff member, a child (the child’s own events and those of the child’s bookings), days in the Home’s zone.',
  request: { query: AuditQuerySchema },
  responses: {
    200: {
      description: 'A page of events',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(AuditEntrySchema),
            nextCursor: z.string().nullable().openapi({ description: 'Null on the last page' }),
            timeZone: z.string().openapi({ example: 'Asia/Shanghai', description: 'The Home’s zone, to show `at` in' }),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/audit` (admin): the caller's Home only. */
export function registerListAudit(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const query = c.req.valid('query');
    const { database } = c.get('services');
    const zone = await loadHomeZone(database.db, staff.homeId);
    const page = await listAuditLogOfHome(database.db, staff.homeId, {
      limit: query.limit,
      cursor: query.cursor,
      actorStaffId: query.staffId,
      childId: query.childId,
      from: query.from ? startOfLocalDay(query.from, zone) : undefined,
      before: query.to ? startOfLocalDay(addCalendarDays(query.to, 1), zone) : undefined,
    });
    return c.json(
      {
        items: page.items.map(toAuditEntryDto),
        nextCursor: page.next ? encodeAuditCursor(page.next) : null,
        timeZone: zone,
      },
      200,
    );
  });
}

import { addCalendarDays, maskPhone, startOfLocalDay } from '@affection/core';
import {
  listOutboxBookings,
  listOutgoingSmsOfHome,
  OUTBOX_STAGES,
  type OutboxBookingSummary,
  type OutboxStage,
  outboxStageOf,
  type SmsMessageRecord,
} from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { loadHomeZone } from '../bookings/load-home-zone.ts';
import { DateSchema, errorResponses, idOf, PagingQuerySchema } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { maskSignInCode } from './mask-sign-in-code.ts';

/** One outgoing message as the console shows it: the number masked. */
export const OutboxMessageSchema = z
  .object({
    id: z.string().openapi({ example: 'sms_7m2k9x4q1b8c0d5e' }),
    toPhoneMasked: z.string().openapi({ example: '+86 138****5678' }),
    body: z.string().openapi({
      description: "The text sent; a parent's sign-in code is masked (`••••••`) unless codes are shown (see below)",
    }),
    template: z.string().nullable().openapi({ example: 'reminder-15-min' }),
    language: z.string().nullable().openapi({ example: 'zh-CN' }),
    status: z.enum(['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received', 'cancelled']),
    stage: z.enum(OUTBOX_STAGES).openapi({
      description:
        'Where the message is, in the console’s words: queued, sent, delivered, failed, expired (the call ' +
        'was over before it could go out), cancelled',
    }),
    provider: z.enum(['outbox', 'twilio', 'aliyun']).nullable(),
    errorCode: z.string().nullable(),
    bookingId: z.string().nullable(),
    booking: z
      .object({
        id: z.string(),
        start: z.string().openapi({ format: 'date-time' }),
        end: z.string().openapi({ format: 'date-time' }),
        status: z.string().openapi({ example: 'confirmed' }),
        children: z.array(z.object({ id: z.string(), name: z.string().openapi({ example: '王小明' }) })),
      })
      .nullable()
      .openapi({ description: 'The booking the message is about, with its children' }),
    contactId: z.string().nullable(),
    dueAt: z.string().openapi({ format: 'date-time' }),
    sentAt: z.string().nullable().openapi({ format: 'date-time' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('OutboxMessage');

/**
 * The console's view of a stored message. A parent's sign-in code is masked unless `showCode` (an
 * admin, on a server whose settings show codes: the local demo).
 */
export function toOutboxMessageDto(
  message: SmsMessageRecord,
  showCode = false,
  booking: OutboxBookingSummary | null = null,
): z.infer<typeof OutboxMessageSchema> {
  return {
    id: message.id,
    toPhoneMasked: maskPhone(message.toPhone),
    body: showCode ? message.body : maskSignInCode(message),
    template: message.template,
    language: message.language,
    status: message.status,
    stage: outboxStageOf(message) ?? 'queued',
    provider: message.provider,
    errorCode: message.errorCode,
    bookingId: message.bookingId,
    booking: booking && {
      id: booking.id,
      start: booking.start.toISOString(),
      end: booking.end.toISOString(),
      status: booking.status,
      children: booking.children.map((child) => ({ id: child.id, name: `${child.familyName}${child.givenName}` })),
    },
    contactId: message.contactId,
    dueAt: message.dueAt.toISOString(),
    sentAt: message.sentAt?.toISOString() ?? null,
    createdAt: message.createdAt.toISOString(),
  };
}

/** `?stage=failed,expired&from=2026-09-01&to=2026-09-07&bookingId=…&childId=…`: every filter optional. */
const OutboxQuerySchema = PagingQuerySchema.extend({
  stage: z
    .string()
    .max(80)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      const stages = value.split(',').map((part) => part.trim());
      for (const stage of stages) {
        if (!(OUTBOX_STAGES as readonly string[]).includes(stage)) {
          ctx.addIssue({ code: 'custom', message: 'validation.invalid' });
          return z.NEVER;
        }
      }
      return stages as OutboxStage[];
    })
    .openapi({ description: `Comma-separated stages: ${OUTBOX_STAGES.join(', ')}`, example: 'failed,expired' }),
  from: DateSchema.optional().openapi({ description: 'Messages made on or after this day (the Home’s zone)' }),
  to: DateSchema.optional().openapi({ description: 'Messages made on or before this day (the Home’s zone)' }),
  bookingId: idOf('bkg').optional(),
  childId: idOf('chd').optional(),
}).refine((query) => !query.from || !query.to || query.from <= query.to, {
  message: 'validation.time_order',
  path: ['to'],
});

export const route = createRoute({
  method: 'get',
  path: '/api/outbox',
  tags: ['messages'],
  summary: "The Home's outgoing SMS, newest first, with filters",
  description:
    'Every message the Home sent or will send, with its delivery status. Without Twilio credentials this is ' +
    'the outbox: exactly what would have been sent. Phone numbers are masked, and so are parents’ sign-in ' +
    'codes — except for the Home’s admin on a local demo (`OUTBOX_SHOWS_SIGN_IN_CODES`, never in production), ' +
    'where the outbox is the only place a code can be read.',
  request: { query: OutboxQuerySchema },
  responses: {
    200: {
      description: 'A page of messages',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(OutboxMessageSchema),
            total: z.number().int(),
            limit: z.number(),
            offset: z.number(),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/outbox` (teacher): the Home's outgoing messages. */
export function registerListOutbox(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const { database, settings } = c.get('services');
    const zone = query.from || query.to ? await loadHomeZone(database.db, staff.homeId) : null;
    const page = await listOutgoingSmsOfHome(database.db, staff.homeId, {
      limit: query.limit,
      offset: query.offset,
      stages: query.stage,
      from: query.from && zone ? startOfLocalDay(query.from, zone) : undefined,
      to: query.to && zone ? startOfLocalDay(addCalendarDays(query.to, 1), zone) : undefined,
      bookingId: query.bookingId,
      childId: query.childId,
    });
    const bookings = await listOutboxBookings(
      database.db,
      staff.homeId,
      page.items.flatMap((message) => (message.bookingId ? [message.bookingId] : [])),
    );
    const showCodes = staff.role === 'admin' && settings.showSignInCodes === true;
    return c.json(
      {
        items: page.items.map((message) =>
          toOutboxMessageDto(message, showCodes, message.bookingId ? (bookings.get(message.bookingId) ?? null) : null),
        ),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
      },
      200,
    );
  });
}

import { maskPhone } from '@affection/core';
import { listOutgoingSmsOfHome, type SmsMessageRecord } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { staffOf } from '../../auth/policy.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, PagingQuerySchema } from '../common-schemas.ts';
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
    provider: z.enum(['outbox', 'twilio']).nullable(),
    errorCode: z.string().nullable(),
    bookingId: z.string().nullable(),
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
export function toOutboxMessageDto(message: SmsMessageRecord, showCode = false): z.infer<typeof OutboxMessageSchema> {
  return {
    id: message.id,
    toPhoneMasked: maskPhone(message.toPhone),
    body: showCode ? message.body : maskSignInCode(message),
    template: message.template,
    language: message.language,
    status: message.status,
    provider: message.provider,
    errorCode: message.errorCode,
    bookingId: message.bookingId,
    contactId: message.contactId,
    dueAt: message.dueAt.toISOString(),
    sentAt: message.sentAt?.toISOString() ?? null,
    createdAt: message.createdAt.toISOString(),
  };
}

export const route = createRoute({
  method: 'get',
  path: '/api/outbox',
  tags: ['messages'],
  summary: "The Home's outgoing SMS, newest first",
  description:
    'Every message the Home sent or will send, with its delivery status. Without Twilio credentials this is ' +
    'the outbox: exactly what would have been sent. Phone numbers are masked, and so are parents’ sign-in ' +
    'codes — except for the Home’s admin on a local demo (`OUTBOX_SHOWS_SIGN_IN_CODES`, never in production), ' +
    'where the outbox is the only place a code can be read.',
  request: { query: PagingQuerySchema },
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
  addRoute(app, 'teacher', route, async (c) => {
    const staff = staffOf(c.get('principal'));
    const query = c.req.valid('query');
    const { database, settings } = c.get('services');
    const page = await listOutgoingSmsOfHome(database.db, staff.homeId, {
      limit: query.limit,
      offset: query.offset,
    });
    const showCodes = staff.role === 'admin' && settings.showSignInCodes === true;
    return c.json(
      {
        items: page.items.map((message) => toOutboxMessageDto(message, showCodes)),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
      },
      200,
    );
  });
}

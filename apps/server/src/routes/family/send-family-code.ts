import type { ServerResponse } from 'node:http';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { clientAddress } from '../../auth/client-address.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, PhoneSchema } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { type AfterAnswer, scheduleFamilyCodeDelivery } from './deliver-family-code.ts';
import { familyThrottled } from './family-errors.ts';
import { ONE_TIME_CODE_TTL_MINUTES } from './family-settings.ts';
import type { FamilyThrottleSource } from './family-throttle.ts';

/** Seconds the page waits before it offers to send another code, at least (the number's limits may say longer). */
export const RESEND_AFTER_SECONDS = 60;

const SendFamilyCodeSchema = z.object({ phone: PhoneSchema }).strict().openapi('SendFamilyCode');

const CodeRequestedSchema = z
  .object({
    accepted: z.literal(true),
    expiresInSeconds: z
      .number()
      .int()
      .openapi({ example: ONE_TIME_CODE_TTL_MINUTES * 60 }),
    resendAfterSeconds: z.number().int().openapi({
      example: RESEND_AFTER_SECONDS,
      description:
        'Seconds until another code may be asked for this number (its limits: 1 a minute, 5 an hour, 10 a day)',
    }),
  })
  .openapi('FamilyCodeRequested');

export const route = createRoute({
  method: 'post',
  path: '/api/family/code',
  tags: ['family'],
  summary: 'Text a one-time sign-in code (验证码) to a contact’s phone',
  description:
    `When the number belongs to an approved contact, a ${ONE_TIME_CODE_TTL_MINUTES}-minute single-use code is sent ` +
    'by SMS (no link in it), one message per Home whose contact has the number. The answer is the same, and ' +
    'comes in the same time, whether or not the number is known: the code is made and sent after it. Per number, ' +
    'known or not, the SMS providers’ limits for verification codes: 1 a minute, 5 an hour, 10 a day (429, reason ' +
    '`code-wait`, with `Retry-After`, `details.retryAfterSeconds` and `details.nextCodeAt`); at most 5 codes per 15 ' +
    'minutes per client address (429, `too-many-codes`); a number locked by wrong codes gets none until the lock ends.',
  request: { body: { required: true, content: { 'application/json': { schema: SendFamilyCodeSchema } } } },
  responses: {
    202: {
      description: 'Accepted (sent if the number is known)',
      content: { 'application/json': { schema: CodeRequestedSchema } },
    },
    ...errorResponses(400, 429),
  },
});

/**
 * When the answer of this request has gone out: the Node response's `close` (after its last byte, or
 * when the client went away); without a Node response (`app.request()`), the next turn of the event loop.
 */
function afterAnswerOf(c: Context<AppEnv>): AfterAnswer {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.once === 'function' && !outgoing.closed) {
    return (start) => outgoing.once('close', start);
  }
  return (start) => setImmediate(start);
}

/** `POST /api/family/code` (public). */
export function registerSendFamilyCode(app: OpenAPIHono<AppEnv>, throttleOf: FamilyThrottleSource): void {
  addRoute(app, 'public', route, async (c) => {
    const { phone } = c.req.valid('json');
    const services = c.get('services');
    const verdict = await throttleOf(services.redis).admitCodeRequest({
      phone,
      address: clientAddress(c),
      at: services.now(),
    });
    if (!verdict.allowed) throw familyThrottled(c, verdict);
    // The code is made and sent after the answer has gone out: a known number and an unknown one are
    // answered in the same time (the lookup, the code and the SMS would otherwise show in the timing).
    scheduleFamilyCodeDelivery(services, c.get('log'), phone, afterAnswerOf(c));
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        accepted: true as const,
        expiresInSeconds: ONE_TIME_CODE_TTL_MINUTES * 60,
        resendAfterSeconds: Math.max(RESEND_AFTER_SECONDS, verdict.nextCodeInSeconds),
      },
      202,
    );
  });
}

import { renderSms } from '@affection/core';
import { createOneTimeCode, createOneTimeCodeId, findContactsByPhone, getHome } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { clientAddress } from '../../auth/client-address.ts';
import { safeErrorForLog } from '../../errors/safe-error.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, PhoneSchema } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { hashOneTimeCode, newOneTimeCode, pickFamilyContact } from './family-contact.ts';
import { familyThrottled } from './family-errors.ts';
import { ONE_TIME_CODE_TTL_MINUTES } from './family-settings.ts';
import type { FamilyThrottleSource } from './family-throttle.ts';

/** Seconds the page waits before it offers to send another code. */
export const RESEND_AFTER_SECONDS = 60;

const SendFamilyCodeSchema = z.object({ phone: PhoneSchema }).strict().openapi('SendFamilyCode');

const CodeRequestedSchema = z
  .object({
    accepted: z.literal(true),
    expiresInSeconds: z
      .number()
      .int()
      .openapi({ example: ONE_TIME_CODE_TTL_MINUTES * 60 }),
    resendAfterSeconds: z.number().int().openapi({ example: RESEND_AFTER_SECONDS }),
  })
  .openapi('FamilyCodeRequested');

export const route = createRoute({
  method: 'post',
  path: '/api/family/code',
  tags: ['family'],
  summary: 'Text a one-time sign-in code (验证码) to a contact’s phone',
  description:
    `When the number belongs to an approved contact, a ${ONE_TIME_CODE_TTL_MINUTES}-minute single-use code is sent ` +
    'by SMS (no link in it). The answer is the same whether or not the number is known. At most 5 codes per ' +
    '15 minutes per number and per client address (429 with `Retry-After`); a number locked by wrong codes ' +
    'gets none until the lock ends.',
  request: { body: { required: true, content: { 'application/json': { schema: SendFamilyCodeSchema } } } },
  responses: {
    202: {
      description: 'Accepted (sent if the number is known)',
      content: { 'application/json': { schema: CodeRequestedSchema } },
    },
    ...errorResponses(400, 429),
    503: { description: 'The try counter (Redis) cannot be reached; try again soon' },
  },
});

/** `POST /api/family/code` (public). */
export function registerSendFamilyCode(app: OpenAPIHono<AppEnv>, throttleOf: FamilyThrottleSource): void {
  addRoute(app, 'public', route, async (c) => {
    const { phone } = c.req.valid('json');
    const services = c.get('services');
    const verdict = await throttleOf(services.redis).admitCodeRequest({ phone, address: clientAddress(c) });
    if (!verdict.allowed) throw familyThrottled(c, verdict);
    await sendCodeIfKnown(c, phone);
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        accepted: true as const,
        expiresInSeconds: ONE_TIME_CODE_TTL_MINUTES * 60,
        resendAfterSeconds: RESEND_AFTER_SECONDS,
      },
      202,
    );
  });
}

/** Stores and texts a code when an approved contact has this number; does nothing otherwise. */
async function sendCodeIfKnown(c: Context<AppEnv>, phone: string): Promise<void> {
  const { database, now, sms, smsPolicies } = c.get('services');
  const log = c.get('log');
  const contact = pickFamilyContact(await findContactsByPhone(database.db, phone));
  if (!contact) return;
  const home = await getHome(database.db, contact.homeId);
  if (!home) return;
  const at = now();
  const code = newOneTimeCode();
  const codeId = createOneTimeCodeId();
  await createOneTimeCode(database.db, {
    id: codeId,
    phone,
    codeHash: hashOneTimeCode(codeId, code),
    purpose: 'family-sign-in',
    now: at,
    expiresAt: new Date(at.getTime() + ONE_TIME_CODE_TTL_MINUTES * 60_000),
  });
  if (!sms) {
    log.warn({ codeId }, 'family sign-in code not sent: no SMS sender configured');
    return;
  }
  const { body } = renderSms(
    { kind: 'one-time-code', code, validMinutes: ONE_TIME_CODE_TTL_MINUTES },
    {
      recipient: { phone, language: contact.language, timeZone: contact.timeZone },
      home: { name: home.name, timeZone: home.timeZone },
      ...(smsPolicies ? { policies: smsPolicies } : {}),
    },
  );
  try {
    const sent = await sms.send({ to: phone, body, idempotencyKey: codeId });
    if (!sent.ok) log.warn({ codeId, reason: sent.failure.reason }, 'family sign-in code not sent');
  } catch (error) {
    // Still the same answer: whether a number is known must not show, not even by a 5xx.
    log.error({ codeId, err: safeErrorForLog(error) }, 'family sign-in code not sent');
  }
}

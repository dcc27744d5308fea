import { AppError } from '@affection/core';
import { enrolKiosk, getHome, recordAudit } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { clientAddress } from '../../auth/client-address.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { ENROLMENT_CODE_DIGITS } from './enrolment-code.ts';
import { enrolmentThrottleOf } from './enrolment-throttle.ts';

const EnrolKioskSchema = z
  .object({
    code: z
      .string()
      .max(32)
      // People type codes as they are shown ("4821 3907") or with a dash.
      .transform((value) => value.replace(/[\s-]/g, ''))
      .pipe(z.string().regex(new RegExp(`^\\d{${ENROLMENT_CODE_DIGITS}}$`), 'validation.enrolment_code'))
      .openapi({ type: 'string', example: '4821 3907' }),
  })
  .strict()
  .openapi('EnrolKiosk');

const EnrolledKioskSchema = z
  .object({
    kioskId: z.string().openapi({ example: 'kio_7m2k9x4q1b8c0d5e' }),
    deviceToken: z.string().openapi({ description: 'Send as `Authorization: Kiosk <token>`; shown once' }),
    home: z.object({
      name: z.string().openapi({ example: '石门乡中心小学留守儿童之家' }),
      timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    }),
  })
  .openapi('EnrolledKiosk');

export const route = createRoute({
  method: 'post',
  path: '/api/kiosk/enrol',
  tags: ['kiosk'],
  summary: 'Enrol this device as a kiosk with the one-time code an admin created',
  request: { body: { required: true, content: { 'application/json': { schema: EnrolKioskSchema } } } },
  'x-refusals': refusals('kiosk', 'code-invalid', 'enrol-unavailable'),
  responses: {
    200: { description: 'Enrolled', content: { 'application/json': { schema: EnrolledKioskSchema } } },
    ...errorResponses(400, 401, 429),
  },
});

/**
 * `POST /api/kiosk/enrol` (public). A wrong, used or expired code is 401; wrong codes are counted
 * per client address (10 per 15 minutes), after which tries get 429 with `Retry-After`.
 */
export function registerEnrolKiosk(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'public', route, async (c) => {
    const { code } = c.req.valid('json');
    const { database, redis, now } = c.get('services');
    const address = clientAddress(c);
    const throttle = enrolmentThrottleOf(redis);
    const verdict = await throttle.admit(address);
    if (!verdict.allowed) {
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      throw new AppError(
        'rate-limited',
        `Too many wrong codes from this network. Please wait ${Math.ceil(verdict.retryAfterSeconds / 60)} minutes and try again.`,
        { details: { retryAfterSeconds: verdict.retryAfterSeconds } },
      );
    }
    const deviceToken = newToken();
    const at = now();
    const kiosk = await enrolKiosk(database.db, {
      enrolmentCodeHash: hashToken(code),
      deviceTokenHash: hashToken(deviceToken),
      now: at,
    });
    if (!kiosk) {
      throw new AppError(
        'unauthenticated',
        'This code is wrong, already used or expired. Ask the Home admin for a new code.',
        { userMessageKey: 'error.kiosk.code-invalid', details: { reason: 'code-invalid' } },
      );
    }
    await throttle.succeeded(address);
    const home = await getHome(database.db, kiosk.homeId);
    if (!home) throw new AppError('not-found', 'The Home of this kiosk no longer exists.');
    await recordAudit(database.db, {
      homeId: kiosk.homeId,
      actorKind: 'kiosk',
      actorId: kiosk.id,
      action: 'kiosk.enrol',
      subjectKind: 'kiosk',
      subjectId: kiosk.id,
      details: null,
      at,
    });
    return c.json({ kioskId: kiosk.id, deviceToken, home: { name: home.name, timeZone: home.timeZone } }, 200);
  });
}

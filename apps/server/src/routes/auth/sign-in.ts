import { AppError, normalizePhone } from '@affection/core';
import { createStaffSession, findStaffForLogin, recordAudit, revokeStaffSession } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { clientAddress } from '../../auth/client-address.ts';
import type { LoginThrottleSource } from '../../auth/login-throttle.ts';
import { getDecoyHash, verifyPassword } from '../../auth/passwords.ts';
import { STAFF_ABSOLUTE_TIMEOUT_MS } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toStaffSummary } from './auth-dto.ts';
import { LoginSchema, StaffSessionSchema } from './auth-schemas.ts';
import { isKnownDevice, keepDeviceCookie, readDeviceCookie } from './device-cookie.ts';
import { setSessionCookie } from './session-cookie.ts';
import { throttledError } from './throttled.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Sign a staff member or a district admin in with username or phone number and password',
  description:
    'Sets the `ap_session` cookie (httpOnly, SameSite=Lax) and answers the CSRF token to send as `X-CSRF-Token`, ' +
    'and the `ap_device` cookie that marks this browser as known to the account. Tries are limited per account ' +
    '(after 5 failures each try waits, the wait doubling; never a lock, and a known browser is not slowed), per ' +
    'account and address, and per address; over a limit the answer is 429 with `Retry-After`.',
  request: { body: { required: true, content: { 'application/json': { schema: LoginSchema } } } },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: StaffSessionSchema } } },
    ...errorResponses(400, 401, 429),
  },
});

/**
 * `POST /api/auth/login` (public). The account is named by username (any case) or phone number
 * as typed; a wrong name and a wrong password get the same 401, and an unknown name is checked
 * against a decoy hash so that timing does not tell them apart either.
 */
export function registerSignIn(app: OpenAPIHono<AppEnv>, loginThrottleOf: LoginThrottleSource): void {
  addRoute(app, 'public', route, async (c) => {
    const { login, password } = c.req.valid('json');
    const services = c.get('services');
    const db = services.database.db;
    const phone = normalizePhone(login)?.e164;
    const address = clientAddress(c);
    const throttle = loginThrottleOf(services.redis);
    const staff = await findStaffForLogin(db, { username: login, phone });
    // Tries count per account: its username and its phone number share one count.
    const device = readDeviceCookie(c);
    const attempt = {
      account: staff ? `staff:${staff.id}` : (phone ?? login.toLowerCase()),
      address,
      isKnownDevice: staff ? await isKnownDevice(db, staff.id, device, services.now()) : false,
      at: services.now(),
    };
    const verdict = await throttle.admit(attempt);
    if (!verdict.allowed) throw throttledError(c, verdict, 'sign-in');

    const isRight = await verifyPassword(staff?.passwordHash ?? (await getDecoyHash()), password);
    if (!staff || !isRight) {
      await recordAudit(db, {
        actorKind: 'system',
        actorId: null,
        homeId: staff && staff.role !== 'district-admin' ? staff.homeId : null,
        action: 'staff.login-failed',
        subjectKind: 'staff',
        subjectId: staff?.id ?? null,
        details: { reason: staff ? 'wrong-password' : 'unknown-login' },
        at: services.now(),
      });
      throw new AppError('unauthenticated', 'The login name or the password is not right.', {
        userMessageKey: 'error.auth.login-failed',
      });
    }

    await throttle.succeeded(attempt);
    const now = services.now();
    const previous = c.get('principal');
    // A new sign-in on this browser ends the session it carried (no session fixation).
    if (previous.kind === 'staff' || previous.kind === 'district')
      await revokeStaffSession(db, previous.sessionId, now);
    const token = newToken();
    const csrfToken = newToken();
    const sessionId = await createStaffSession(db, {
      staffId: staff.id,
      tokenHash: hashToken(token),
      csrfToken,
      now,
      expiresAt: new Date(now.getTime() + STAFF_ABSOLUTE_TIMEOUT_MS),
    });
    setSessionCookie(c, token);
    await recordAudit(db, {
      actorKind: 'staff',
      actorId: staff.id,
      homeId: staff.role !== 'district-admin' ? staff.homeId : null,
      action: 'staff.login',
      subjectKind: 'staff',
      subjectId: staff.id,
      details: {
        sessionId,
        via: phone && staff.phone === phone ? 'phone' : 'username',
        device: keepDeviceCookie(c, device),
      },
      at: now,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ staff: toStaffSummary(staff), csrfToken }, 200);
  });
}

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
import { LoginSchema, StaffSessionSchema, toStaffSummary } from './auth-schemas.ts';
import { setSessionCookie } from './session-cookie.ts';
import { throttledError } from './throttled.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Sign a staff member in with username or phone number and password',
  description:
    'Sets the `ap_session` cookie (httpOnly, SameSite=Lax) and answers the CSRF token to send as `X-CSRF-Token`. ' +
    'Tries are limited per account and per client address; over the limit the answer is 429 with `Retry-After`.',
  request: { body: { required: true, content: { 'application/json': { schema: LoginSchema } } } },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: StaffSessionSchema } } },
    503: { description: 'Sign-in tries cannot be counted right now (Redis down); nothing was checked' },
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
    const attempt = { account: phone ?? login.toLowerCase(), address: clientAddress(c) };
    const throttle = loginThrottleOf(services.redis);
    const verdict = await throttle.admit(attempt);
    if (!verdict.allowed) throw throttledError(c, verdict, 'sign-in');

    const staff = await findStaffForLogin(db, { username: login, phone });
    const isRight = await verifyPassword(staff?.passwordHash ?? (await getDecoyHash()), password);
    if (!staff || !isRight) {
      await recordAudit(db, {
        actorKind: 'system',
        actorId: null,
        homeId: staff?.homeId ?? null,
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
    if (previous.kind === 'staff') await revokeStaffSession(db, previous.sessionId, now);
    const token = newToken();
    const csrfToken = newToken();
    const sessionId = await createStaffSession(db, {
      staffId: staff.id,
      tokenHash: hashToken(token),
      csrfToken,
      now,
      expiresAt: new Date(now.getTime() + STAFF_ABSOLUTE_TIMEOUT_MS),
    });
    await recordAudit(db, {
      actorKind: 'staff',
      actorId: staff.id,
      homeId: staff.homeId,
      action: 'staff.login',
      subjectKind: 'staff',
      subjectId: staff.id,
      details: { sessionId, via: phone && staff.phone === phone ? 'phone' : 'username' },
      at: now,
    });
    setSessionCookie(c, token);
    c.header('Cache-Control', 'no-store');
    return c.json({ staff: toStaffSummary(staff), csrfToken }, 200);
  });
}

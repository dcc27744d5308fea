import { AppError } from '@affection/core';
import { getStaffPasswordHash, recordAudit, revokeAllStaffSessions, setStaffPassword } from '@affection/db';
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import { clientAddress } from '../../auth/client-address.ts';
import type { LoginThrottleSource } from '../../auth/login-throttle.ts';
import { hashPassword, verifyPassword } from '../../auth/passwords.ts';
import type { AppEnv } from '../../services.ts';
import { toFieldProblems } from '../../validation/validation-hook.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { ChangePasswordSchema } from './auth-schemas.ts';
import { throttledError } from './throttled.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/password',
  tags: ['auth'],
  summary: 'Change my password; every other session of mine ends',
  description:
    'A wrong current password is a 400 with the field problem `validation.password_wrong` on `currentPassword`; ' +
    'wrong tries count towards the same limit as sign-in.',
  request: { body: { required: true, content: { 'application/json': { schema: ChangePasswordSchema } } } },
  responses: {
    204: { description: 'Changed; this session stays signed in, the others are signed out' },
    503: { description: 'Tries cannot be counted right now (Redis down); nothing was changed' },
    ...errorResponses(400, 401, 403, 429),
  },
});

function wrongCurrentPassword(): AppError {
  const issue = {
    code: 'custom',
    path: ['currentPassword'],
    message: 'validation.password_wrong',
    input: undefined,
  } as z.core.$ZodIssue;
  return new AppError('validation-failed', 'Some fields need fixing: currentPassword', {
    details: { target: 'json', fields: toFieldProblems([issue]) },
  });
}

/** `POST /api/auth/password` (account: a Home's staff member or a district admin, with the CSRF token). */
export function registerChangePassword(app: OpenAPIHono<AppEnv>, loginThrottleOf: LoginThrottleSource): void {
  addRoute(app, 'account', route, async (c, staff) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const services = c.get('services');
    const db = services.database.db;
    const attempt = { account: `staff:${staff.staffId}`, address: clientAddress(c), at: services.now() };
    const throttle = loginThrottleOf(services.redis);
    const verdict = await throttle.admit(attempt);
    if (!verdict.allowed) throw throttledError(c, verdict, 'password change');

    const passwordHash = await getStaffPasswordHash(db, staff.staffId);
    if (!passwordHash || !(await verifyPassword(passwordHash, currentPassword))) {
      await audit(c, 'staff.password-change-failed', 'staff', staff.staffId);
      throw wrongCurrentPassword();
    }
    await throttle.succeeded(attempt);
    const newHash = await hashPassword(newPassword);
    const now = services.now();
    await db.transaction(async (tx) => {
      await setStaffPassword(tx, staff.staffId, newHash, now);
      await revokeAllStaffSessions(tx, staff.staffId, now, staff.sessionId);
      await recordAudit(tx, {
        actorKind: 'staff',
        actorId: staff.staffId,
        // A district admin's account belongs to no Home, whichever Home they act in.
        homeId: staff.kind === 'staff' && staff.districtId === undefined ? staff.homeId : null,
        action: 'staff.password-change',
        subjectKind: 'staff',
        subjectId: staff.staffId,
        details: { keptSessionId: staff.sessionId },
        at: now,
      });
    });
    return c.body(null, 204);
  });
}

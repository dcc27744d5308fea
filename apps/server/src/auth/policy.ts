import { AppError } from '@affection/core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../services.ts';
import type { Principal } from './principal.ts';
import { CSRF_HEADER } from './session-settings.ts';
import { secretsEqual } from './tokens.ts';

/**
 * Who may call a route. Every route declares one; a test enumerates them all.
 * - `public`: anyone (sign-in, health, enrolment by code);
 * - `webhook`: a provider; the route verifies the provider's signature itself;
 * - `kiosk`: an enrolled kiosk device;
 * - `family`: a signed-in contact's device;
 * - `teacher`: any staff member (teachers and admins);
 * - `admin`: the Home's admin (a district admin acting in a Home of their district is its admin);
 * - `district`: a district admin, whether or not acting in a Home;
 * - `account`: anyone signed in to the console — a Home's staff member or a district admin (their own account).
 */
export const POLICIES = ['public', 'webhook', 'kiosk', 'family', 'teacher', 'admin', 'district', 'account'] as const;

/** One of {@link POLICIES}. */
export type Policy = (typeof POLICIES)[number];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The policies of the console's own routes: a signed-in caller's state-changing request there needs the CSRF token. */
const CONSOLE_POLICIES: ReadonlySet<Policy> = new Set(['teacher', 'admin', 'district', 'account']);

/** Whether `principal` may call a route with `policy` (CSRF is checked separately). */
export function isAllowed(policy: Policy, principal: Principal): boolean {
  switch (policy) {
    case 'public':
    case 'webhook':
      return true;
    case 'kiosk':
      return principal.kind === 'kiosk';
    case 'family':
      return principal.kind === 'family';
    case 'teacher':
      return principal.kind === 'staff';
    case 'admin':
      return principal.kind === 'staff' && principal.role === 'admin';
    case 'district':
      return principal.kind === 'district' || (principal.kind === 'staff' && principal.districtId !== undefined);
    case 'account':
      return principal.kind === 'staff' || principal.kind === 'district';
  }
}

/**
 * Enforces a route's policy: 401 when nobody is signed in, 403 when the wrong kind of caller is,
 * and for staff a CSRF token on every state-changing request.
 */
export function requirePolicy(policy: Policy): MiddlewareHandler<AppEnv> {
  if (!POLICIES.includes(policy)) throw new Error(`Unknown policy ${policy}`);
  return async function requirePolicyMiddleware(c, next) {
    const principal = c.get('principal');
    if (!isAllowed(policy, principal)) {
      if (principal.kind === 'anonymous') {
        throw new AppError('unauthenticated', 'Please sign in first.');
      }
      throw new AppError('forbidden', 'You are not allowed to do this.');
    }
    const isConsoleCaller = principal.kind === 'staff' || principal.kind === 'district';
    if (isConsoleCaller && CONSOLE_POLICIES.has(policy) && !SAFE_METHODS.has(c.req.method)) {
      const sent = c.req.header(CSRF_HEADER);
      if (!sent || !secretsEqual(sent, principal.csrfToken)) {
        throw new AppError(
          'forbidden',
          'The page is out of date (missing or wrong CSRF token). Reload it and try again.',
          {
            userMessageKey: 'error.auth.csrf',
          },
        );
      }
    }
    await next();
  };
}

import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { STAFF_ABSOLUTE_TIMEOUT_MS, STAFF_COOKIE } from '../../auth/session-settings.ts';
import type { AppEnv } from '../../services.ts';

function cookieOptions(c: Context<AppEnv>) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('services').settings.secureCookies,
  } as const;
}

/**
 * Sets the staff session cookie: httpOnly, SameSite=Lax, Path=/, Secure when the server says so,
 * and living no longer than the session itself (12 hours).
 */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, STAFF_COOKIE, token, { ...cookieOptions(c), maxAge: Math.floor(STAFF_ABSOLUTE_TIMEOUT_MS / 1000) });
}

/** Tells the browser to drop the staff session cookie. */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, STAFF_COOKIE, cookieOptions(c));
}

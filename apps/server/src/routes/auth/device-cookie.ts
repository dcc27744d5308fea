import { type Db, listAuditForSubject } from '@affection/db';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { hashToken, newToken } from '../../auth/tokens.ts';
import type { AppEnv } from '../../services.ts';

/** The cookie that marks a browser staff signed in from before. */
export const DEVICE_COOKIE = 'ap_device';

/** How long a browser stays known after its last sign-in: 180 days. */
export const KNOWN_DEVICE_DAYS = 180;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,128}$/;

/** The mark a browser's device cookie leaves in the audit trail (a hash: the cookie itself is never stored). */
export function deviceMarkOf(token: string): string {
  return hashToken(`staff-device:${token}`);
}

/** The device cookie this request carries, when it looks like one of ours. */
export function readDeviceCookie(c: Context<AppEnv>): string | undefined {
  const value = getCookie(c, DEVICE_COOKIE);
  return value && TOKEN_PATTERN.test(value) ? value : undefined;
}

/**
 * Whether this browser (its device cookie) signed in to this staff member's account within
 * {@link KNOWN_DEVICE_DAYS}: its mark is on one of the account's `staff.login` audit events.
 */
export async function isKnownDevice(db: Db, staffId: string, token: string | undefined, now: Date): Promise<boolean> {
  if (!token) return false;
  const mark = deviceMarkOf(token);
  const since = now.getTime() - KNOWN_DEVICE_DAYS * 86_400_000;
  const trail = await listAuditForSubject(db, 'staff', staffId);
  return trail.some(
    (event) => event.action === 'staff.login' && event.details?.device === mark && event.at.getTime() >= since,
  );
}

/**
 * After a right password: keeps (or gives) the browser its device cookie, for {@link KNOWN_DEVICE_DAYS}
 * more days, and answers the mark to record on the sign-in's audit event. httpOnly, SameSite=Lax,
 * Secure like the session cookie; it opens nothing by itself, it only spares the browser the slowdown
 * that tries from elsewhere put on the account.
 */
export function keepDeviceCookie(c: Context<AppEnv>, current: string | undefined): string {
  const token = current ?? newToken();
  setCookie(c, DEVICE_COOKIE, token, {
    path: '/api/auth',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('services').settings.secureCookies,
    maxAge: KNOWN_DEVICE_DAYS * 86_400,
  });
  return deviceMarkOf(token);
}

import { findFamilyDevice, findKioskByDeviceToken, findStaffSession, touchStaffSession } from '@affection/db';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../services.ts';
import { noteKioskContact } from './kiosk-contact.ts';
import type { Principal } from './principal.ts';
import {
  STAFF_ABSOLUTE_TIMEOUT_MS,
  STAFF_COOKIE,
  STAFF_IDLE_TIMEOUT_MS,
  STAFF_TOUCH_EVERY_MS,
} from './session-settings.ts';
import { hashToken } from './tokens.ts';

/**
 * Establishes who is calling, once per request, and puts it in `c.var.principal`:
 * - staff: the `ap_session` cookie (inactivity and absolute timeouts applied here); a district admin is a Home's
 *   admin in the session's current Home (a Home of their district), or a `district` principal without one;
 * - kiosk: `Authorization: Kiosk <device token>` (its last contact and `X-Kiosk-Version` are noted, see
 *   {@link noteKioskContact});
 * - family: `Authorization: Family <device token>`.
 * Anything else, or a token that does not check out, is anonymous. Policies decide what follows.
 */
export function resolvePrincipal(): MiddlewareHandler<AppEnv> {
  return async function resolvePrincipalMiddleware(c, next) {
    c.set('startedAt', performance.now());
    c.set('principal', await findPrincipal(c));
    await next();
  };
}

async function findPrincipal(c: Parameters<MiddlewareHandler<AppEnv>>[0]): Promise<Principal> {
  const { database, now } = c.get('services');
  const authorization = c.req.header('authorization');
  if (authorization) {
    const [scheme, token] = authorization.split(' ', 2);
    if (!token) return { kind: 'anonymous' };
    if (scheme === 'Kiosk') {
      const kiosk = await findKioskByDeviceToken(database.db, hashToken(token));
      if (!kiosk) return { kind: 'anonymous' };
      await noteKioskContact(c, kiosk);
      return { kind: 'kiosk', kioskId: kiosk.id, homeId: kiosk.homeId };
    }
    if (scheme === 'Family') {
      const device = await findFamilyDevice(database.db, hashToken(token));
      if (!device || device.expiresAt <= now()) return { kind: 'anonymous' };
      return {
        kind: 'family',
        contactId: device.contactId,
        householdId: device.householdId,
        homeId: device.homeId,
        deviceId: device.deviceId,
      };
    }
    return { kind: 'anonymous' };
  }
  const cookie = getCookie(c, STAFF_COOKIE);
  if (!cookie) return { kind: 'anonymous' };
  const { staffSessions } = c.get('services');
  const tokenHash = hashToken(cookie);
  const session = staffSessions
    ? await staffSessions.find(tokenHash, c.get('startedAt'))
    : await findStaffSession(database.db, tokenHash);
  if (!session) return { kind: 'anonymous' };
  const at = now().getTime();
  const expired =
    session.expiresAt.getTime() <= at ||
    session.createdAt.getTime() + STAFF_ABSOLUTE_TIMEOUT_MS <= at ||
    session.lastSeenAt.getTime() + STAFF_IDLE_TIMEOUT_MS <= at;
  if (expired) return { kind: 'anonymous' };
  if (at - session.lastSeenAt.getTime() >= STAFF_TOUCH_EVERY_MS) {
    await touchStaffSession(database.db, session.sessionId, new Date(at));
    staffSessions?.touched(tokenHash, new Date(at));
  }
  const { staffId, sessionId, csrfToken } = session;
  if (session.role !== 'district-admin') {
    return { kind: 'staff', staffId, homeId: session.homeId, role: session.role, sessionId, csrfToken };
  }
  // A district admin acts in the Home they chose with the admin's rights, or in none.
  if (session.currentHomeId === null) {
    return { kind: 'district', staffId, districtId: session.districtId, sessionId, csrfToken };
  }
  return {
    kind: 'staff',
    staffId,
    homeId: session.currentHomeId,
    role: 'admin',
    sessionId,
    csrfToken,
    districtId: session.districtId,
  };
}

import { isIPv4, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv } from '../services.ts';

/** The address used when the socket is unknown (requests made with `app.request()` in tests). */
export const UNKNOWN_CLIENT_ADDRESS = '127.0.0.1';

/**
 * The caller's address for rate limiting: the socket's remote address, or — only when
 * `settings.trustProxy` is on — the last entry of `X-Forwarded-For`, the one our own proxy
 * appended (earlier entries are whatever the client chose to send). IPv4-mapped IPv6 addresses
 * become plain IPv4; other IPv6 addresses are cut to their /64, since one machine usually holds
 * a whole /64 and could otherwise change address on every try.
 *
 * @example clientAddress(c) → '203.0.113.7' or '2001:db8:0:1::/64'
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get('services').settings.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded
      ?.split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .at(-1);
    const fromProxy = last ? normalizeAddress(last) : null;
    if (fromProxy) return fromProxy;
  }
  return normalizeAddress(socketAddress(c) ?? '') ?? UNKNOWN_CLIENT_ADDRESS;
}

function socketAddress(c: Context<AppEnv>): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // No Node socket behind this request (app.request() in tests).
    return undefined;
  }
}

/**
 * An address as a rate-limit key: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 as its /64;
 * null for anything that is not an IP address.
 *
 * @example normalizeAddress('::ffff:10.0.0.1') → '10.0.0.1'
 */
export function normalizeAddress(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  const groups = expandIPv6(bare);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of a valid IPv6 address, without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  const embedded = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (embedded) {
    const [a, b, c, d] = embedded.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, embedded.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) =>
    Number.parseInt(group, 16).toString(16),
  );
}

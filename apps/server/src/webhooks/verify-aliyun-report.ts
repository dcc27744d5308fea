import { timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { AppError } from '@affection/core';
import type { Context } from 'hono';
import { clientAddress } from '../auth/client-address.ts';
import type { AppEnv } from '../services.ts';

/** What Alibaba Cloud expects back for a report batch it may stop retrying. */
export const ALIYUN_REPORT_ACCEPTED = { code: 0, msg: '成功' } as const;

/** Where an unsigned Alibaba Cloud report push is accepted from: the URL's secret token and the source addresses. */
export interface AliyunReportReceiving {
  token: string;
  /** IPv4 addresses or CIDR blocks; empty: any. */
  allowedAddresses: readonly string[];
}

/** Whether two secrets are equal, in time that does not depend on where they differ. */
export function isSameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Whether an address is one of the allowed (`203.0.113.7` exactly, or inside `203.0.113.0/24`). */
export function isAllowedReportAddress(address: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const [base, bits] = entry.split('/');
    if (bits === undefined || !base || !isIPv4(base) || !isIPv4(address)) return entry === address;
    const size = Number(bits);
    if (!Number.isInteger(size) || size < 0 || size > 32) return false;
    const mask = size === 0 ? 0 : (0xffffffff << (32 - size)) >>> 0;
    return (ipv4ToNumber(address) & mask) >>> 0 === (ipv4ToNumber(base) & mask) >>> 0;
  });
}

/**
 * Checks an Alibaba Cloud report push before its body is read (the push is not signed): 404 when the service is not
 * configured, 403 when the token in the path is not the configured one (compared in constant time) or the caller's
 * address is not in the allow-list.
 *
 * @example verifyAliyunReportRequest(c, services.settings.aliyunSmsReport, 'SMS delivery reports')
 */
export function verifyAliyunReportRequest(
  c: Context<AppEnv>,
  receiving: AliyunReportReceiving | null | undefined,
  what: string,
): void {
  if (!receiving) throw new AppError('not-found', `${what} are not configured on this server.`);
  if (!isSameSecret(c.req.param('token') ?? '', receiving.token))
    throw new AppError('forbidden', 'This report address is not the configured one.');
  if (receiving.allowedAddresses.length > 0 && !isAllowedReportAddress(clientAddress(c), receiving.allowedAddresses))
    throw new AppError('forbidden', "The report does not come from the provider's addresses.");
}

/**
 * Checks an Alibaba Cloud report push ({@link verifyAliyunReportRequest}), then reads its body as the JSON array
 * `parse` understands: a 400 naming `kind` for a body that is not JSON or not such an array.
 *
 * @example const reports = await readAliyunReports(c, settings.aliyunSmsReport, 'Alibaba Cloud SMS reports',
 *   'SMS reports', parseAliyunSmsReports);
 */
export async function readAliyunReports<T>(
  c: Context<AppEnv>,
  receiving: AliyunReportReceiving | null | undefined,
  what: string,
  kind: string,
  parse: (body: unknown) => T[] | null,
): Promise<T[]> {
  verifyAliyunReportRequest(c, receiving, what);
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new AppError('bad-request', `The report is not JSON: expected an array of ${kind}.`);
  }
  const reports = parse(body);
  if (!reports) throw new AppError('bad-request', `Expected a JSON array of ${kind}.`);
  return reports;
}

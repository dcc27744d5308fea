import os from 'node:os';

/** The shape of `os.networkInterfaces()`, passed in so the choice can be tested with any machine's interfaces. */
export type NetworkInterfaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Whether `host` only accepts connections from this machine (`localhost`, `127.x.x.x`, `::1`). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || bare.startsWith('127.');
}

/** Whether `host` is "every address of this machine" (`0.0.0.0` or `::`). */
export function isWildcardHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === '0.0.0.0' || bare === '::';
}

/** Private ranges first (10/8, 172.16/12, 192.168/16): that is where a school's LAN lives. */
function rankOf(address: string): number {
  const [a, b] = (IPV4.exec(address) ?? []).slice(1).map(Number);
  if (a === 10 || (a === 172 && b !== undefined && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 0;
  return 1;
}

/**
 * This machine's IPv4 addresses that other machines can reach: not loopback, not link-local (169.254.x.x, which a
 * machine gives itself when no DHCP answered); private LAN ranges first, then in the interfaces' order.
 */
export function lanAddresses(interfaces: NetworkInterfaces = os.networkInterfaces()): string[] {
  const found: string[] = [];
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.family !== 'IPv4' || entry.internal) continue;
      if (entry.address.startsWith('127.') || entry.address.startsWith('169.254.')) continue;
      if (!found.includes(entry.address)) found.push(entry.address);
    }
  }
  return found
    .map((address, index) => ({ address, index }))
    .sort((x, y) => rankOf(x.address) - rankOf(y.address) || x.index - y.index)
    .map(({ address }) => address);
}

/**
 * The addresses other machines reach a server listening on `host` at: none for a loopback host, the host itself when
 * it is one address, every LAN address ({@link lanAddresses}) for `0.0.0.0` or `::`.
 */
export function reachableAddresses(host: string, interfaces: NetworkInterfaces = os.networkInterfaces()): string[] {
  if (isLoopbackHost(host)) return [];
  if (isWildcardHost(host)) return lanAddresses(interfaces);
  return [host];
}

/** `http://<address>:<port>` with an IPv6 address in brackets. */
function urlOf(address: string, port: number): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** Where `npm start` serves: the server's HOST and PORT, and the PUBLIC_URL links to parents carry. */
export interface ServedAt {
  host: string;
  port: number;
  publicUrl: string;
}

/**
 * The lines `npm start` prints when the server listens beyond this machine: the console, kiosk and parents' page at
 * each LAN address, and what still points at this machine only (PUBLIC_URL on localhost; camera access on plain
 * http). Nothing when the host is loopback.
 */
export function lanUrlLines(served: ServedAt, interfaces: NetworkInterfaces = os.networkInterfaces()): string[] {
  if (isLoopbackHost(served.host)) return [];
  const addresses = reachableAddresses(served.host, interfaces);
  if (addresses.length === 0) {
    return [`  On the LAN: listening on ${served.host}, but this machine has no LAN address (is it connected?)`];
  }
  const lines = addresses.flatMap((address) => {
    const base = urlOf(address, served.port);
    return [
      `  On the LAN (${address}):`,
      `    Console (teachers):  ${base}/console/`,
      `    Kiosk (children):    ${base}/kiosk/`,
      `    Family (parents):    ${base}/family/`,
    ];
  });
  if (isLoopbackHost(new URL(served.publicUrl).hostname)) {
    lines.push(
      `  Links sent to parents use PUBLIC_URL (${served.publicUrl}): set PUBLIC_URL=${urlOf(addresses[0] ?? '', served.port)} ` +
        'so that phones on the LAN can open them.',
    );
  }
  lines.push(
    '  Browsers open the camera and microphone only on https:// pages (or localhost): for calls from other',
    '  machines put the HTTPS proxy of docs/deploy.md in front.',
  );
  return lines;
}

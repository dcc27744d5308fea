import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  isWildcardHost,
  lanAddresses,
  lanUrlLines,
  type NetworkInterfaces,
  reachableAddresses,
} from './lan-address.ts';

const entry = (address: string, internal = false, family: 'IPv4' | 'IPv6' = 'IPv4'): os.NetworkInterfaceInfo =>
  ({
    address,
    family,
    internal,
    netmask: family === 'IPv4' ? '255.255.255.0' : 'ffff:ffff:ffff:ffff::',
    mac: '00:00:00:00:00:00',
    cidr: null,
    ...(family === 'IPv6' ? { scopeid: 0 } : {}),
  }) as os.NetworkInterfaceInfo;

/** A school's server: loopback, a public-facing interface listed first, the LAN, a link-local, IPv6. */
const SCHOOL: NetworkInterfaces = {
  lo: [entry('127.0.0.1', true), entry('::1', true, 'IPv6')],
  eth1: [entry('203.0.113.7'), entry('2001:db8::7', false, 'IPv6')],
  eth0: [entry('192.168.1.20'), entry('fe80::1', false, 'IPv6')],
  usb0: [entry('169.254.3.4')],
  wlan0: [entry('10.0.0.5')],
};

describe('loopback and wildcard hosts', () => {
  it('tells this machine only from every address', () => {
    for (const host of ['127.0.0.1', '127.0.1.1', 'localhost', 'LOCALHOST', '::1', '[::1]']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'school-server.lan']) expect(isLoopbackHost(host)).toBe(false);
    expect(isWildcardHost('0.0.0.0')).toBe(true);
    expect(isWildcardHost('[::]')).toBe(true);
    expect(isWildcardHost('192.168.1.20')).toBe(false);
  });
});

describe('lanAddresses', () => {
  it('lists IPv4 addresses others can reach, private LAN ranges first, without loopback or link-local', () => {
    expect(lanAddresses(SCHOOL)).toEqual(['192.168.1.20', '10.0.0.5', '203.0.113.7']);
  });

  it('is empty on a machine with loopback only', () => {
    expect(lanAddresses({ lo: [entry('127.0.0.1', true)] })).toEqual([]);
    expect(lanAddresses({})).toEqual([]);
  });

  it('counts 172.16/12 as private and 172.32.x.x not', () => {
    expect(lanAddresses({ a: [entry('172.32.0.1')], b: [entry('172.31.9.9')], c: [entry('172.16.0.2')] })).toEqual([
      '172.31.9.9',
      '172.16.0.2',
      '172.32.0.1',
    ]);
  });
});

describe('reachableAddresses', () => {
  it('is none on loopback, the host itself when it is one address, every LAN address for 0.0.0.0', () => {
    expect(reachableAddresses('127.0.0.1', SCHOOL)).toEqual([]);
    expect(reachableAddresses('192.168.1.20', SCHOOL)).toEqual(['192.168.1.20']);
    expect(reachableAddresses('0.0.0.0', SCHOOL)).toEqual(['192.168.1.20', '10.0.0.5', '203.0.113.7']);
  });
});

describe('lanUrlLines (what npm start prints for the LAN)', () => {
  it('prints nothing when the server listens on this machine only', () => {
    expect(lanUrlLines({ host: '127.0.0.1', port: 3000, publicUrl: 'http://localhost:3000' }, SCHOOL)).toEqual([]);
    expect(lanUrlLines({ host: 'localhost', port: 3000, publicUrl: 'http://localhost:3000' }, SCHOOL)).toEqual([]);
  });

  it('prints the console, kiosk and parents URLs at each LAN address, and the PUBLIC_URL and camera notes', () => {
    const lines = lanUrlLines({ host: '0.0.0.0', port: 3000, publicUrl: 'http://localhost:3000' }, SCHOOL);
    expect(lines.slice(0, 4)).toEqual([
      '  On the LAN (192.168.1.20):',
      '    Console (teachers):  http://192.168.1.20:3000/console/',
      '    Kiosk (children):    http://192.168.1.20:3000/kiosk/',
      '    Family (parents):    http://192.168.1.20:3000/family/',
    ]);
    expect(lines).toContain('    Kiosk (children):    http://10.0.0.5:3000/kiosk/');
    expect(lines).toContain('    Family (parents):    http://203.0.113.7:3000/family/');
    expect(lines.filter((line) => line.includes('127.0.0.1') || line.includes('169.254.'))).toEqual([]);
    expect(lines).toContain(
      '  Links sent to parents use PUBLIC_URL (http://localhost:3000): set PUBLIC_URL=http://192.168.1.20:3000 ' +
        'so that phones on the LAN can open them.',
    );
    expect(lines.join('\n')).toContain('only on https:// pages');
  });

  it('uses the one address HOST names and its port, and says nothing of PUBLIC_URL when it is already reachable', () => {
    const lines = lanUrlLines({ host: '10.0.0.5', port: 8080, publicUrl: 'https://phone.school.example' }, SCHOOL);
    expect(lines.slice(0, 4)).toEqual([
      '  On the LAN (10.0.0.5):',
      '    Console (teachers):  http://10.0.0.5:8080/console/',
      '    Kiosk (children):    http://10.0.0.5:8080/kiosk/',
      '    Family (parents):    http://10.0.0.5:8080/family/',
    ]);
    expect(lines.some((line) => line.includes('PUBLIC_URL'))).toBe(false);
  });

  it('says so when asked to serve the LAN on a machine without a LAN address', () => {
    expect(
      lanUrlLines(
        { host: '0.0.0.0', port: 3000, publicUrl: 'http://localhost:3000' },
        { lo: [entry('127.0.0.1', true)] },
      ),
    ).toEqual(['  On the LAN: listening on 0.0.0.0, but this machine has no LAN address (is it connected?)']);
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeAddress } from './client-address.ts';

describe('normalizeAddress', () => {
  it('keeps IPv4 and unwraps IPv4-mapped IPv6', () => {
    expect(normalizeAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeAddress('::FFFF:10.0.0.1')).toBe('10.0.0.1');
  });

  it('cuts IPv6 to its /64, however it is written', () => {
    const expected = '2001:db8:0:1::/64';
    expect(normalizeAddress('2001:db8:0:1::5')).toBe(expected);
    expect(normalizeAddress('2001:0db8:0000:0001:ffff:0:0:9')).toBe(expected);
    expect(normalizeAddress('[2001:db8:0:1:a:b:c:d]')).toBe(expected);
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(normalizeAddress('::1')).toBe('0:0:0:0::/64');
    expect(normalizeAddress('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('refuses what is not an address', () => {
    for (const text of ['', 'unknown', '999.1.1.1', 'example.org', '1.2.3.4, 5.6.7.8']) {
      expect(normalizeAddress(text)).toBeNull();
    }
  });
});

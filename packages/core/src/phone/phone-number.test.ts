import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPhone, maskPhone, normalizePhone } from './phone-number.ts';

describe('normalizePhone', () => {
  it('reads mainland numbers typed in any common way', () => {
    for (const input of ['13812345678', '138 1234 5678', '+86 138-1234-5678', '+8613812345678']) {
      expect(normalizePhone(input)).toEqual({ e164: '+8613812345678', country: 'CN', callingCode: '86' });
    }
  });

  it('reads numbers abroad with their country code', () => {
    expect(normalizePhone('+34 612 345 678')).toMatchObject({ e164: '+34612345678', country: 'ES' });
  });

  it('refuses numbers that cannot exist', () => {
    for (const input of ['', '123', 'abc', '+86 1234', '+999 12345678']) expect(normalizePhone(input)).toBeNull();
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 national digits', () => {
    expect(maskPhone('+8613812345678')).toBe('+86 138****5678');
  });

  it('never shows the whole number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9][0-9]{9}$/), (national) => {
        const masked = maskPhone(`+86${national}`);
        expect(masked).not.toContain(national);
        expect(masked).toContain('****');
      }),
    );
  });
});

describe('formatPhone', () => {
  it('writes a mainland number in its national groups and one abroad with its country code', () => {
    expect(formatPhone('+8613800138000')).toBe('138 0013 8000');
    expect(formatPhone('+861012345678')).toBe('010 1234 5678');
    expect(formatPhone('+34612345678')).toBe('+34 612 34 56 78');
    expect(formatPhone('+14155550123')).toBe('+1 415 555 0123');
  });

  it('keeps every digit of a mainland mobile number, in groups (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9][0-9]{9}$/), (national) => {
        const written = formatPhone(`+86${national}`);
        expect(written.replaceAll(' ', '')).toBe(national);
        expect(written).toMatch(/^\d{3} \d{4} \d{4}$/);
      }),
    );
  });

  it('leaves text it cannot read as it is', () => {
    expect(formatPhone('+12')).toBe('+12');
  });
});

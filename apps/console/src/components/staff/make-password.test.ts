import { describe, expect, it } from 'vitest';
import { makePassword } from './make-password.ts';

describe('makePassword', () => {
  it('makes three groups of four unambiguous characters, long enough for the server', () => {
    const password = makePassword();
    expect(password).toMatch(/^[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}$/);
    expect(password.length).toBeGreaterThanOrEqual(10);
  });

  it('draws again on bytes that would favour some characters', () => {
    const bytes = [255, 248, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30];
    const password = makePassword((buffer) => {
      buffer[0] = bytes.shift() ?? 0;
    });
    expect(password).toBe('2345-6789-abcz');
  });

  it('differs from one call to the next', () => {
    expect(new Set(Array.from({ length: 20 }, () => makePassword())).size).toBe(20);
  });
});

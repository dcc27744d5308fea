import { ApiError } from '@affection/ui';
import { describe, expect, it } from 'vitest';
import { minutesToWait } from './sign-in-screen.tsx';

describe('minutesToWait', () => {
  it('rounds the server’s wait up to whole minutes, from Retry-After or the body', () => {
    expect(minutesToWait(ApiError.fromResponse(429, { error: { code: 'rate-limited' } }, '125'))).toBe(3);
    expect(
      minutesToWait(
        ApiError.fromResponse(429, { error: { code: 'rate-limited', details: { retryAfterSeconds: 60 } } }, null),
      ),
    ).toBe(1);
  });

  it('says at least one minute, also when the server gave no wait', () => {
    expect(minutesToWait(ApiError.fromResponse(429, { error: { code: 'rate-limited' } }, '5'))).toBe(1);
    expect(minutesToWait(ApiError.fromResponse(429, null, null))).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { CALL_RECONNECT_EVERY_MS, CALL_RECONNECT_GIVE_UP_MS, callReconnectPolicy } from './call-reconnect-policy.ts';

describe('callReconnectPolicy', () => {
  it('tries at once, then after 0.3, 1.2 and 2.7 s, then every 3 s', () => {
    const delays = [0, 1, 2, 3, 4, 5, 40].map((retryCount) =>
      callReconnectPolicy.nextRetryDelayInMs({ retryCount, elapsedMs: retryCount * 1_000 }),
    );
    expect(delays).toEqual([0, 300, 1_200, 2_700, CALL_RECONNECT_EVERY_MS, CALL_RECONNECT_EVERY_MS, 3_000]);
  });

  it('keeps trying past the 10 tries and 40 s of the default, and gives up after 5 minutes away', () => {
    expect(callReconnectPolicy.nextRetryDelayInMs({ retryCount: 20, elapsedMs: 60_000 })).toBe(3_000);
    expect(callReconnectPolicy.nextRetryDelayInMs({ retryCount: 99, elapsedMs: CALL_RECONNECT_GIVE_UP_MS - 1 })).toBe(
      3_000,
    );
    expect(
      callReconnectPolicy.nextRetryDelayInMs({ retryCount: 100, elapsedMs: CALL_RECONNECT_GIVE_UP_MS }),
    ).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { POOR_FOR_MS, PoorConnectionWatch } from './poor-connection.ts';

describe('falling back to audio only on a poor connection', () => {
  it('falls back once the connection has stayed poor or lost long enough', () => {
    const watch = new PoorConnectionWatch();
    expect(watch.msUntilFallBack(0)).toBeNull();
    watch.report('poor', 1_000);
    expect(watch.msUntilFallBack(1_000)).toBe(POOR_FOR_MS);
    watch.report('lost', 5_000);
    expect(watch.shouldFallBack(1_000 + POOR_FOR_MS - 1)).toBe(false);
    expect(watch.shouldFallBack(1_000 + POOR_FOR_MS)).toBe(true);
  });

  it('ignores a brief dip: a good report starts the count again', () => {
    const watch = new PoorConnectionWatch(4_000);
    watch.report('poor', 0);
    watch.report('good', 3_000);
    expect(watch.shouldFallBack(10_000)).toBe(false);
    watch.report('poor', 10_000);
    expect(watch.shouldFallBack(13_999)).toBe(false);
    expect(watch.shouldFallBack(14_000)).toBe(true);
    watch.report('excellent', 14_001);
    expect(watch.msUntilFallBack(14_001)).toBeNull();
  });
});

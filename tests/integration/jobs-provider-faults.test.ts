import type { FakeTwilioRequest } from '@affection/test-support';
import {
  dedupeKeyOfBody,
  expectDeliveredExactlyOnce,
  FAULT_TEST_SMS_OPTIONS,
  useSmsWorld,
} from '@affection/test-support';
import { describe, expect, it } from 'vitest';

const COUNT = 1_000;
const BACKOFF_MS = 400;
/** Clocks of the worker and the fake are the same machine's; allow for scheduling jitter only. */
const SLACK_MS = 60;

describe('a flaky provider: 30% clear 503 rejects, ambiguous timeouts, 429 bursts (PostgreSQL)', () => {
  const fixture = useSmsWorld('postgres', { seed: 2026 });

  it('delivers every reminder once, backing off as the provider asks', { timeout: 240_000 }, async () => {
    const { world } = fixture;
    const { fake } = world;
    // 30% of requests refused with 503 + Retry-After: 1 (the request was not handled: a clear reject);
    // 3% of sends accepted but answered after the client's timeout (ambiguous: Twilio has them).
    fake.failRandomly(0.3, { status: 503, retryAfterSeconds: 1 });
    fake.delayRandomly(0.03, 2_500);

    const reminders = await world.scheduleReminders({ count: COUNT, firstDueInMs: 1_000, spreadMs: 4_000, seed: 14 });
    await world.startWorkers({ ...FAULT_TEST_SMS_OPTIONS, perSecond: 400, backoffMs: BACKOFF_MS });

    // Two bursts of 429 (Too Many Requests, Retry-After: 1) while the reminders go out.
    await fake.waitForMessages(COUNT * 0.2);
    fake.failNext(25, 429, { retryAfterSeconds: 1 });
    await fake.waitForMessages(COUNT * 0.6);
    fake.failNext(25, 429, { retryAfterSeconds: 1 });

    await world.waitUntilSettled({ messages: COUNT, timeoutMs: 180_000, idleTimeoutMs: 120_000 });

    const { accepted, twice } = await expectDeliveredExactlyOnce(world, { delivered: reminders });

    // Every send attempt of each message, in order.
    const sendsByKey = new Map<string, FakeTwilioRequest[]>();
    for (const request of fake.requests) {
      if (request.method !== 'POST') continue;
      const key = dedupeKeyOfBody(request.form.Body ?? '') ?? '';
      sendsByKey.set(key, [...(sendsByKey.get(key) ?? []), request]);
    }
    const rejected = fake.requests.filter((r) => r.method === 'POST' && r.responseStatus === 503).length;
    const limited = fake.requests.filter((r) => r.responseStatus === 429).length;
    const listRequests = fake.requests.filter((r) => r.method === 'GET').length;
    expect(rejected).toBeGreaterThan(COUNT * 0.2);
    expect(limited).toBe(50);

    // After a 503 or 429 carrying Retry-After: 1, the same message is not tried again for a second;
    // after repeated rejects the gaps grow (exponential backoff from 400 ms up to 3 s, never under Retry-After).
    const gaps: number[] = [];
    const thirdGaps: number[] = [];
    for (const attempts of sendsByKey.values()) {
      for (let i = 1; i < attempts.length; i += 1) {
        const before = attempts[i - 1] as FakeTwilioRequest;
        const gap = (attempts[i] as FakeTwilioRequest).receivedAt - before.receivedAt;
        if (before.responseStatus === 503 || before.responseStatus === 429) {
          gaps.push(gap);
          expect(gap, JSON.stringify(attempts.map((a) => [a.receivedAt, a.responseStatus]))).toBeGreaterThanOrEqual(
            1_000 - SLACK_MS,
          );
        }
        // Three 503s in a row: BullMQ counted three attempts (a 429 is not counted: it pauses the queue).
        if (i === 3 && attempts.slice(0, 3).every((a) => a.responseStatus === 503)) thirdGaps.push(gap);
      }
    }
    expect(gaps.length).toBeGreaterThan(COUNT * 0.2);
    // Third retry: 400 × 2² = 1 600 ms ± 25% jitter, so at least 1 200 ms.
    for (const gap of thirdGaps) expect(gap).toBeGreaterThanOrEqual(1_200 - SLACK_MS);

    // Ambiguous timeouts: Twilio had the message; it was found by the list API, not sent again.
    const checkedNumbers = new Set(
      fake.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.path, fake.url).searchParams.get('To')),
    );
    const messageTo = new Map(reminders.map((r) => [r.dedupeKey, r.toPhone]));
    const foundNotResent = [...sendsByKey].filter(
      ([key, attempts]) => checkedNumbers.has(messageTo.get(key) ?? '') && attempts.at(-1)?.responseStatus === 201,
    ).length;
    expect(foundNotResent).toBeGreaterThan(0);
    const sorted = [...gaps].sort((a, b) => a - b);
    console.log(
      `provider faults: ${COUNT} scheduled, ${fake.requests.filter((r) => r.method === 'POST').length} send requests (${rejected} answered 503, ${limited} answered 429), ${listRequests} list requests after ambiguous failures (${checkedNumbers.size} messages checked, ${foundNotResent} of them found at Twilio after a timeout and not sent again), retry gaps after a reject min ${sorted[0]} ms / median ${sorted[Math.floor(sorted.length / 2)]} ms / max ${sorted.at(-1)} ms (${thirdGaps.length} third retries, min ${Math.min(...thirdGaps)} ms), ${accepted} delivered, ${twice} twice`,
    );
  });
});

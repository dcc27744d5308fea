import { ALIYUN_SEND_CAPS } from '@affection/core';
import { schema } from '@affection/db';
import { type ApiWorld, createApiWorld } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { settleFamilyCodeDeliveries } from './deliver-family-code.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface CodeAnswer {
  status: number;
  retryAfter: number | null;
  resendAfterSeconds?: number;
  reason?: string;
  retryAfterSeconds?: number;
  nextCodeAt?: string;
}

describe('POST /api/family/code: the SMS providers’ code limits per number (1 a minute, 5 an hour, 10 a day)', () => {
  let world: ApiWorld;
  let start: Date;
  let requests = 0;

  beforeAll(async () => {
    world = await createApiWorld('pglite');
    start = world.services.now();
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(async () => {
    await world.services.redis.flushdb();
  });

  /** Asks for a code at `start + offsetMs`, each time from another address (the per-address limit is not tested here). */
  async function ask(phone: string, offsetMs: number): Promise<CodeAnswer> {
    world.setNow(new Date(start.getTime() + offsetMs));
    requests += 1;
    const res = await world.app.request(
      '/api/family/code',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone }) },
      { incoming: { socket: { remoteAddress: `198.18.${requests >> 8}.${requests & 255}` } } },
    );
    const body = (await res.json()) as {
      resendAfterSeconds?: number;
      error?: { details?: { reason?: string; retryAfterSeconds?: number; nextCodeAt?: string } };
    };
    const retryAfter = res.headers.get('retry-after');
    return {
      status: res.status,
      retryAfter: retryAfter === null ? null : Number(retryAfter),
      ...(body.resendAfterSeconds !== undefined ? { resendAfterSeconds: body.resendAfterSeconds } : {}),
      ...(body.error?.details ?? {}),
    };
  }

  const at = (offsetMs: number) => new Date(start.getTime() + offsetMs).toISOString();

  async function codesSentTo(phone: string): Promise<number> {
    await settleFamilyCodeDeliveries(world.services);
    const rows = await world.database.db.select().from(schema.smsMessages).where(eq(schema.smsMessages.toPhone, phone));
    return rows.length;
  }

  it('lets a code go a minute after the last, the sixth an hour after the first, the eleventh a day after; says when', async () => {
    const phone = world.a.contact.phone;
    expect(await ask(phone, 0)).toEqual({ status: 202, retryAfter: null, resendAfterSeconds: 60 });
    expect(await ask(phone, 30 * SECOND)).toEqual({
      status: 429,
      retryAfter: 30,
      reason: 'code-wait',
      retryAfterSeconds: 30,
      nextCodeAt: at(MINUTE),
    });
    for (const minute of [1, 2, 3]) expect((await ask(phone, minute * MINUTE)).status).toBe(202);
    // The fifth in the hour: the next may go only when the first is an hour old.
    expect(await ask(phone, 4 * MINUTE)).toEqual({
      status: 202,
      retryAfter: null,
      resendAfterSeconds: (HOUR - 4 * MINUTE) / SECOND,
    });
    expect(await ask(phone, 5 * MINUTE)).toMatchObject({ status: 429, reason: 'code-wait', nextCodeAt: at(HOUR) });
    for (const minute of [60, 61, 62, 63]) expect((await ask(phone, minute * MINUTE)).status).toBe(202);
    // The tenth in the day.
    expect(await ask(phone, 64 * MINUTE)).toMatchObject({
      status: 202,
      resendAfterSeconds: (DAY - 64 * MINUTE) / SECOND,
    });
    expect(await ask(phone, 3 * HOUR)).toMatchObject({
      status: 429,
      reason: 'code-wait',
      retryAfterSeconds: (DAY - 3 * HOUR) / SECOND,
      nextCodeAt: at(DAY),
    });
    expect(await ask(phone, DAY)).toMatchObject({ status: 202 });
    // Every refusal sent nothing.
    expect(await codesSentTo(phone)).toBe(11);
  });

  it('answers an unknown number exactly as a known one', async () => {
    const known = world.b.contact.phone;
    const unknown = '+8613700001234';
    for (const offset of [0, 20 * SECOND, MINUTE]) {
      expect(await ask(unknown, offset)).toEqual(await ask(known, offset));
    }
    expect(await codesSentTo(unknown)).toBe(0);
  });

  it('under a provider with caps, the second Home’s copy of the code waits its minute instead of being refused', async () => {
    const parent = await world.sharedParent();
    world.services.smsRouting = { providerFor: () => 'outbox', sendCapsFor: () => ALIYUN_SEND_CAPS };
    try {
      expect((await ask(parent.phone, 2 * DAY)).status).toBe(202);
      await settleFamilyCodeDeliveries(world.services);
      const rows = await world.database.db
        .select()
        .from(schema.smsMessages)
        .where(eq(schema.smsMessages.toPhone, parent.phone));
      expect(rows.map((row) => row.status).sort()).toEqual(['pending', 'sent']);
      const held = rows.find((row) => row.status === 'pending');
      expect(held).toMatchObject({ errorCode: 'capped' });
      expect(held?.dueAt.getTime()).toBeGreaterThanOrEqual(start.getTime() + 2 * DAY + MINUTE);
      expect(held?.errorMessage).toContain('1 a minute');
    } finally {
      delete world.services.smsRouting;
    }
  });

  it('keeps counting in this process while Redis is down', async () => {
    const phone = '+8613700005678';
    await world.redisServer.kill('SIGKILL');
    try {
      expect((await ask(phone, 0)).status).toBe(202);
      expect(await ask(phone, 10 * SECOND)).toMatchObject({ status: 429, reason: 'code-wait', nextCodeAt: at(MINUTE) });
      expect((await ask(phone, MINUTE)).status).toBe(202);
    } finally {
      await world.redisServer.restart();
    }
  });
});

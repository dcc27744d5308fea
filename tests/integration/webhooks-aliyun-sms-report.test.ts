import { getSmsMessage, insertOutgoingSms, markSmsAccepted, schema } from '@affection/db';
import { type ApiWorld, createApiWorld } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'report-token-0123456789abcdef';
const PROVIDER_ADDRESS = '47.96.12.34';
const NOW = new Date('2026-11-18T04:00:00Z');

/** A report as Alibaba Cloud pushes it. */
function report(bizId: string, outId: string, success: boolean) {
  return {
    phone_number: '13800138000',
    send_time: '2026-11-18 12:00:01',
    report_time: '2026-11-18 12:00:05',
    success,
    err_code: success ? 'DELIVERED' : 'MK:0001',
    err_msg: success ? '用户接收成功' : '失败',
    sms_size: '1',
    biz_id: bizId,
    out_id: outId,
  };
}

/** A seeded shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('POST /webhooks/aliyun/sms-report/{token}', () => {
  let world: ApiWorld;

  beforeAll(async () => {
    world = await createApiWorld('pglite');
    world.services.settings.trustProxy = true;
    world.services.settings.aliyunSmsReport = { token: TOKEN, allowedAddresses: ['47.96.0.0/16'] };
  });
  afterAll(async () => {
    await world?.close();
  });

  function post(body: unknown, options: { token?: string; from?: string } = {}) {
    return world.app.request(`/webhooks/aliyun/sms-report/${options.token ?? TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': options.from ?? PROVIDER_ADDRESS },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async function storeMessage(key: string) {
    const { message } = await insertOutgoingSms(world.database.db, {
      homeId: world.a.home.id,
      toPhone: world.a.contact.phone,
      body: `提醒 ${key}`,
      dedupeKey: `aliyun-report-${key}`,
      now: NOW,
    });
    return message;
  }

  it('applies reports shuffled and pushed three times: one final status each, repeats change nothing', async () => {
    const delivered = await storeMessage('delivered');
    const failed = await storeMessage('failed');
    const timedOut = await storeMessage('timed-out');
    const found = await storeMessage('found');
    await markSmsAccepted(world.database.db, delivered.id, { provider: 'aliyun', providerId: 'biz-1^0', now: NOW });
    await markSmsAccepted(world.database.db, failed.id, { provider: 'aliyun', providerId: 'biz-2^0', now: NOW });
    // Its send timed out after the provider took it: no provider id yet, found by OutId.
    await world.database.db
      .update(schema.smsMessages)
      .set({ status: 'sending', attempts: 1 })
      .where(eq(schema.smsMessages.id, timedOut.id));
    // Found by a lookup after a timeout: known by its OutId, not the BizId.
    await markSmsAccepted(world.database.db, found.id, {
      provider: 'aliyun',
      providerId: `aliyun-out:${found.id}`,
      now: NOW,
    });
    const batch = [
      report('biz-1^0', delivered.id, true),
      report('biz-2^0', failed.id, false),
      report('biz-3^0', timedOut.id, true),
      report('biz-4^0', found.id, true),
      report('biz-9^0', 'sms_unknown', true),
    ];
    const answers = [];
    for (const seed of [1, 2, 3]) {
      const response = await post(shuffled(batch, seed));
      answers.push([response.status, await response.json()]);
    }
    expect(answers).toEqual(Array.from({ length: 3 }, () => [200, { code: 0, msg: '成功' }]));
    const after = await Promise.all(
      [delivered, failed, timedOut, found].map((m) => getSmsMessage(world.database.db, m.id)),
    );
    expect(after.map((m) => [m?.status, m?.providerId, m?.errorCode ?? null])).toEqual([
      ['delivered', 'biz-1^0', null],
      ['undelivered', 'biz-2^0', 'MK:0001'],
      ['delivered', 'biz-3^0', null],
      ['delivered', `aliyun-out:${found.id}`, null],
    ]);
    const stored = await world.database.db.select().from(schema.smsReports);
    expect(stored.map((r) => [r.bizId, r.status, r.messageId]).sort()).toEqual(
      [
        ['biz-1^0', 'delivered', delivered.id],
        ['biz-2^0', 'failed', failed.id],
        ['biz-3^0', 'delivered', timedOut.id],
        ['biz-4^0', 'delivered', found.id],
        ['biz-9^0', 'delivered', null],
      ].sort(),
    );
    // A late report that contradicts a final status changes nothing.
    const updatedAt = after[0]?.updatedAt;
    expect((await post([report('biz-1^0', delivered.id, false)])).status).toBe(200);
    expect(await getSmsMessage(world.database.db, delivered.id)).toMatchObject({ status: 'delivered', updatedAt });
    // The log holds no phone number.
    expect(JSON.stringify(world.logs)).not.toContain('13800138000');
  });

  it('refuses a wrong token and an address outside the allow-list before reading the body', async () => {
    const wrongToken = await post([report('biz-x', 'sms_x', true)], { token: 'report-token-0123456789abcdeX' });
    const shortToken = await post([report('biz-x', 'sms_x', true)], { token: 'x' });
    const wrongAddress = await post([report('biz-x', 'sms_x', true)], { from: '203.0.113.9' });
    expect([wrongToken.status, shortToken.status, wrongAddress.status]).toEqual([403, 403, 403]);
    const stored = await world.database.db.select().from(schema.smsReports).where(eq(schema.smsReports.bizId, 'biz-x'));
    expect(stored).toEqual([]);
  });

  it('answers 400 for a body that is not a JSON array of reports', async () => {
    expect((await post('not json')).status).toBe(400);
    expect((await post({ biz_id: 'x' })).status).toBe(400);
  });

  it('answers 404 when Alibaba Cloud SMS reports are not configured', async () => {
    const saved = world.services.settings.aliyunSmsReport;
    world.services.settings.aliyunSmsReport = null;
    try {
      expect((await post([report('biz-y', 'sms_y', true)])).status).toBe(404);
    } finally {
      world.services.settings.aliyunSmsReport = saved;
    }
  });
});

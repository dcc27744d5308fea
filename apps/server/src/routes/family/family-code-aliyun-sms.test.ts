import { DEFAULT_SMS_COUNTRY_POLICIES, ZH_CN_SMS_TEMPLATE_TEXTS } from '@affection/core';
import { schema } from '@affection/db';
import { AliyunSmsSender } from '@affection/telephony';
import {
  type ApiWorld,
  createApiWorld,
  createFakeAliyunSms,
  type FakeAliyun,
  type FakeAliyunSms,
  startFakeAliyun,
  waitUntil,
} from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SIGN = '青山小学';

describe('the sign-in code through Alibaba Cloud SMS (PGlite, the real SDK against the fake API)', () => {
  let world: ApiWorld;
  let fake: FakeAliyun;
  let sms: FakeAliyunSms;

  beforeAll(async () => {
    sms = createFakeAliyunSms({
      templates: { SMS_400001: ZH_CN_SMS_TEMPLATE_TEXTS['one-time-code'] },
      signNames: [SIGN],
    });
    fake = await startFakeAliyun({ handlers: sms.handlers });
    world = await createApiWorld('pglite', {
      sms: new AliyunSmsSender({
        accessKeyId: fake.accessKeyId,
        accessKeySecret: fake.accessKeySecret,
        signName: SIGN,
        templateCodes: { 'one-time-code': 'SMS_400001' },
        endpoint: fake.endpoint,
        protocol: 'http',
        timeoutMs: 2_000,
      }),
      smsPolicies: {
        ...DEFAULT_SMS_COUNTRY_POLICIES,
        templatesOnly: { callingCodes: ['86'], approved: ['one-time-code'] },
      },
    });
  });
  afterAll(async () => {
    await world?.close();
    await fake?.close();
  });

  it('texts the code as the approved verification template, and the code signs the parent in', async () => {
    const { phone } = world.a.contact;
    const asked = await world.app.request('/api/family/code', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone }),
    });
    expect(asked.status).toBe(202);
    await waitUntil(async () => sms.messages.size > 0, { timeoutMs: 20_000, what: 'the code at the provider' });
    const [sent] = [...sms.messages.values()];
    expect(sent).toMatchObject({ phone: phone.slice(3), templateCode: 'SMS_400001', signName: SIGN });
    expect(sent?.params).toEqual({ code: expect.stringMatching(/^\d{6}$/), minutes: '10' });
    const [row] = await world.database.db
      .select()
      .from(schema.smsMessages)
      .where(eq(schema.smsMessages.id, sent?.outId ?? ''));
    expect(row).toMatchObject({ status: 'sent', templateParams: { key: 'one-time-code' } });
    const verified = await world.app.request('/api/family/code/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, code: sent?.params.code }),
    });
    expect(verified.status).toBe(200);
  });
});

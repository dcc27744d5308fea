import { ALIYUN_SMS_TEMPLATE_KEYS } from '@affection/config';
import { SMS_TEMPLATE_KEYS, ZH_CN_SMS_TEMPLATE_TEXTS } from '@affection/core';
import { AliyunSmsSender, type AliyunSmsSenderOptions, RoutingSmsSender, TwilioSmsSender } from '@affection/telephony';
import {
  createFakeAliyunSms,
  type FakeAliyun,
  type FakeAliyunSms,
  type FakeTwilio,
  startFakeAliyun,
  startFakeTwilio,
} from '@affection/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const SIGN = '青山小学';
const HOME_SIGN = '青山县二小';
const CODES = { 'booking-confirmed-phone': 'SMS_100001', 'call-now': 'SMS_100002' } as const;
const TO = '+8613800138000';
const CALL = {
  key: 'booking-confirmed-phone' as const,
  variables: { name: '小明和小红', time: '11月18日周三12:15' },
};

let fake: FakeAliyun;
let sms: FakeAliyunSms;

function senderOn(options: Partial<AliyunSmsSenderOptions> = {}): AliyunSmsSender {
  return new AliyunSmsSender({
    accessKeyId: fake.accessKeyId,
    accessKeySecret: fake.accessKeySecret,
    signName: SIGN,
    templateCodes: CODES,
    endpoint: fake.endpoint,
    protocol: 'http',
    timeoutMs: 1_000,
    ...options,
  });
}

beforeAll(async () => {
  fake = await startFakeAliyun();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  // The provider knows SMS_100001 and SMS_100002 only (SMS_100003 is ours but not approved there).
  sms = createFakeAliyunSms({
    templates: {
      SMS_100001: ZH_CN_SMS_TEMPLATE_TEXTS['booking-confirmed-phone'],
      SMS_100002: ZH_CN_SMS_TEMPLATE_TEXTS['call-now'],
    },
    signNames: [SIGN, HOME_SIGN],
    acceptedTimeoutMs: 3_000,
  });
  for (const [action, handler] of Object.entries(sms.handlers)) fake.handle(action, handler);
  fake.requests.length = 0;
});

describe('template keys', () => {
  it('are the same in the config (which depends on nothing of ours) as in the core', () => {
    expect([...ALIYUN_SMS_TEMPLATE_KEYS]).toEqual([...SMS_TEMPLATE_KEYS]);
  });
});

describe('AliyunSmsSender through the real SDK against the fake API', () => {
  it('sends the template code, its variables as TemplateParam, the signature and OutId = our message id', async () => {
    const result = await senderOn().send({ to: TO, body: 'x', idempotencyKey: 'sms_a1', template: CALL });
    expect(result.ok).toBe(true);
    const [sent] = [...sms.messages.values()];
    expect(result).toEqual({ ok: true, providerId: sent?.bizId });
    expect(sent).toMatchObject({
      phone: '13800138000',
      signName: SIGN,
      templateCode: 'SMS_100001',
      params: CALL.variables,
      outId: 'sms_a1',
      content: `【${SIGN}】小明和小红的亲情电话约在11月18日周三12:15，我们会打电话给您。`,
    });
    expect(fake.requests.every((r) => r.isSigned)).toBe(true);
  });

  it("signs with the Home's own signature when it has one", async () => {
    const sender = senderOn({ signNameFor: async (homeId) => (homeId === 'home_2' ? HOME_SIGN : null) });
    await sender.send({ to: TO, body: 'x', idempotencyKey: 'sms_b1', template: CALL, homeId: 'home_2' });
    await sender.send({ to: TO, body: 'x', idempotencyKey: 'sms_b2', template: CALL, homeId: 'home_1' });
    expect([...sms.messages.values()].map((m) => [m.outId, m.signName])).toEqual([
      ['sms_b1', HOME_SIGN],
      ['sms_b2', SIGN],
    ]);
  });

  it('is refused when the request signature is wrong (a wrong secret), permanently, and nothing is sent', async () => {
    const result = await senderOn({ accessKeySecret: 'not-the-secret' }).send({
      to: TO,
      body: 'x',
      idempotencyKey: 'sms_c1',
      template: CALL,
    });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', isAmbiguous: false } });
    expect(!result.ok && result.failure.message).toMatch(/SignatureDoesNotMatch/);
    expect(fake.requests.map((r) => r.isSigned)).toEqual([false]);
    expect(sms.messages.size).toBe(0);
  });

  it('maps throttling (isv.BUSINESS_LIMIT_CONTROL) to a retryable rate limit, not ambiguous', async () => {
    sms.failNext(1, 'throttled');
    const result = await senderOn().send({ to: TO, body: 'x', idempotencyKey: 'sms_d1', template: CALL });
    expect(result).toEqual({
      ok: false,
      failure: expect.objectContaining({
        kind: 'retryable',
        reason: 'rate-limited',
        isAmbiguous: false,
        retryAfterMs: 60_000,
      }),
    });
    expect(sms.messages.size).toBe(0);
  });

  it('maps a template the provider has not approved to a permanent failure', async () => {
    const result = await senderOn({ templateCodes: { ...CODES, 'booking-confirmed-phone': 'SMS_100003' } }).send({
      to: TO,
      body: 'x',
      idempotencyKey: 'sms_e1',
      template: CALL,
    });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', reason: 'provider-error' } });
    expect(!result.ok && result.failure.message).toMatch(/isv\.SMS_TEMPLATE_ILLEGAL/);
  });

  it('refuses before sending: variables against the rules, no template, no code, a number outside the mainland', async () => {
    const sender = senderOn();
    const refused = await Promise.all([
      sender.send({
        to: TO,
        body: 'x',
        idempotencyKey: 'f1',
        template: { key: 'call-now', variables: { name: 'www.x.cn' } },
      }),
      sender.send({ to: TO, body: 'x', idempotencyKey: 'f2' }),
      sender.send({ to: TO, body: 'x', idempotencyKey: 'f3', template: { key: 'call-proposed', variables: {} } }),
      sender.send({ to: '+34612345678', body: 'x', idempotencyKey: 'f4', template: CALL }),
    ]);
    expect(refused.map((r) => !r.ok && [r.failure.kind, r.failure.reason])).toEqual([
      ['permanent', 'provider-error'],
      ['permanent', 'provider-error'],
      ['permanent', 'provider-error'],
      ['permanent', 'country-not-enabled'],
    ]);
    expect(!refused[0]?.ok && refused[0]?.failure.message).toMatch(/looks like a link/);
    expect(fake.requests).toHaveLength(0);
  });

  it('a 5xx is ambiguous and retryable', async () => {
    sms.failNext(1, 'server-error');
    const result = await senderOn().send({ to: TO, body: 'x', idempotencyKey: 'sms_g1', template: CALL });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'retryable', isAmbiguous: true } });
  });

  it('a timeout after acceptance is ambiguous, and findSent finds the message by OutId instead of sending again', async () => {
    const sender = senderOn();
    const since = new Date(Date.now() - 60_000);
    sms.failNext(1, 'timeout-after-accept');
    const result = await sender.send({ to: TO, body: 'x', idempotencyKey: 'sms_h1', template: CALL });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'retryable', reason: 'timeout', isAmbiguous: true } });
    expect(sms.messages.size).toBe(1);
    const found = await sender.findSent({ to: TO, body: 'x', since, idempotencyKey: 'sms_h1' });
    expect(found).toEqual({ ok: true, providerId: 'aliyun-out:sms_h1' });
    const other = await sender.findSent({ to: TO, body: 'x', since, idempotencyKey: 'sms_h2' });
    expect(other).toEqual({ ok: true, providerId: null });
    expect(sms.acceptedPerOutId().get('sms_h1')).toBe(1);
  });

  it('looks a sent message up by its BizId: sent, then delivered', async () => {
    const sender = senderOn();
    const result = await sender.send({ to: TO, body: 'x', idempotencyKey: 'sms_i1', template: CALL });
    if (!result.ok) throw new Error(result.failure.message);
    expect(await sender.lookup(result.providerId)).toMatchObject({ ok: true, status: { state: 'sent' } });
    sms.settle(result.providerId);
    expect(await sender.lookup(result.providerId)).toMatchObject({ ok: true, status: { state: 'delivered' } });
  });
});

describe('RoutingSmsSender', () => {
  let twilio: FakeTwilio;
  beforeAll(async () => {
    twilio = await startFakeTwilio();
  });
  afterAll(async () => {
    await twilio.close();
  });

  it('sends +86 through Alibaba Cloud and +34 (the parent in Madrid) through Twilio', async () => {
    const routing = new RoutingSmsSender({
      domestic: { name: 'aliyun', sender: senderOn() },
      international: {
        name: 'twilio',
        sender: new TwilioSmsSender({
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: '+15005550006',
          apiBaseUrl: twilio.url,
          timeoutMs: 1_000,
        }),
      },
    });
    expect([routing.providerFor(TO), routing.providerFor('+34612345678')]).toEqual(['aliyun', 'twilio']);
    const mainland = await routing.send({ to: TO, body: '不用', idempotencyKey: 'sms_j1', template: CALL });
    const madrid = await routing.send({
      to: '+34612345678',
      body: 'Xiao Ming: call at 05:15',
      idempotencyKey: 'sms_j2',
    });
    expect(mainland.ok && madrid.ok).toBe(true);
    expect([...sms.messages.values()].map((m) => m.outId)).toEqual(['sms_j1']);
    expect([...twilio.messages.values()].map((m) => [m.to, m.body])).toEqual([
      ['+34612345678', 'Xiao Ming: call at 05:15'],
    ]);
  });
});

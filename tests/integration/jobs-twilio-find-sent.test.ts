import type { TwilioSmsSender } from '@affection/telephony';
import { type FakeTwilio, useSmsWorld } from '@affection/test-support';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

const TO = '+8613800138000';
const BODY = '王小明的亲情电话在12:15，请准时接听。【某某小学留守儿童之家】';
const CALLBACK = 'http://127.0.0.1:9/webhooks/twilio/status';

describe('TwilioSmsSender: finding a sent message, and Retry-After (fake Twilio API)', () => {
  const fixture = useSmsWorld('provider', { seed: 3 });
  let fake: FakeTwilio;
  let sms: TwilioSmsSender;
  beforeAll(() => {
    fake = fixture.world.fake;
    sms = fixture.world.twilioSender({ timeoutMs: 300 });
  });
  beforeEach(() => {
    fake.resetFailures();
    fake.requests.length = 0;
  });

  it('finds a message Twilio took although the send timed out, through the Messages list', async () => {
    const since = new Date(Date.now() - 1_000);
    fake.delayNext(1, 1_000);
    const send = await sms.send({ to: TO, body: BODY, idempotencyKey: 'sms_slow', statusCallbackUrl: CALLBACK });
    expect(send).toMatchObject({ ok: false, failure: { reason: 'timeout', isAmbiguous: true } });
    const created = [...fake.messages.values()].at(-1);
    const found = await sms.findSent({ to: TO, body: BODY, since, idempotencyKey: 'sms_slow' });
    expect(found).toEqual({ ok: true, providerId: created?.sid });
    const lists = fake.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.path, fake.url));
    expect(lists[0]?.pathname).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    expect(lists[0]?.searchParams.get('To')).toBe(TO);
    expect(lists[0]?.searchParams.get('DateSent>')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Still queued, so it has no sent date: found by the second look, at the newest messages to `To`.
    expect(lists[1]?.searchParams.get('DateSent>')).toBeNull();
  });

  it('finds a message that has been sent with the first look (DateSent)', async () => {
    const since = new Date(Date.now() - 1_000);
    const sent = await sms.send({ to: TO, body: `${BODY} 2`, idempotencyKey: 'sms_2', statusCallbackUrl: CALLBACK });
    if (!sent.ok) throw new Error(sent.failure.message);
    const message = fake.messages.get(sent.providerId);
    if (!message) throw new Error('not created');
    message.status = 'sent';
    fake.requests.length = 0;
    expect(await sms.findSent({ to: TO, body: `${BODY} 2`, since, idempotencyKey: 'sms_2' })).toEqual({
      ok: true,
      providerId: sent.providerId,
    });
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('does not match another text, another number, or a message older than `since`', async () => {
    const sent = await sms.send({ to: TO, body: `${BODY} 3`, idempotencyKey: 'sms_3' });
    expect(sent.ok).toBe(true);
    const since = new Date(Date.now() - 1_000);
    expect(await sms.findSent({ to: TO, body: `${BODY} 4`, since, idempotencyKey: 'sms_4' })).toEqual({
      ok: true,
      providerId: null,
    });
    expect(await sms.findSent({ to: '+8613800138001', body: `${BODY} 3`, since, idempotencyKey: 'x' })).toEqual({
      ok: true,
      providerId: null,
    });
    const later = new Date(Date.now() + 10 * 60_000);
    expect(await sms.findSent({ to: TO, body: `${BODY} 3`, since: later, idempotencyKey: 'sms_3' })).toEqual({
      ok: true,
      providerId: null,
    });
  });

  it('says when the provider cannot be asked', async () => {
    fake.failNext(1, 503);
    expect(await sms.findSent({ to: TO, body: BODY, since: new Date(), idempotencyKey: 'x' })).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: 'provider-error' },
    });
  });

  it('reads Retry-After: a 429 keeps it; a 503 carrying it was refused, so it is not ambiguous', async () => {
    fake.failNext(1, 429, { retryAfterSeconds: 2 });
    expect(await sms.send({ to: TO, body: BODY, idempotencyKey: 'sms_429' })).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: 'rate-limited', isAmbiguous: false, retryAfterMs: 2_000 },
    });
    fake.failNext(1, 503, { retryAfterSeconds: 1 });
    expect(await sms.send({ to: TO, body: BODY, idempotencyKey: 'sms_503' })).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: 'provider-error', isAmbiguous: false, retryAfterMs: 1_000 },
    });
    fake.failNext(1, 503);
    const plain = await sms.send({ to: TO, body: BODY, idempotencyKey: 'sms_503b' });
    expect(plain).toMatchObject({ ok: false, failure: { isAmbiguous: true } });
    expect(plain.ok ? undefined : plain.failure.retryAfterMs).toBeUndefined();
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTwilioSignatureVerifier,
  parseTwilioStatusCallback,
  TwilioSmsSender,
  type TwilioStatusUpdate,
} from '@affection/telephony';
import { type FakeTwilio, startFakeTwilio } from '@affection/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const FROM = '+15005550006';
const TO = '+8613800138000';
const BODY = '王小明的亲情电话约在11月18日周三12:15，到时请打开亲情电话。【某某小学留守儿童之家】';

/** The server side of status callbacks: checks the signature, then reads the update. */
interface CallbackReceiver {
  url: string;
  updates: TwilioStatusUpdate[];
  rejected: number;
  close(): Promise<void>;
}

async function startCallbackReceiver(authToken: string): Promise<CallbackReceiver> {
  const verifier = createTwilioSignatureVerifier({ authToken });
  const updates: TwilioStatusUpdate[] = [];
  const receiver = { rejected: 0 };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${request.url}`;
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const header = request.headers['x-twilio-signature'];
      const check = verifier.verify({ url, params, signature: typeof header === 'string' ? header : undefined });
      if (!check.ok) {
        receiver.rejected += 1;
        response.writeHead(403).end();
        return;
      }
      const update = parseTwilioStatusCallback({ url, params });
      if (update) updates.push(update);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/twilio/sms-status`,
    updates,
    get rejected() {
      return receiver.rejected;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function postForm(url: string, params: Record<string, string>, signature: string): Promise<number> {
  const body = new URLSearchParams(params).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('TwilioSmsSender against a fake Twilio API', () => {
  let fake: FakeTwilio;
  let receiver: CallbackReceiver;
  let sms: TwilioSmsSender;

  beforeAll(async () => {
    fake = await startFakeTwilio({ seed: 7 });
    receiver = await startCallbackReceiver(fake.authToken);
    sms = new TwilioSmsSender({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: FROM,
      apiBaseUrl: fake.url,
      timeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    await fake?.close();
    await receiver?.close();
  });
  beforeEach(() => {
    fake.resetFailures();
    fake.requests.length = 0;
  });

  it('makes the REST call Twilio documents: path, form fields and Basic auth with the account SID', async () => {
    const result = await sms.send({ to: TO, body: BODY, statusCallbackUrl: receiver.url, idempotencyKey: 'sms_01' });
    expect(result.ok).toBe(true);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`,
    );
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.form).toEqual({
      To: TO,
      From: FROM,
      Body: BODY,
      StatusCallback: `${receiver.url}?idempotencyKey=sms_01`,
    });
  });

  it('returns the message SID Twilio gave', async () => {
    const result = await sms.send({ to: TO, body: BODY, idempotencyKey: 'sms_02' });
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.messages.get(result.providerId)).toMatchObject({ to: TO, body: BODY, status: 'queued' });
    expect(fake.requests[0]?.form).not.toHaveProperty('StatusCallback');
  });

  it('sends through a Messaging Service when given one instead of a number', async () => {
    const viaService = new TwilioSmsSender({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      messagingServiceSid: `MG${'0'.repeat(32)}`,
      apiBaseUrl: fake.url,
    });
    const result = await viaService.send({ to: TO, body: BODY, idempotencyKey: 'sms_03' });
    expect(result.ok).toBe(true);
    expect(fake.requests[0]?.form).toEqual({ To: TO, Body: BODY, MessagingServiceSid: `MG${'0'.repeat(32)}` });
  });

  describe('maps each Twilio error', () => {
    it.each([
      [21211, 'permanent', 'invalid-number'],
      [21408, 'permanent', 'country-not-enabled'],
      [21610, 'permanent', 'opted-out'],
      [21612, 'permanent', 'unreachable'],
      [21614, 'permanent', 'unreachable'],
    ] as const)('%i → %s %s', async (code, kind, reason) => {
      const to = `+86138001${String(code).padStart(5, '0')}`;
      fake.failForNumber(to, code, { message: `Error for the 'To' number ${to}` });
      const result = await sms.send({ to, body: BODY, idempotencyKey: `sms_${code}` });
      expect(result).toEqual({
        ok: false,
        failure: { kind, reason, providerCode: code, isAmbiguous: false, message: expect.any(String) },
      });
      if (!result.ok) expect(result.failure.message).not.toContain(to.slice(3));
      expect(fake.requests).toHaveLength(1);
    });

    it('a number Twilio cannot parse → 21211 invalid number', async () => {
      const result = await sms.send({ to: '+0123', body: BODY, idempotencyKey: 'sms_bad' });
      expect(result).toMatchObject({ ok: false, failure: { reason: 'invalid-number', providerCode: 21211 } });
    });
  });

  it('429 is retryable and rate-limited, and the SDK does not retry on its own', async () => {
    fake.failNext(1, 429);
    const result = await sms.send({ to: TO, body: BODY, idempotencyKey: 'sms_429' });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: 'rate-limited', providerCode: 20429, isAmbiguous: false },
    });
    expect(fake.requests).toHaveLength(1);
    expect((await sms.send({ to: TO, body: BODY, idempotencyKey: 'sms_429' })).ok).toBe(true);
  });

  it.each([500, 503] as const)('%i is a retryable provider error that may have gone out', async (status) => {
    fake.failNext(1, status);
    const result = await sms.send({ to: TO, body: BODY, idempotencyKey: `sms_${status}` });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: 'provider-error', isAmbiguous: true },
    });
  });

  it('a response slower than the timeout is a retryable, ambiguous timeout; the callback still names the row', async () => {
    const quick = new TwilioSmsSender({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: FROM,
      apiBaseUrl: fake.url,
      timeoutMs: 300,
    });
    fake.delayNext(1, 1_500);
    const sentBefore = fake.messages.size;
    const started = Date.now();
    const result = await quick.send({
      to: TO,
      body: BODY,
      statusCallbackUrl: receiver.url,
      idempotencyKey: 'sms_slow',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'retryable', reason: 'timeout', isAmbiguous: true } });
    // Twilio did take the message: this is why a timeout is checked before sending again.
    expect(fake.messages.size).toBe(sentBefore + 1);
    const created = [...fake.messages.values()].at(-1);
    if (!created) throw new Error('no message');
    const before = receiver.updates.length;
    await fake.sendStatusCallbacks(created.sid, { final: 'delivered' });
    expect(receiver.updates.slice(before).map((u) => [u.idempotencyKey, u.status.providerId])).toEqual([
      ['sms_slow', created.sid],
      ['sms_slow', created.sid],
      ['sms_slow', created.sid],
    ]);
  });

  it('random 500s from a seeded PRNG each map to a retryable failure, the same way on every run', async () => {
    const run = async (seed: number) => {
      const flaky = await startFakeTwilio({ seed, accountSid: fake.accountSid, authToken: fake.authToken });
      try {
        flaky.failRandomly(0.3);
        const sender = new TwilioSmsSender({
          accountSid: fake.accountSid,
          authToken: fake.authToken,
          from: FROM,
          apiBaseUrl: flaky.url,
        });
        const results = [];
        for (let i = 0; i < 20; i += 1)
          results.push(await sender.send({ to: TO, body: BODY, idempotencyKey: `sms_r${i}` }));
        const answered = flaky.requests.map((r) => r.responseStatus);
        return { results, answered, created: flaky.messages.size };
      } finally {
        await flaky.close();
      }
    };
    const first = await run(42);
    const again = await run(42);
    expect(again.answered).toEqual(first.answered);
    expect(first.answered).toContain(500);
    expect(first.answered).toContain(201);
    first.results.forEach((result, i) => {
      if (first.answered[i] === 500) {
        expect(result).toMatchObject({ ok: false, failure: { kind: 'retryable', reason: 'provider-error' } });
      } else {
        expect(result.ok).toBe(true);
      }
    });
    expect(first.created).toBe(first.answered.filter((status) => status === 201).length);
  });

  it('a status callback URL that is not a URL is a permanent failure, and nothing is sent', async () => {
    const result = await sms.send({ to: TO, body: BODY, statusCallbackUrl: 'not a url', idempotencyKey: 'sms_url' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', isAmbiguous: false } });
    expect(fake.requests).toHaveLength(0);
  });

  it('wrong credentials are a permanent provider error', async () => {
    const wrong = new TwilioSmsSender({
      accountSid: fake.accountSid,
      authToken: 'not-the-token-not-the-token-0000',
      from: FROM,
      apiBaseUrl: fake.url,
    });
    const result = await wrong.send({ to: TO, body: BODY, idempotencyKey: 'sms_auth' });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'provider-error', providerCode: 20003 },
    });
  });

  it('an unreachable API is retryable and not ambiguous: nothing left', async () => {
    const closed = await startFakeTwilio();
    const url = closed.url;
    await closed.close();
    const nowhere = new TwilioSmsSender({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: FROM,
      apiBaseUrl: url,
    });
    const result = await nowhere.send({ to: TO, body: BODY, idempotencyKey: 'sms_down' });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'retryable', reason: 'provider-error', isAmbiguous: false },
    });
  });

  describe('lookup', () => {
    it('reads a message as Twilio has it, following its status callbacks', async () => {
      const sent = await sms.send({ to: TO, body: BODY, statusCallbackUrl: receiver.url, idempotencyKey: 'sms_l1' });
      if (!sent.ok) throw new Error(sent.failure.message);
      expect(await sms.lookup(sent.providerId)).toEqual({
        ok: true,
        status: { providerId: sent.providerId, state: 'queued' },
      });
      expect(fake.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/2010-04-01/Accounts/${fake.accountSid}/Messages/${sent.providerId}.json`,
      });
      await fake.sendStatusCallbacks(sent.providerId, { final: 'delivered' });
      expect(await sms.lookup(sent.providerId)).toMatchObject({ ok: true, status: { state: 'delivered' } });
    });

    it('reads a failed delivery with its mapped reason', async () => {
      const sent = await sms.send({ to: TO, body: BODY, statusCallbackUrl: receiver.url, idempotencyKey: 'sms_l2' });
      if (!sent.ok) throw new Error(sent.failure.message);
      await fake.sendStatusCallbacks(sent.providerId, { final: 'failed', errorCode: 30003 });
      expect(await sms.lookup(sent.providerId)).toMatchObject({
        ok: true,
        status: { state: 'failed', failure: { kind: 'retryable', reason: 'unreachable', providerCode: 30003 } },
      });
      const sent2 = await sms.send({ to: TO, body: BODY, statusCallbackUrl: receiver.url, idempotencyKey: 'sms_l3' });
      if (!sent2.ok) throw new Error(sent2.failure.message);
      await fake.sendStatusCallbacks(sent2.providerId, { final: 'undelivered', errorCode: 30007 });
      expect(await sms.lookup(sent2.providerId)).toMatchObject({
        ok: true,
        status: { state: 'undelivered', failure: { kind: 'permanent', reason: 'provider-error', providerCode: 30007 } },
      });
    });

    it('says not-found for an id Twilio does not know', async () => {
      expect(await sms.lookup(`SM${'f'.repeat(32)}`)).toMatchObject({ ok: false, failure: { reason: 'not-found' } });
      const requests = fake.requests.length;
      expect(await sms.lookup('../../Calls')).toMatchObject({ ok: false, failure: { reason: 'not-found' } });
      expect(fake.requests).toHaveLength(requests);
    });

    it('reports a failing lookup as retryable', async () => {
      fake.failNext(1, 503);
      expect(await sms.lookup(`SM${'f'.repeat(32)}`)).toMatchObject({
        ok: false,
        failure: { kind: 'retryable', reason: 'provider-error' },
      });
    });
  });

  describe('status callbacks', () => {
    it('arrive signed like Twilio, pass verification and read as queued → sent → delivered', async () => {
      const sent = await sms.send({ to: TO, body: BODY, statusCallbackUrl: receiver.url, idempotencyKey: 'sms_c1' });
      if (!sent.ok) throw new Error(sent.failure.message);
      const before = receiver.updates.length;
      const posted = await fake.sendStatusCallbacks(sent.providerId, { final: 'delivered' });
      expect(posted.map((c) => c.responseStatus)).toEqual([204, 204, 204]);
      expect(receiver.updates.slice(before)).toEqual([
        { idempotencyKey: 'sms_c1', status: { providerId: sent.providerId, state: 'queued' } },
        { idempotencyKey: 'sms_c1', status: { providerId: sent.providerId, state: 'sent' } },
        { idempotencyKey: 'sms_c1', status: { providerId: sent.providerId, state: 'delivered' } },
      ]);
    });

    it('a failed delivery carries its error code', async () => {
      const sent = await sms.send({ to: TO, body: BODY, statusCallbackUrl: receiver.url, idempotencyKey: 'sms_c2' });
      if (!sent.ok) throw new Error(sent.failure.message);
      await fake.sendStatusCallbacks(sent.providerId, { final: 'undelivered', errorCode: 30005 });
      expect(receiver.updates.at(-1)).toMatchObject({
        idempotencyKey: 'sms_c2',
        status: { state: 'undelivered', failure: { kind: 'permanent', reason: 'invalid-number' } },
      });
    });

    it('a tampered field, another URL or a missing signature is rejected', async () => {
      const sent = await sms.send({ to: TO, body: BODY, statusCallbackUrl: receiver.url, idempotencyKey: 'sms_c3' });
      if (!sent.ok) throw new Error(sent.failure.message);
      const [queued] = await fake.sendStatusCallbacks(sent.providerId, { final: 'delivered' });
      if (!queued) throw new Error('no callback');
      const rejectedBefore = receiver.rejected;
      expect(await postForm(queued.url, queued.params, queued.signature)).toBe(204);
      expect(await postForm(queued.url, { ...queued.params, MessageStatus: 'failed' }, queued.signature)).toBe(403);
      expect(await postForm(queued.url.replace('sms_c3', 'sms_c4'), queued.params, queued.signature)).toBe(403);
      expect(await postForm(queued.url.replace('/sms-status', '/sms-status2'), queued.params, queued.signature)).toBe(
        403,
      );
      expect(await postForm(queued.url, queued.params, '')).toBe(403);
      expect(receiver.rejected - rejectedBefore).toBe(4);
    });
  });

  it('fails fast at construction without credentials or a sender', () => {
    const base = { accountSid: fake.accountSid, authToken: fake.authToken, from: FROM };
    expect(() => new TwilioSmsSender({ ...base, accountSid: '' })).toThrow(/accountSid is required/);
    expect(() => new TwilioSmsSender({ ...base, accountSid: 'SK123' })).toThrow(/must start with AC/);
    expect(() => new TwilioSmsSender({ ...base, authToken: '' })).toThrow(/authToken is required/);
    expect(() => new TwilioSmsSender({ accountSid: fake.accountSid, authToken: fake.authToken })).toThrow(
      /exactly one/,
    );
    expect(() => new TwilioSmsSender({ ...base, messagingServiceSid: `MG${'1'.repeat(32)}` })).toThrow(/exactly one/);
  });
});

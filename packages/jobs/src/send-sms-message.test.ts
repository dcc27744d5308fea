import type { FindSentSmsRequest, FindSentSmsResult, SendSmsRequest, SendSmsResult, SmsSender } from '@affection/core';
import {
  cancelPendingSms,
  claimSmsForSending,
  getSmsForDispatch,
  insertOutgoingSms,
  SMS_AMBIGUOUS_SEND,
  SMS_EXPIRED,
} from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SendSmsMessageOptions, sendSmsMessage } from './send-sms-message.ts';

let providerIds = 0;

/** An in-memory SMS provider whose next answers a test scripts; it keeps what it accepted. */
class ScriptedSender implements SmsSender {
  readonly requests: SendSmsRequest[] = [];
  readonly accepted = new Map<string, SendSmsRequest>();
  readonly finds: FindSentSmsRequest[] = [];
  answers: ('ok' | SendSmsResult)[] = [];
  findAnswer: FindSentSmsResult | undefined;

  async send(request: SendSmsRequest): Promise<SendSmsResult> {
    this.requests.push(request);
    const answer = this.answers.shift() ?? 'ok';
    if (answer !== 'ok') return answer;
    providerIds += 1;
    const providerId = `fake_${providerIds}`;
    this.accepted.set(providerId, request);
    return { ok: true, providerId };
  }

  async lookup(): Promise<never> {
    throw new Error('not used');
  }

  /** Accepts the next message but answers as if it timed out. */
  acceptButTimeOut(): void {
    this.answers.push('ok');
    const original = this.send.bind(this);
    this.send = async (request) => {
      this.send = original;
      await original(request);
      return {
        ok: false,
        failure: { kind: 'retryable', reason: 'timeout', message: 'timed out', isAmbiguous: true },
      };
    };
  }

  async findSent(request: FindSentSmsRequest): Promise<FindSentSmsResult> {
    this.finds.push(request);
    if (this.findAnswer) return this.findAnswer;
    const found = [...this.accepted].find(([, r]) => r.to === request.to && r.body === request.body);
    return { ok: true, providerId: found?.[0] ?? null };
  }
}

describe('sendSmsMessage: claim, send, record (PGlite)', () => {
  let database: TestDatabase;
  let clock = new Date('2026-11-18T04:00:00Z');
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
  });

  async function storeMessage(dueAt = clock, sendBefore: Date | null = null) {
    counter += 1;
    const { message } = await insertOutgoingSms(database.db, {
      homeId: null,
      toPhone: '+8613800138000',
      body: `小明的亲情电话在12:15 #${counter}【某某小学留守儿童之家】`,
      dedupeKey: `bkg_test${counter}-reminder-15m-v1`,
      dueAt,
      sendBefore,
      now: clock,
    });
    return message;
  }

  function optionsWith(sender: SmsSender, extra: Partial<SendSmsMessageOptions> = {}): SendSmsMessageOptions {
    return {
      db: database.db,
      sender,
      provider: 'twilio',
      now: () => clock,
      sendLeaseMs: 30_000,
      ambiguousSettleMs: 2_000,
      ...extra,
    };
  }

  it('sends a due message once, even when two jobs for it run at the same time', async () => {
    const sender = new ScriptedSender();
    const message = await storeMessage();
    const outcomes = await Promise.all([
      sendSmsMessage(optionsWith(sender), message.id),
      sendSmsMessage(optionsWith(sender), message.id),
    ]);
    expect(sender.requests).toHaveLength(1);
    // The second job finds the message being sent (in-flight) or already sent (settled), by timing.
    expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind !== 'sent').map((o) => o.kind)).toEqual([
      expect.stringMatching(/^(in-flight|settled)$/),
    ]);
    const stored = await getSmsForDispatch(database.db, message.id);
    const [providerId] = sender.accepted.keys();
    expect(stored).toMatchObject({ status: 'sent', provider: 'twilio', providerId, attempts: 1 });
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toEqual({ kind: 'settled', status: 'sent' });
    expect(sender.requests).toHaveLength(1);
  });

  it('passes the message id as the idempotency key, the status callback URL and the end of the send window', async () => {
    const sender = new ScriptedSender();
    const message = await storeMessage();
    const url = 'https://affection.example.cn/webhooks/twilio/sms-status';
    await sendSmsMessage(optionsWith(sender, { statusCallbackUrl: url }), message.id);
    expect(sender.requests[0]).toEqual({
      to: message.toPhone,
      body: message.body,
      idempotencyKey: message.id,
      statusCallbackUrl: url,
      // Claimed at `clock`: the request may leave until half the 30 s lease has passed.
      notAfter: new Date(clock.getTime() + 15_000),
    });
  });

  it('does not send before the due time, and says when it is due', async () => {
    const sender = new ScriptedSender();
    const dueAt = new Date(clock.getTime() + 60_000);
    const message = await storeMessage(dueAt);
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toEqual({ kind: 'not-due', at: dueAt });
    expect(sender.requests).toHaveLength(0);
  });

  it('never sends a cancelled message, and settles a message that does not exist', async () => {
    const sender = new ScriptedSender();
    const message = await storeMessage();
    expect(await cancelPendingSms(database.db, message.id, clock)).not.toBeNull();
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toEqual({ kind: 'settled', status: 'cancelled' });
    expect(await sendSmsMessage(optionsWith(sender), 'sms_0000000000000000')).toEqual({
      kind: 'settled',
      status: 'missing',
    });
    expect(sender.requests).toHaveLength(0);
  });

  it('cancels as expired, instead of sending, a message whose call is over', async () => {
    const sender = new ScriptedSender();
    const message = await storeMessage(new Date(clock.getTime() - 60 * 60_000), clock);
    const stillTime = await storeMessage(new Date(clock.getTime() - 60 * 60_000), new Date(clock.getTime() + 1));
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toEqual({ kind: 'settled', status: 'cancelled' });
    expect(await getSmsForDispatch(database.db, message.id)).toMatchObject({
      status: 'cancelled',
      errorCode: SMS_EXPIRED,
      attempts: 0,
    });
    expect(sender.requests).toEqual([]);
    expect(await sendSmsMessage(optionsWith(sender), stillTime.id)).toMatchObject({ kind: 'sent', via: 'send' });
    expect(sender.requests.map((r) => r.idempotencyKey)).toEqual([stillTime.id]);
  });

  it('after a lost claim whose call is over meanwhile: records it if the provider has it, else cancels it', async () => {
    const sender = new ScriptedSender();
    sender.acceptButTimeOut();
    const reached = await storeMessage(clock, new Date(clock.getTime() + 10_000));
    expect(await sendSmsMessage(optionsWith(sender), reached.id)).toMatchObject({ kind: 'ambiguous' });
    const lost = await storeMessage(clock, new Date(clock.getTime() + 10_000));
    expect(await claimSmsForSending(database.db, lost.id, { now: clock, earlyMs: 0 })).not.toBeNull();
    clock = new Date(clock.getTime() + 30_000);
    const [providerId] = sender.accepted.keys();
    expect(await sendSmsMessage(optionsWith(sender), reached.id)).toEqual({ kind: 'sent', providerId, via: 'found' });
    expect(await sendSmsMessage(optionsWith(sender), lost.id)).toEqual({ kind: 'settled', status: 'cancelled' });
    expect(await getSmsForDispatch(database.db, lost.id)).toMatchObject({
      status: 'cancelled',
      errorCode: SMS_EXPIRED,
    });
    expect(sender.requests).toHaveLength(1);
  });

  it('marks a permanent refusal failed with the reason', async () => {
    const sender = new ScriptedSender();
    sender.answers.push({
      ok: false,
      failure: { kind: 'permanent', reason: 'opted-out', message: 'Twilio 21610 (HTTP 400)', isAmbiguous: false },
    });
    const message = await storeMessage();
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({
      kind: 'failed',
      reason: 'opted-out',
    });
    expect(await getSmsForDispatch(database.db, message.id)).toMatchObject({
      status: 'failed',
      errorCode: 'opted-out',
      errorMessage: 'Twilio 21610 (HTTP 400)',
    });
  });

  it('gives a message back to pending after a clear reject, with the provider’s Retry-After', async () => {
    const sender = new ScriptedSender();
    sender.answers.push({
      ok: false,
      failure: {
        kind: 'retryable',
        reason: 'rate-limited',
        message: 'Twilio 20429 (HTTP 429)',
        isAmbiguous: false,
        retryAfterMs: 3_000,
      },
    });
    const message = await storeMessage();
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toEqual({
      kind: 'retry',
      reason: 'rate-limited',
      message: 'Twilio 20429 (HTTP 429)',
      isRateLimited: true,
      retryAfterMs: 3_000,
    });
    expect(await getSmsForDispatch(database.db, message.id)).toMatchObject({
      status: 'pending',
      errorCode: 'rate-limited',
    });
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({ kind: 'sent', via: 'send' });
    expect(sender.requests).toHaveLength(2);
    expect(sender.finds).toHaveLength(0);
  });

  it('after an ambiguous timeout, finds the message at the provider instead of sending it again', async () => {
    const sender = new ScriptedSender();
    sender.acceptButTimeOut();
    const message = await storeMessage();
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({ kind: 'ambiguous' });
    expect(await getSmsForDispatch(database.db, message.id)).toMatchObject({
      status: 'sending',
      errorCode: SMS_AMBIGUOUS_SEND,
    });
    // Before the settle time nobody touches it.
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({ kind: 'in-flight' });
    clock = new Date(clock.getTime() + 2_000);
    const [providerId] = sender.accepted.keys();
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toEqual({ kind: 'sent', providerId, via: 'found' });
    expect(sender.requests).toHaveLength(1);
    expect(sender.finds).toEqual([
      {
        to: message.toPhone,
        body: message.body,
        since: new Date(message.dueAt.getTime() - 60_000),
        idempotencyKey: message.id,
      },
    ]);
    expect(await getSmsForDispatch(database.db, message.id)).toMatchObject({ status: 'sent', providerId });
  });

  it('after an ambiguous 5xx that left nothing at the provider, sends again once', async () => {
    const sender = new ScriptedSender();
    sender.answers.push({
      ok: false,
      failure: { kind: 'retryable', reason: 'provider-error', message: 'Twilio 20500 (HTTP 500)', isAmbiguous: true },
    });
    const message = await storeMessage();
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({ kind: 'ambiguous' });
    clock = new Date(clock.getTime() + 2_000);
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({ kind: 'sent', via: 'send' });
    expect(sender.requests).toHaveLength(2);
    expect(sender.finds).toHaveLength(1);
    expect(sender.accepted.size).toBe(1);
  });

  it('keeps an ambiguous message unsent while the provider cannot be asked', async () => {
    const sender = new ScriptedSender();
    sender.acceptButTimeOut();
    const message = await storeMessage();
    await sendSmsMessage(optionsWith(sender), message.id);
    sender.findAnswer = { ok: false, failure: { kind: 'retryable', reason: 'timeout', message: 'list timed out' } };
    clock = new Date(clock.getTime() + 2_000);
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({ kind: 'ambiguous' });
    expect(await getSmsForDispatch(database.db, message.id)).toMatchObject({
      status: 'sending',
      errorCode: SMS_AMBIGUOUS_SEND,
    });
    sender.findAnswer = undefined;
    clock = new Date(clock.getTime() + 2_000);
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({ kind: 'sent', via: 'found' });
    expect(sender.requests).toHaveLength(1);
  });

  it('leaves a claimed message to its sender until the lease runs out, then checks before sending', async () => {
    const sender = new ScriptedSender();
    const message = await storeMessage();
    // A worker claimed it and vanished before sending.
    expect(await claimSmsForSending(database.db, message.id, { now: clock, earlyMs: 0 })).not.toBeNull();
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toEqual({
      kind: 'in-flight',
      at: new Date(clock.getTime() + 30_000),
    });
    clock = new Date(clock.getTime() + 30_000);
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({ kind: 'sent', via: 'send' });
    expect(sender.finds).toHaveLength(1);
    expect(await getSmsForDispatch(database.db, message.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('does not start a send when the claim is already half way through its lease (a stalled sender)', async () => {
    const sender = new ScriptedSender();
    const message = await storeMessage();
    const claimedAt = clock;
    // The clock jumps 20 s between the claim and the send: the process stalled.
    const times = [claimedAt, new Date(claimedAt.getTime() + 20_000)];
    const stalled = optionsWith(sender, { now: () => times.shift() ?? new Date(claimedAt.getTime() + 20_000) });
    expect(await sendSmsMessage(stalled, message.id)).toEqual({
      kind: 'in-flight',
      at: new Date(claimedAt.getTime() + 30_000),
    });
    expect(sender.requests).toHaveLength(0);
    // After the lease the message is taken over, checked, and sent once.
    clock = new Date(claimedAt.getTime() + 30_000);
    expect(await sendSmsMessage(optionsWith(sender), message.id)).toMatchObject({ kind: 'sent', via: 'send' });
    expect(sender.finds).toHaveLength(1);
    expect(sender.requests).toHaveLength(1);
  });
});

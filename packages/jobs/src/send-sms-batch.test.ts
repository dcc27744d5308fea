import type { SendSmsRequest, SendSmsResult, SmsSender } from '@affection/core';
import { cancelPendingSms, getSmsForDispatch, insertOutgoingSms, isUniqueViolation } from '@affection/db';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsDispatchBatch } from './send-sms-batch.ts';
import { sendSmsMessage } from './send-sms-message.ts';

/** An in-memory provider that accepts everything and keeps each request. */
class AcceptingSender implements SmsSender {
  readonly requests: SendSmsRequest[] = [];

  async send(request: SendSmsRequest): Promise<SendSmsResult> {
    this.requests.push(request);
    return { ok: true, providerId: `fake_${request.idempotencyKey}` };
  }

  async lookup(): Promise<never> {
    throw new Error('not used');
  }
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('createSmsDispatchBatch (%s)', (kind) => {
  let database: TestDatabase;
  const clock = new Date('2026-11-18T04:00:00Z');
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  async function storeMessage(options: { dueAt?: Date; sendBefore?: Date | null } = {}) {
    counter += 1;
    const { message } = await insertOutgoingSms(database.db, {
      homeId: null,
      toPhone: `+86138${String(counter).padStart(8, '0')}`,
      body: `小明的亲情电话在12:15 #${counter}【某某小学留守儿童之家】`,
      dedupeKey: `bkg_batch${counter}-reminder-15m-v1`,
      dueAt: options.dueAt ?? clock,
      sendBefore: options.sendBefore ?? null,
      now: clock,
    });
    return message;
  }

  function batchOf(maxBatch = 500) {
    return createSmsDispatchBatch({ db: database.db, now: () => clock, earlyToleranceMs: 1_000, maxBatch });
  }

  it('claims the messages asked for at the same moment, each by one caller, and leaves the rest', async () => {
    const batch = batchOf();
    const due = await Promise.all(Array.from({ length: 40 }, () => storeMessage()));
    const later = await storeMessage({ dueAt: new Date(clock.getTime() + 60_000) });
    const expired = await storeMessage({ sendBefore: clock });
    const cancelled = await storeMessage();
    await cancelPendingSms(database.db, cancelled.id, clock);
    const twice = due[0]?.id ?? '';
    const asked = [...due.map((m) => m.id), twice, later.id, expired.id, cancelled.id, 'sms_missing'];
    const claims = await Promise.all(asked.map((id) => batch.claim(id)));

    // Two jobs of one message in the same statement: one of them gets it.
    expect(claims.filter((c) => c?.id === twice)).toHaveLength(1);
    expect(claims.slice(0, 40).map((c) => c?.id)).toEqual(due.map((m) => m.id));
    expect(claims.slice(40)).toEqual([null, null, null, null, null]);
    for (const claimed of claims.slice(0, 40)) {
      expect(claimed).toMatchObject({ status: 'sending', attempts: 1, updatedAt: clock });
    }
    expect(await getSmsForDispatch(database.db, later.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await getSmsForDispatch(database.db, cancelled.id)).toMatchObject({ status: 'cancelled' });
    // Claimed already: a later batch gets nothing.
    expect(await batch.claim(twice)).toBeNull();
  });

  it('records sent messages in one statement, each with its own provider id and time', async () => {
    const batch = batchOf();
    const messages = await Promise.all(Array.from({ length: 30 }, () => storeMessage()));
    await Promise.all(messages.map((m) => batch.claim(m.id)));
    const notSending = await storeMessage();
    const recorded = await Promise.all([
      ...messages.map((m, i) =>
        batch.recordSent({
          id: m.id,
          provider: 'twilio',
          providerId: `SM${m.id}`,
          now: new Date(clock.getTime() + i),
        }),
      ),
      batch.recordSent({ id: notSending.id, provider: 'twilio', providerId: 'SMnot', now: clock }),
    ]);
    expect(recorded).toEqual([...messages.map(() => true), false]);
    for (const [i, m] of messages.entries()) {
      const stored = await getSmsForDispatch(database.db, m.id);
      const at = new Date(clock.getTime() + i);
      expect(stored).toMatchObject({ status: 'sent', provider: 'twilio', providerId: `SM${m.id}`, sentAt: at });
      expect(stored?.updatedAt).toEqual(at);
    }
    expect(await getSmsForDispatch(database.db, notSending.id)).toMatchObject({ status: 'pending', providerId: null });
  });

  it('gives each caller its own answer when the shared statement fails (a provider id already taken)', async () => {
    const batch = batchOf();
    const [a, b, c] = await Promise.all([storeMessage(), storeMessage(), storeMessage()]);
    if (!a || !b || !c) throw new Error('stored');
    await Promise.all([a, b, c].map((m) => batch.claim(m.id)));
    await batch.recordSent({ id: a.id, provider: 'twilio', providerId: 'SMtaken', now: clock });
    const answers = await Promise.allSettled([
      batch.recordSent({ id: b.id, provider: 'twilio', providerId: 'SMtaken', now: clock }),
      batch.recordSent({ id: c.id, provider: 'twilio', providerId: 'SMfree', now: clock }),
    ]);
    expect(answers[0]?.status).toBe('rejected');
    expect(answers[0]?.status === 'rejected' && isUniqueViolation(answers[0].reason)).toBe(true);
    expect(answers[1]).toEqual({ status: 'fulfilled', value: true });
    expect(await getSmsForDispatch(database.db, b.id)).toMatchObject({ status: 'sending', providerId: null });
    expect(await getSmsForDispatch(database.db, c.id)).toMatchObject({ status: 'sent', providerId: 'SMfree' });
  });

  it('sends each of many messages once through sendSmsMessage, two jobs each, in batches of 7', async () => {
    const batch = batchOf(7);
    const sender = new AcceptingSender();
    const messages = await Promise.all(Array.from({ length: 50 }, () => storeMessage()));
    const options = { db: database.db, sender, provider: 'twilio' as const, now: () => clock, batch };
    const outcomes = await Promise.all([...messages, ...messages].map((m) => sendSmsMessage(options, m.id)));
    expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(50);
    expect(new Set(sender.requests.map((r) => r.idempotencyKey))).toEqual(new Set(messages.map((m) => m.id)));
    expect(sender.requests).toHaveLength(50);
    for (const m of messages) {
      expect(await getSmsForDispatch(database.db, m.id)).toMatchObject({
        status: 'sent',
        providerId: `fake_${m.id}`,
        attempts: 1,
      });
    }
  });
});

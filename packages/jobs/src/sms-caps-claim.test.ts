import {
  ALIYUN_SEND_CAPS,
  type SendCapTable,
  type SendSmsRequest,
  type SendSmsResult,
  type SmsSender,
} from '@affection/core';
import {
  getSmsForDispatch,
  insertOutgoingSms,
  recordSmsSent,
  SMS_CAP_DELAYED,
  SMS_CAP_DROPPED,
  SMS_CAP_MERGED,
} from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookTestCall, seedTestFamily, seedTestHome, type TestHome } from './lifecycle/test-fixtures.ts';
import { sendSmsMessage } from './send-sms-message.ts';

const MIN = 60_000;
/** Earlier sends count this much later (SMS_CAP_CLOCK_MARGIN_MS). */
const MARGIN = 1_000;

/** An in-memory provider that accepts everything and keeps what it got. */
class AcceptingSender implements SmsSender {
  readonly sent: SendSmsRequest[] = [];
  async send(request: SendSmsRequest): Promise<SendSmsResult> {
    this.sent.push(request);
    return { ok: true, providerId: `fake_caps_${this.sent.length}_${request.idempotencyKey}` };
  }
  async lookup(): Promise<never> {
    throw new Error('not used');
  }
}

describe('sendSmsMessage under per-number caps (PGlite)', () => {
  let database: TestDatabase;
  let home: TestHome;
  let counter = 0;
  const t0 = new Date('2026-12-07T02:00:00Z');

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    home = await seedTestHome(database.db, { kiosks: 2 });
  });
  afterAll(async () => {
    await database?.close();
  });

  async function store(
    toPhone: string,
    template: string,
    extra: { dueAt?: Date; sendBefore?: Date | null; bookingId?: string } = {},
  ) {
    counter += 1;
    const { message } = await insertOutgoingSms(database.db, {
      homeId: home.homeId,
      toPhone,
      body: `${template} #${counter}【某某小学留守儿童之家】`,
      template,
      dedupeKey: `caps-${counter}-${template}`,
      dueAt: extra.dueAt ?? t0,
      sendBefore: extra.sendBefore ?? null,
      ...(extra.bookingId ? { bookingId: extra.bookingId } : {}),
      now: t0,
    });
    return message;
  }

  function optionsAt(at: Date, sender: SmsSender, caps: SendCapTable | null = ALIYUN_SEND_CAPS) {
    return { db: database.db, sender, provider: 'outbox' as const, now: () => at, sendCapsFor: () => caps };
  }

  it('delays a second sign-in code by a minute, noting the limit, then sends it', async () => {
    const phone = '+8613900000101';
    const sender = new AcceptingSender();
    const first = await store(phone, 'one-time-code');
    const second = await store(phone, 'one-time-code');
    expect((await sendSmsMessage(optionsAt(t0, sender), first.id)).kind).toBe('sent');
    const at = new Date(t0.getTime() + 10_000);
    const outcome = await sendSmsMessage(optionsAt(at, sender), second.id);
    expect(outcome).toEqual({ kind: 'not-due', at: new Date(t0.getTime() + MIN + MARGIN) });
    const row = await getSmsForDispatch(database.db, second.id);
    expect(row).toMatchObject({
      status: 'pending',
      errorCode: SMS_CAP_DELAYED,
      dueAt: new Date(t0.getTime() + MIN + MARGIN),
    });
    expect(row?.errorMessage).toContain('1 a minute');
    expect(sender.sent).toHaveLength(1);
    // Early at its new time: still not; at it: sent.
    expect((await sendSmsMessage(optionsAt(new Date(t0.getTime() + 30_000), sender), second.id)).kind).toBe('not-due');
    // Not a millisecond early: the provider counts the minute on its own clock.
    expect((await sendSmsMessage(optionsAt(new Date(t0.getTime() + MIN + MARGIN - 1), sender), second.id)).kind).toBe(
      'not-due',
    );
    expect((await sendSmsMessage(optionsAt(new Date(t0.getTime() + MIN + MARGIN), sender), second.id)).kind).toBe(
      'sent',
    );
    expect(sender.sent).toHaveLength(2);
  });

  it('counts a message still being sent at the latest its request may leave', async () => {
    const phone = '+8613900000102';
    const sender = new AcceptingSender();
    const first = await store(phone, 'one-time-code');
    const second = await store(phone, 'one-time-code');
    // Claimed by another sender at t0 and not answered yet: with a 60 s lease its request may leave until t0 + 30 s.
    const hanging: SmsSender = { send: () => new Promise(() => {}), lookup: sender.lookup };
    void sendSmsMessage(optionsAt(t0, hanging), first.id);
    await expect.poll(async () => (await getSmsForDispatch(database.db, first.id))?.status).toBe('sending');
    const outcome = await sendSmsMessage(optionsAt(new Date(t0.getTime() + 5_000), sender), second.id);
    expect(outcome).toEqual({ kind: 'not-due', at: new Date(t0.getTime() + 30_000 + MIN + MARGIN) });
  });

  it('leaves numbers of providers without caps alone', async () => {
    const phone = '+34612000103';
    const sender = new AcceptingSender();
    const codes = [await store(phone, 'one-time-code'), await store(phone, 'one-time-code')];
    for (const code of codes) expect((await sendSmsMessage(optionsAt(t0, sender, null), code.id)).kind).toBe('sent');
  });

  it('drops a message a cap would hold past its last useful moment, with the reason', async () => {
    const phone = '+8613900000104';
    const sender = new AcceptingSender();
    const first = await store(phone, 'one-time-code');
    const late = await store(phone, 'one-time-code', { sendBefore: new Date(t0.getTime() + 30_000) });
    await sendSmsMessage(optionsAt(t0, sender), first.id);
    expect(await sendSmsMessage(optionsAt(new Date(t0.getTime() + 1_000), sender), late.id)).toEqual({
      kind: 'settled',
      status: 'cancelled',
    });
    const row = await getSmsForDispatch(database.db, late.id);
    expect(row).toMatchObject({ status: 'cancelled', errorCode: SMS_CAP_DROPPED });
    expect(row?.errorMessage).toContain('no longer helps');
    expect(sender.sent.map((r) => r.idempotencyKey)).toEqual([first.id]);
  });

  it('merges a reminder into the confirmation of the same call sent minutes before', async () => {
    const family = await seedTestFamily(database.db, home);
    const start = new Date(t0.getTime() + 25 * MIN);
    const booking = await bookTestCall(database.db, home, family, {
      start,
      end: new Date(start.getTime() + 15 * MIN),
      now: t0,
    });
    const sender = new AcceptingSender();
    const confirmation = await store(family.phone, 'booking-confirmed', { bookingId: booking.id });
    const reminder = await store(family.phone, 'reminder-15-min', {
      bookingId: booking.id,
      dueAt: new Date(start.getTime() - 15 * MIN),
    });
    expect((await sendSmsMessage(optionsAt(t0, sender), confirmation.id)).kind).toBe('sent');
    const outcome = await sendSmsMessage(optionsAt(new Date(start.getTime() - 15 * MIN), sender), reminder.id);
    expect(outcome).toEqual({ kind: 'settled', status: 'cancelled' });
    expect(await getSmsForDispatch(database.db, reminder.id)).toMatchObject({
      status: 'cancelled',
      errorCode: SMS_CAP_MERGED,
    });
    expect(sender.sent).toHaveLength(1);
  });

  it('drops a reminder a cap would hold until its call has started', async () => {
    const family = await seedTestFamily(database.db, home);
    const start = new Date(t0.getTime() + 3 * 60 * MIN);
    const booking = await bookTestCall(database.db, home, family, {
      start,
      end: new Date(start.getTime() + 15 * MIN),
      now: t0,
    });
    // 50 reminders to this number today (of other calls): the 51st may go only a day after the first.
    for (let i = 0; i < 50; i++) {
      const other = await store(family.phone, 'reminder-15-min', { dueAt: new Date(t0.getTime() + i * 1_000) });
      const claimedAt = new Date(t0.getTime() + i * 1_000);
      await sendSmsMessage(optionsAt(claimedAt, new AcceptingSender()), other.id);
      expect((await getSmsForDispatch(database.db, other.id))?.status).toBe('sent');
    }
    const reminder = await store(family.phone, 'reminder-15-min', {
      bookingId: booking.id,
      dueAt: new Date(start.getTime() - 15 * MIN),
    });
    const outcome = await sendSmsMessage(
      optionsAt(new Date(start.getTime() - 15 * MIN), new AcceptingSender()),
      reminder.id,
    );
    expect(outcome).toEqual({ kind: 'settled', status: 'cancelled' });
    const row = await getSmsForDispatch(database.db, reminder.id);
    expect(row).toMatchObject({ errorCode: SMS_CAP_DROPPED });
    expect(row?.errorMessage).toContain('50 a day');
    expect(row?.errorMessage).toContain('after the call has started');
    // Another template to the same number still goes: the limit is per template.
    const moved = await store(family.phone, 'booking-moved', { dueAt: new Date(start.getTime() - 15 * MIN) });
    expect(
      (await sendSmsMessage(optionsAt(new Date(start.getTime() - 15 * MIN), new AcceptingSender()), moved.id)).kind,
    ).toBe('sent');
  });

  it('counts a message recorded sent meanwhile (a status callback) from its sent_at', async () => {
    const phone = '+8613900000107';
    const sender = new AcceptingSender();
    const first = await store(phone, 'one-time-code');
    const hanging: SmsSender = { send: () => new Promise(() => {}), lookup: sender.lookup };
    void sendSmsMessage(optionsAt(t0, hanging), first.id);
    await expect.poll(async () => (await getSmsForDispatch(database.db, first.id))?.status).toBe('sending');
    await recordSmsSent(database.db, first.id, {
      provider: 'outbox',
      providerId: 'cb_107',
      now: new Date(t0.getTime() + 2_000),
    });
    const second = await store(phone, 'one-time-code');
    expect(await sendSmsMessage(optionsAt(new Date(t0.getTime() + 3_000), sender), second.id)).toEqual({
      kind: 'not-due',
      at: new Date(t0.getTime() + 2_000 + MIN + MARGIN),
    });
  });
});

import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applySmsStatusUpdate,
  createHome,
  findWebhookEvent,
  getSmsMessage,
  insertOutgoingSms,
  insertOutgoingSmsBatch,
  listOutgoingSmsOfHome,
  markSmsAccepted,
  markWebhookEventProcessed,
  recordInboundSms,
  smsStatusesBefore,
  storeWebhookEventOnce,
} from '../index.ts';

const T0 = new Date('2026-09-07T04:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('smsStatusesBefore', () => {
  it('moves only forward, into a failure from any unfinished status, and never out of a final one', () => {
    expect(smsStatusesBefore('pending')).toEqual([]);
    expect(smsStatusesBefore('sending')).toEqual(['pending']);
    expect(smsStatusesBefore('sent')).toEqual(['pending', 'sending']);
    expect(smsStatusesBefore('delivered')).toEqual(['pending', 'sending', 'sent']);
    for (const failure of ['undelivered', 'failed', 'cancelled'] as const) {
      expect(smsStatusesBefore(failure)).toEqual(['pending', 'sending', 'sent']);
    }
    expect(smsStatusesBefore('received')).toEqual([]);
  });
});

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('sms messages and webhook events (%s)', (kind) => {
  let database: TestDatabase;
  let homeId: string;
  let otherHomeId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    homeId = (await createHome(database.db, { name: '测试之家' })).id;
    otherHomeId = (await createHome(database.db, { name: '别的之家' })).id;
  });
  afterAll(async () => {
    await database?.close();
  });

  it('stores many outgoing messages in one statement, each once per dedupe key', async () => {
    const db = database.db;
    const message = (key: string, body: string) => ({
      homeId,
      toPhone: '+8613800138001',
      body,
      dedupeKey: key,
      now: T0,
    });
    expect(await insertOutgoingSmsBatch(db, [])).toEqual([]);
    const first = await insertOutgoingSmsBatch(db, [message('batch-a', '甲'), message('batch-b', '乙')]);
    expect(first.map((m) => [m.dedupeKey, m.body, m.status, m.direction]).sort()).toEqual([
      ['batch-a', '甲', 'pending', 'out'],
      ['batch-b', '乙', 'pending', 'out'],
    ]);
    // A taken key is left as it is; the others are stored.
    const second = await insertOutgoingSmsBatch(db, [message('batch-b', '乙二'), message('batch-c', '丙')]);
    expect(second.map((m) => m.dedupeKey)).toEqual(['batch-c']);
    const b = await getSmsMessage(db, first.find((m) => m.dedupeKey === 'batch-b')?.id ?? '');
    expect(b?.body).toBe('乙');
  });

  it('stores an outgoing message once per dedupe key', async () => {
    const db = database.db;
    const first = await insertOutgoingSms(db, {
      homeId,
      toPhone: '+8613800138000',
      body: '第一条',
      dedupeKey: 'bkg_1-reminder-15m-1',
      template: 'reminder-15-min',
      now: T0,
    });
    expect(first.isNew).toBe(true);
    expect(first.message).toMatchObject({ direction: 'out', status: 'pending', homeId, dueAt: T0, sentAt: null });
    const again = await insertOutgoingSms(db, {
      homeId,
      toPhone: '+8613800138000',
      body: '第二条',
      dedupeKey: 'bkg_1-reminder-15m-1',
      now: at(1),
    });
    expect(again).toEqual({ message: first.message, isNew: false });
  });

  it('lists a Home’s outgoing messages newest first, paged, without inbound ones or another Home’s', async () => {
    const db = database.db;
    for (let i = 0; i < 5; i += 1) {
      await insertOutgoingSms(db, {
        homeId: otherHomeId,
        toPhone: '+8613800138001',
        body: `消息${i}`,
        now: at(10 + i),
      });
    }
    await insertOutgoingSms(db, { homeId, toPhone: '+8613800138001', body: 'A之家', now: at(20) });
    await recordInboundSms(db, {
      providerId: 'SM00000000000000000000000000000001',
      provider: 'twilio',
      fromPhone: '+8613800138001',
      toPhone: '+15005550006',
      body: 'STOP',
      homeId: otherHomeId,
      contactId: null,
      now: at(30),
    });
    const page = await listOutgoingSmsOfHome(db, otherHomeId, { limit: 2, offset: 1 });
    expect(page.total).toBe(5);
    expect(page.items.map((m) => m.body)).toEqual(['消息3', '消息2']);
    const all = await listOutgoingSmsOfHome(db, otherHomeId, { limit: 50, offset: 0 });
    expect(all.items.every((m) => m.direction === 'out' && m.homeId === otherHomeId)).toBe(true);
  });

  it('records an inbound message once per provider id', async () => {
    const db = database.db;
    const input = {
      providerId: 'SM00000000000000000000000000000002',
      provider: 'twilio' as const,
      fromPhone: '+15551234567',
      toPhone: '+15005550006',
      body: '1',
      homeId,
      contactId: null,
      now: T0,
    };
    const first = await recordInboundSms(db, input);
    expect(first.isNew).toBe(true);
    expect(first.message).toMatchObject({ direction: 'in', status: 'received', fromPhone: '+15551234567' });
    expect(await recordInboundSms(db, { ...input, body: '2' })).toEqual({ message: first.message, isNew: false });
  });

  it('applies status reports only forward: a late "sent" after "delivered" changes nothing', async () => {
    const db = database.db;
    const { message } = await insertOutgoingSms(db, { homeId, toPhone: '+8613800138002', body: '送达', now: T0 });
    await markSmsAccepted(db, message.id, { provider: 'twilio', providerId: 'SMdelivered', now: at(1) });
    const report = (state: 'queued' | 'sent' | 'delivered' | 'failed', minutes: number) =>
      applySmsStatusUpdate(db, { providerId: 'SMdelivered', provider: 'twilio', state, now: at(minutes) });

    expect(await report('queued', 2)).toMatchObject({ outcome: 'ignored', message: { status: 'sent' } });
    expect(await report('delivered', 3)).toMatchObject({ outcome: 'applied', message: { status: 'delivered' } });
    expect(await report('sent', 4)).toMatchObject({ outcome: 'ignored', message: { status: 'delivered' } });
    expect(await report('failed', 5)).toMatchObject({ outcome: 'ignored', message: { status: 'delivered' } });
    const stored = await getSmsMessage(db, message.id);
    expect(stored).toMatchObject({ status: 'delivered', sentAt: at(1), updatedAt: at(3), errorCode: null });
  });

  it('records a failure with its code, and nothing moves a failed message', async () => {
    const db = database.db;
    const { message } = await insertOutgoingSms(db, { homeId, toPhone: '+8613800138003', body: '失败', now: T0 });
    await markSmsAccepted(db, message.id, { provider: 'twilio', providerId: 'SMfailed', now: at(1) });
    const failed = await applySmsStatusUpdate(db, {
      providerId: 'SMfailed',
      provider: 'twilio',
      state: 'undelivered',
      errorCode: '30003',
      errorMessage: 'Unreachable destination handset',
      now: at(2),
    });
    expect(failed).toMatchObject({ outcome: 'applied', message: { status: 'undelivered', errorCode: '30003' } });
    const late = await applySmsStatusUpdate(db, {
      providerId: 'SMfailed',
      provider: 'twilio',
      state: 'delivered',
      now: at(3),
    });
    expect(late).toMatchObject({ outcome: 'ignored', message: { status: 'undelivered' } });
  });

  it('finds a message whose send timed out by its own id, and records the provider id', async () => {
    const db = database.db;
    const { message } = await insertOutgoingSms(db, { homeId, toPhone: '+8613800138004', body: '超时', now: T0 });
    const result = await applySmsStatusUpdate(db, {
      providerId: 'SMtimedout',
      provider: 'twilio',
      messageId: message.id,
      state: 'sent',
      now: at(1),
    });
    expect(result).toMatchObject({
      outcome: 'applied',
      message: { id: message.id, providerId: 'SMtimedout', provider: 'twilio', status: 'sent', sentAt: at(1) },
    });
    // Another provider id cannot take the message over.
    expect(
      await applySmsStatusUpdate(db, {
        providerId: 'SMother',
        provider: 'twilio',
        messageId: message.id,
        state: 'failed',
        now: at(2),
      }),
    ).toEqual({ outcome: 'not-found' });
    expect(
      await applySmsStatusUpdate(db, { providerId: 'SMnobody', provider: 'twilio', state: 'sent', now: at(2) }),
    ).toEqual({ outcome: 'not-found' });
  });

  it('stores a webhook event once per source and id, and marks it processed once', async () => {
    const db = database.db;
    const event = {
      source: 'livekit' as const,
      eventId: 'EV_once',
      eventType: 'participant_joined',
      subject: 'bkg_1',
      payload: { type: 'participant-joined' },
      now: T0,
    };
    const first = await storeWebhookEventOnce(db, event);
    expect(first.isNew).toBe(true);
    expect(await storeWebhookEventOnce(db, { ...event, now: at(1) })).toEqual({ id: first.id, isNew: false });
    // The same id from another source is another event.
    expect((await storeWebhookEventOnce(db, { ...event, source: 'twilio-status' })).isNew).toBe(true);
    await markWebhookEventProcessed(db, first.id, at(2));
    await markWebhookEventProcessed(db, first.id, at(3));
    expect(await findWebhookEvent(db, 'livekit', 'EV_once')).toMatchObject({
      id: first.id,
      receivedAt: T0,
      processedAt: at(2),
      payload: { type: 'participant-joined' },
    });
  });
});

import {
  createContact,
  createHome,
  createHousehold,
  findSmsByProviderId,
  getSmsMessage,
  insertOutgoingSms,
  listOutgoingSmsOfHome,
  updateContact,
} from '@affection/db';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxSmsSender } from './outbox-sms-sender.ts';

const NOW = new Date('2026-09-07T04:00:00Z');

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('outbox SMS sender (%s)', (kind) => {
  let database: TestDatabase;
  let sms: OutboxSmsSender;
  let homeId: string;
  let contactId: string;
  const PHONE = '+8613800138000';

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    sms = new OutboxSmsSender({ db, now: () => NOW });
    homeId = (await createHome(db, { name: '测试之家' })).id;
    const household = await createHousehold(db, homeId, { name: '王家' });
    contactId = (
      await createContact(db, homeId, { householdId: household.id, name: '李秀英', relation: 'mother', phone: PHONE })
    ).id;
  });
  afterAll(async () => {
    await database?.close();
  });

  it('stores the message as sent, under the Home and contact the number belongs to, and looks it up', async () => {
    const result = await sms.send({ to: PHONE, body: '小明12:15和您通话。【测试之家】', idempotencyKey: 'key-1' });
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.providerId).toMatch(/^outbox_sms_[0-9a-z]{16}$/);
    const stored = await findSmsByProviderId(database.db, result.providerId);
    expect(stored).toMatchObject({
      direction: 'out',
      provider: 'outbox',
      status: 'sent',
      homeId,
      contactId,
      toPhone: PHONE,
      body: '小明12:15和您通话。【测试之家】',
      dedupeKey: 'key-1',
      sentAt: NOW,
      attempts: 1,
    });
    expect(await sms.lookup(result.providerId)).toEqual({
      ok: true,
      status: { providerId: result.providerId, state: 'sent' },
    });
    const page = await listOutgoingSmsOfHome(database.db, homeId, { limit: 10, offset: 0 });
    expect(page.items.map((m) => m.providerId)).toContain(result.providerId);
  });

  it('sends a key twice as one message', async () => {
    const first = await sms.send({ to: PHONE, body: '一次', idempotencyKey: 'key-twice' });
    const second = await sms.send({ to: PHONE, body: '一次', idempotencyKey: 'key-twice' });
    expect(second).toEqual(first);
    const page = await listOutgoingSmsOfHome(database.db, homeId, { limit: 100, offset: 0 });
    expect(page.items.filter((m) => m.dedupeKey === 'key-twice')).toHaveLength(1);
  });

  it('marks the stored row named by the key as sent instead of storing another', async () => {
    const { message } = await insertOutgoingSms(database.db, {
      homeId,
      toPhone: PHONE,
      body: '预先写好的',
      dedupeKey: 'bkg_x-reminder-15m-1',
      template: 'reminder-15-min',
      now: NOW,
    });
    const result = await sms.send({ to: PHONE, body: '预先写好的', idempotencyKey: message.id });
    expect(result).toEqual({ ok: true, providerId: `outbox_${message.id}` });
    expect(await getSmsMessage(database.db, message.id)).toMatchObject({
      status: 'sent',
      provider: 'outbox',
      template: 'reminder-15-min',
    });
  });

  it('refuses a number that opted out, like Twilio, and says so on lookup', async () => {
    const household = await createHousehold(database.db, homeId, { name: '刘家' });
    const optedOut = await createContact(database.db, homeId, {
      householdId: household.id,
      name: '刘强',
      relation: 'father',
      phone: '+8613900139000',
    });
    await updateContact(database.db, homeId, optedOut.id, { smsOptOut: true }, NOW);
    const result = await sms.send({ to: '+8613900139000', body: '不该发', idempotencyKey: 'key-stop' });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', reason: 'opted-out', isAmbiguous: false },
    });
    const page = await listOutgoingSmsOfHome(database.db, homeId, { limit: 100, offset: 0 });
    expect(page.items.find((m) => m.dedupeKey === 'key-stop')).toMatchObject({
      status: 'failed',
      errorCode: 'opted-out',
    });
  });

  it('files a number nobody in the database has under no Home, and answers not-found for unknown ids', async () => {
    const result = await sms.send({ to: '+15551230000', body: 'hello', idempotencyKey: 'key-stranger' });
    if (!result.ok) throw new Error(result.failure.message);
    expect(await findSmsByProviderId(database.db, result.providerId)).toMatchObject({ homeId: null, contactId: null });
    expect(await sms.lookup('outbox_sms_nothere0000000000')).toMatchObject({
      ok: false,
      failure: { reason: 'not-found' },
    });
    expect(await sms.lookup('SM0123')).toMatchObject({ ok: false, failure: { reason: 'not-found' } });
  });

  it('needs a database and an idempotency key', async () => {
    expect(() => new OutboxSmsSender({} as never)).toThrow(/db is required/);
    expect(await sms.send({ to: PHONE, body: 'x', idempotencyKey: '' })).toMatchObject({ ok: false });
  });
});

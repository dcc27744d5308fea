import { createBooking, insertOutgoingSms, schema } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleFamilyCodeDeliveries } from '../family/deliver-family-code.ts';

interface OutboxPage {
  items: {
    id: string;
    toPhoneMasked: string;
    body: string;
    template: string | null;
    status: string;
    provider: string | null;
    dueAt: string;
    sentAt: string | null;
  }[];
  total: number;
  limit: number;
  offset: number;
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('outbox API (%s)', (kind) => {
  let world: ApiWorld;
  const T0 = new Date('2026-09-07T04:00:00Z');

  beforeAll(async () => {
    world = await createApiWorld(kind);
    // Three messages to Home A's mother, one minute apart; one to Home B's.
    for (let i = 0; i < 3; i += 1) {
      world.setNow(new Date(T0.getTime() + i * 60_000));
      const result = await world.services.sms?.send({
        to: world.a.contact.phone,
        body: `小明的亲情电话第${i + 1}条。【测试之家A】`,
        idempotencyKey: `outbox-test-${i}`,
      });
      expect(result?.ok).toBe(true);
    }
    await insertOutgoingSms(world.database.db, {
      homeId: world.a.home.id,
      toPhone: world.a.contact.phone,
      body: '明天的提醒（还没到时间）',
      template: 'reminder-day-before',
      dueAt: new Date(T0.getTime() + 86_400_000),
      now: new Date(T0.getTime() + 3 * 60_000),
    });
    await world.services.sms?.send({ to: world.b.contact.phone, body: 'B之家的消息', idempotencyKey: 'outbox-test-b' });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("lists the Home's outgoing messages newest first with masked numbers", async () => {
    const res = await world.request('/api/outbox', { as: 'teacherA' });
    expect(res.status).toBe(200);
    const page = (await res.json()) as OutboxPage;
    expect(page.total).toBe(4);
    expect(page.items.map((m) => m.body)).toEqual([
      '明天的提醒（还没到时间）',
      '小明的亲情电话第3条。【测试之家A】',
      '小明的亲情电话第2条。【测试之家A】',
      '小明的亲情电话第1条。【测试之家A】',
    ]);
    expect(page.items[0]).toMatchObject({
      status: 'pending',
      provider: null,
      template: 'reminder-day-before',
      dueAt: '2026-09-08T04:00:00.000Z',
      sentAt: null,
    });
    expect(page.items[1]).toMatchObject({
      status: 'sent',
      provider: 'outbox',
      toPhoneMasked: '+86 138****5678',
      sentAt: '2026-09-07T04:02:00.000Z',
    });
    const text = JSON.stringify(page);
    expect(text).not.toContain(world.a.contact.phone);
    expect(text).not.toContain('12345678');
    expect(text).not.toContain('B之家');
  });

  it('pages', async () => {
    const page = (await (await world.request('/api/outbox?limit=2&offset=1', { as: 'adminA' })).json()) as OutboxPage;
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(page.items.map((m) => m.body)).toEqual([
      '小明的亲情电话第3条。【测试之家A】',
      '小明的亲情电话第2条。【测试之家A】',
    ]);
    expect((await world.request('/api/outbox?limit=0', { as: 'teacherA' })).status).toBe(400);
  });

  it("shows another Home's staff only their own messages", async () => {
    const page = (await (await world.request('/api/outbox', { as: 'teacherB' })).json()) as OutboxPage;
    expect(page.items.map((m) => m.body)).toEqual(['B之家的消息']);
    expect(page.items[0]?.toPhoneMasked).toBe('+86 139****4321');
  });

  it('is for staff only', async () => {
    expect((await world.request('/api/outbox')).status).toBe(401);
    expect((await world.request('/api/outbox', { as: 'kioskA' })).status).toBe(403);
    expect((await world.request('/api/outbox', { as: 'familyA' })).status).toBe(403);
  });
});

describe("outbox API: parents' sign-in codes", () => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld('pglite');
  });
  afterAll(async () => {
    await world?.close();
  });

  /** Asks for a code for Home A's mother and waits until its message is stored; the code as sent. */
  async function requestCode(): Promise<string> {
    // A number may be sent one code a minute: each request comes a minute after the last.
    world.setNow(new Date(world.services.now().getTime() + 60_000));
    const before = await world.database.db.$count(schema.smsMessages);
    const res = await world.request('/api/family/code', { json: { phone: world.a.contact.phone } });
    expect(res.status).toBe(202);
    await settleFamilyCodeDeliveries(world.services);
    expect(await world.database.db.$count(schema.smsMessages)).toBe(before + 1);
    const [row] = await world.database.db
      .select()
      .from(schema.smsMessages)
      .orderBy(desc(schema.smsMessages.createdAt))
      .limit(1);
    const code = /\d{6}/.exec(row?.body ?? '')?.[0];
    expect(code).toBeDefined();
    return code!;
  }

  async function outboxText(as: 'teacherA' | 'adminA'): Promise<string> {
    const res = await world.request('/api/outbox', { as });
    expect(res.status).toBe(200);
    return JSON.stringify(await res.json());
  }

  it('masks the code for teachers and admins, and a teacher cannot sign in with what the outbox shows', async () => {
    world.services.settings.showSignInCodes = false;
    const code = await requestCode();
    for (const who of ['teacherA', 'adminA'] as const) {
      const text = await outboxText(who);
      expect(text).not.toContain(code);
      expect(text).toContain('••••••');
    }
  });

  it('masks codes stored before messages carried their template (the code id as dedupe key)', async () => {
    await world.services.sms?.send({
      to: world.a.contact.phone,
      body: '【测试之家A】验证码：305118，10分钟内有效。',
      idempotencyKey: 'otc_0000000000000001',
    });
    expect(await outboxText('adminA')).not.toContain('305118');
  });

  it('shows codes to the admin only when the demo setting is on, never to a teacher', async () => {
    world.services.settings.showSignInCodes = true;
    try {
      const code = await requestCode();
      expect(await outboxText('adminA')).toContain(code);
      expect(await outboxText('teacherA')).not.toContain(code);
    } finally {
      world.services.settings.showSignInCodes = false;
    }
  });
});

describe('outbox API: filters and the booking a message is about', () => {
  let world: ApiWorld;
  let bookingId: string;
  const T0 = new Date('2026-09-07T04:00:00Z');

  interface FilteredPage {
    items: { body: string; stage: string; booking: { id: string; children: { name: string }[] } | null }[];
    total: number;
  }

  beforeAll(async () => {
    world = await createApiWorld('pglite');
    world.setNow(T0);
    const db = world.database.db;
    const { a } = world;
    const booked = await createBooking(db, {
      homeId: a.home.id,
      kioskId: a.kiosk.id,
      householdId: a.household.id,
      contactId: a.contact.id,
      childIds: [a.child.id],
      start: new Date(T0.getTime() + 86_400_000),
      end: new Date(T0.getTime() + 86_400_000 + 15 * 60_000),
      status: 'confirmed',
      source: 'teacher',
      now: T0,
    });
    if (!booked.ok) throw new Error(booked.reason);
    bookingId = booked.booking.id;
    const base = { homeId: a.home.id, toPhone: a.contact.phone };
    // One message per stage, on two days (Shanghai): the 7th and the 9th.
    const rows = [
      { body: '确认', status: 'delivered', bookingId, now: T0 },
      { body: '排队', status: 'pending', bookingId, now: T0 },
      { body: '失败', status: 'undelivered', now: T0 },
      { body: '过期', status: 'cancelled', errorCode: 'expired', bookingId, now: new Date('2026-09-09T01:00:00Z') },
      { body: '取消', status: 'cancelled', now: new Date('2026-09-09T02:00:00Z') },
      { body: '已发', status: 'sent', now: new Date('2026-09-09T03:00:00Z') },
    ] as const;
    for (const row of rows) await insertOutgoingSms(db, { ...base, ...row });
    await insertOutgoingSms(db, { homeId: world.b.home.id, toPhone: world.b.contact.phone, body: 'B', now: T0 });
  });
  afterAll(async () => {
    await world?.close();
  });

  async function list(query: string, as: 'teacherA' | 'teacherB' = 'teacherA'): Promise<FilteredPage> {
    const res = await world.request(`/api/outbox${query}`, { as });
    expect(res.status, query).toBe(200);
    return (await res.json()) as FilteredPage;
  }

  it('names every message by stage, expired apart from cancelled and undelivered as failed', async () => {
    const page = await list('');
    expect(Object.fromEntries(page.items.map((m) => [m.body, m.stage]))).toEqual({
      确认: 'delivered',
      排队: 'queued',
      失败: 'failed',
      过期: 'expired',
      取消: 'cancelled',
      已发: 'sent',
    });
  });

  it('filters by stages', async () => {
    expect((await list('?stage=expired')).items.map((m) => m.body)).toEqual(['过期']);
    expect((await list('?stage=cancelled')).items.map((m) => m.body)).toEqual(['取消']);
    expect((await list('?stage=failed,queued')).items.map((m) => m.body).sort()).toEqual(['失败', '排队'].sort());
  });

  it("filters by days in the Home's zone", async () => {
    expect((await list('?from=2026-09-09')).total).toBe(3);
    expect((await list('?to=2026-09-07')).total).toBe(3);
    expect((await list('?from=2026-09-08&to=2026-09-08')).total).toBe(0);
  });

  it('filters by booking and by child, and names the booking with its children', async () => {
    const byBooking = await list(`?bookingId=${bookingId}`);
    expect(byBooking.items.map((m) => m.body).sort()).toEqual(['确认', '排队', '过期'].sort());
    expect(byBooking.items[0]?.booking).toMatchObject({ id: bookingId, children: [{ name: '王小明' }] });
    expect((await list(`?childId=${world.a.child.id}`)).total).toBe(3);
    expect((await list(`?childId=${world.b.child.id}`)).total).toBe(0);
    expect((await list(`?bookingId=${bookingId}`, 'teacherB')).total).toBe(0);
  });

  it('refuses unknown stages, malformed days and ids, and days out of order', async () => {
    for (const query of [
      '?stage=lost',
      '?stage=sent,',
      '?from=2026-02-30',
      '?bookingId=chd_0000000000000000',
      '?childId=nope',
      '?from=2026-09-09&to=2026-09-08',
    ]) {
      expect((await world.request(`/api/outbox${query}`, { as: 'teacherA' })).status, query).toBe(400);
    }
  });
});

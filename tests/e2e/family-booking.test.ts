import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createBookingEvents } from '@affection/bookings';
import {
  createChild,
  createContact,
  createHousehold,
  getBooking,
  listAuditForSubject,
  listAvailabilityWindows,
  listBookingsOfHousehold,
  replaceOpeningRules,
  updateContact,
} from '@affection/db';
import { createProducerConnection, proposeWeek, QUEUE_NAMES } from '@affection/jobs';
import {
  type ApiWorld,
  buildWebApps,
  type ChromiumSession,
  createApiWorld,
  getFreeTcpPort,
  hasNoSideScroll,
  launchChromium,
  openParentLink,
  ScreenAudit,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
/** The parents' page's budget for the JavaScript of its first screen, gzipped. */
const INITIAL_JS_BUDGET_BYTES = 75 * 1024;
/** A cheap Android phone. */
const SMALL_PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

describe('the parents’ booking screens in Chromium, served by the real server', () => {
  let world: ApiWorld;
  let server: ServerType;
  let buildDir: string;
  let connection: Redis;
  let smsQueue: Queue;
  let session: ChromiumSession;
  let page: Page;
  let fatherId: string;
  const audit = new ScreenAudit(artifacts);

  /** Screenshot and axe-core at 360 × 740 and at 1280 × 800: no serious finding, no sideways scrolling. */
  async function check(name: string): Promise<void> {
    for (const [size, suffix] of [
      [SMALL_PHONE, ''],
      [DESKTOP, '-1280'],
    ] as const) {
      await page.setViewportSize(size);
      expect(await audit.check(page, `family-booking-${name}${suffix}`), `${name}${suffix}`).toEqual([]);
      expect(await hasNoSideScroll(page)).toBe(true);
    }
    await page.setViewportSize(SMALL_PHONE);
  }

  async function screen(name: string): Promise<void> {
    await page.locator(`[data-screen="${name}"]`).waitFor();
  }

  async function noticeText(): Promise<string> {
    return (await page.locator('.notice').first().textContent()) ?? '';
  }

  async function householdBookings() {
    return listBookingsOfHousehold(world.database.db, world.a.home.id, world.a.household.id, {
      from: world.services.now(),
    });
  }

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    // This checkout's page, built for production into a folder of our own (never apps/family/dist).
    buildDir = await mkdtemp(path.join(os.tmpdir(), 'affection-family-booking-e2e-'));
    await buildWebApps(buildDir, ['family']);
    const port = await getFreeTcpPort();
    world = await createApiWorld('pglite', { publicUrl: `http://127.0.0.1:${port}` });
    const db = world.database.db;
    const homeId = world.a.home.id;
    // Open every day from 08:00 to 20:00, so that slots are offered whatever day the test runs on.
    await replaceOpeningRules(
      db,
      homeId,
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '08:00', endTime: '20:00' })),
    );
    // The household's second parent, approved: a three-way call can name him.
    const father = await createContact(db, homeId, {
      householdId: world.a.household.id,
      name: '王建军',
      relation: 'father',
      phone: '+8613812345001',
    });
    const now = world.services.now();
    await updateContact(db, homeId, father.id, { approvedBy: world.a.admin.id, approvedAt: now }, now);
    fatherId = father.id;
    const app = createApp(world.services, { appsDir: buildDir });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    connection = createProducerConnection(world.redisServer.url);
    connection.on('error', () => {});
    smsQueue = new Queue(QUEUE_NAMES.sms, { connection });
    smsQueue.on('error', () => {});

    session = await launchChromium({ viewport: SMALL_PHONE });
    page = await session.context.newPage();
    const link = await world.request(`/api/contacts/${world.a.contact.id}/enrolment-link`, {
      as: 'teacherA',
      json: {},
    });
    expect(link.status).toBe(201);
    await openParentLink(page, ((await link.json()) as { url: string }).url);
  }, 240_000);
  afterAll(async () => {
    await session?.close();
    await smsQueue?.close();
    connection?.disconnect();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await world?.close();
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });

  it('keeps the booking screens in their own chunk, out of the first screen, which stays under 75 kB gzip', async () => {
    const dist = path.join(buildDir, 'family/dist');
    const html = await readFile(path.join(dist, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/family\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const files = (await readdir(path.join(dist, 'assets'))).filter((f) => f.endsWith('.js'));
    const sizeOf = async (file: string) => gzipSync(await readFile(path.join(dist, file)), { level: 9 }).length;
    const bookingsChunk = files.find((f) => f.includes('bookings-screen'));
    expect(bookingsChunk).toBeDefined();
    expect(initial).not.toContain(`assets/${bookingsChunk}`);
    let initialBytes = 0;
    for (const file of initial) initialBytes += await sizeOf(file);
    expect(initialBytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
  });

  it('sets the times the parent can talk (several a day), refusing a time that ends before it starts without losing it', async () => {
    await page.getByRole('button', { name: '什么时候方便接电话' }).click();
    await screen('windows');
    expect(await page.locator('h1').textContent()).toBe('什么时候方便接电话');
    await check('windows-empty');

    // Every day 08:00–20:00 (a time is added as 19:00–20:00; the start is moved earlier).
    for (const day of WEEKDAYS) {
      await page.getByRole('button', { name: `＋ ${day}加一段时间` }).click();
      await page.getByLabel(`${day}从几点`).first().fill('08:00');
    }
    // A second time on Wednesday, typed the wrong way round: said beside it, and nothing is sent.
    await page.getByRole('button', { name: '＋ 周三加一段时间' }).click();
    const wednesday = page.locator('[data-weekday="3"] .window-row').nth(1);
    await wednesday.getByLabel('周三到几点').fill('19:30');
    await wednesday.getByLabel('周三从几点').fill('21:00');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('alert').waitFor();
    expect(await wednesday.locator('.error').textContent()).toBe('结束时间要晚于开始时间。');
    expect(await page.getByRole('alert').textContent()).toContain('有的时间不对');
    await check('windows-error');
    expect(await listAvailabilityWindows(world.database.db, world.a.home.id, world.a.contact.id)).toEqual([]);
    // What was typed is still there; the mother fixes the end.
    expect(await wednesday.getByLabel('周三从几点').inputValue()).toBe('21:00');
    await wednesday.getByLabel('周三到几点').fill('23:00');
    expect(await wednesday.locator('.error').count()).toBe(0);
    await page.getByRole('button', { name: '保存' }).click();
    await screen('bookings');
    expect(await noticeText()).toBe('保存好了。学校会按这些时间给您安排通话。');
    const saved = await listAvailabilityWindows(world.database.db, world.a.home.id, world.a.contact.id);
    expect(saved).toHaveLength(8);
    expect(saved.filter((w) => w.weekday === 3).map((w) => [w.startTime, w.endTime])).toEqual([
      ['08:00', '20:00'],
      ['21:00', '23:00'],
    ]);
    await check('list-empty');
  });

  it('books a three-way call from the free slots, moves it, says so when a slot was just taken, and cancels it with a reason', async () => {
    await page.getByRole('button', { name: '预约一次通话' }).click();
    await screen('slots');
    // First a day (the next day, whole), then a time of it.
    await page.locator('button.day-choice').nth(1).waitFor();
    expect(await page.locator('h1').textContent()).toBe('请选一天');
    await check('days');
    await page.locator('button.day-choice').nth(1).click();
    await page.locator('button.slot').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('请选一个时间');
    await check('slots');
    const first = page.locator('button.slot').first();
    const firstStart = (await first.getAttribute('data-start'))!;
    await first.click();
    await screen('confirm-slot');
    await page.getByLabel('也叫上王建军（三方通话）').check();
    await page.getByLabel('只听声音（网络不好时更省流量）').check();
    await check('confirm');
    await page.getByRole('button', { name: '确定预约' }).click();
    await screen('bookings');
    expect(await noticeText()).toMatch(/^预约好了：.+（北京时间）。学校会发短信提醒您。$/);
    const [booked] = await householdBookings();
    expect(booked).toMatchObject({ source: 'parent', status: 'confirmed', secondContactId: fatherId });
    expect(booked!.start.toISOString()).toBe(firstStart);
    // Her choice of "只听声音" for this call stays on the phone: the join screen starts with it.
    expect(await page.evaluate(() => localStorage.getItem('affection.family.audio-only'))).toBe(booked!.id);
    expect(await page.getByTestId('booking').textContent()).toContain('三方通话，王建军也一起');
    await check('list');

    // Move it to the third slot offered.
    await page.getByRole('button', { name: '改时间' }).click();
    await screen('slots');
    await page.locator('button.day-choice').nth(1).click();
    await page.locator('button.slot').first().waitFor();
    expect(await page.locator(`button.slot[data-start="${firstStart}"]`).count()).toBe(0);
    const third = page.locator('button.slot').nth(2);
    const thirdStart = (await third.getAttribute('data-start'))!;
    await third.click();
    await screen('confirm-slot');
    await check('move-confirm');
    await page.getByRole('button', { name: '确定改到这个时间' }).click();
    await screen('bookings');
    expect(await noticeText()).toMatch(/^时间改好了：/);
    expect((await getBooking(world.database.db, world.a.home.id, booked!.id))?.start.toISOString()).toBe(thirdStart);

    // Another family takes the only kiosk at the slot she is about to choose.
    await page.getByRole('button', { name: '改时间' }).click();
    await screen('slots');
    await page.locator('button.day-choice').nth(1).click();
    const target = page.locator('button.slot').nth(3);
    await target.waitFor();
    const targetStart = (await target.getAttribute('data-start'))!;
    const db = world.database.db;
    const homeId = world.a.home.id;
    const neighbours = await createHousehold(db, homeId, { name: '赵家' });
    await createChild(db, homeId, { householdId: neighbours.id, familyName: '赵', givenName: '小雪' });
    const neighbour = await createContact(db, homeId, {
      householdId: neighbours.id,
      name: '赵丽',
      relation: 'mother',
      phone: '+8613812345002',
    });
    const now = world.services.now();
    await updateContact(db, homeId, neighbour.id, { approvedBy: world.a.admin.id, approvedAt: now }, now);
    const taken = await world.request('/api/bookings', {
      as: 'teacherA',
      json: { householdId: neighbours.id, contactId: neighbour.id, start: targetStart },
    });
    expect(taken.status).toBe(201);
    await target.click();
    await screen('confirm-slot');
    await page.getByRole('button', { name: '确定改到这个时间' }).click();
    await screen('slots');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(
      '这个时间刚刚被别人约走了，请换一个时间。下面是最新的空闲时间。',
    );
    await page.locator('button.slot').first().waitFor();
    expect(await page.locator(`button.slot[data-start="${targetStart}"]`).count()).toBe(0);
    await check('slot-taken');
    expect((await getBooking(db, homeId, booked!.id))?.start.toISOString()).toBe(thirdStart);

    // Cancel, with a reason the teacher will read.
    await page.getByRole('button', { name: '返回' }).click();
    await screen('bookings');
    await page.getByRole('button', { name: '取消这次通话' }).click();
    await screen('cancel');
    expect(await page.getByRole('button', { name: '确定取消' }).isDisabled()).toBe(true);
    await page.getByLabel('要上班').check();
    await page.getByLabel('想对老师说的话（可以不写）').fill('这周加班');
    await check('cancel');
    await page.getByRole('button', { name: '确定取消' }).click();
    await screen('bookings');
    expect(await noticeText()).toMatch(/^已经取消：/);
    expect(await getBooking(db, homeId, booked!.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: '要上班：这周加班',
    });
    // Booked, moved once (the slot taken meanwhile changed nothing) and cancelled, each by the parent.
    const trail = await listAuditForSubject(db, 'booking', booked!.id);
    expect(trail.map((e) => [e.action, e.actorKind]).sort()).toEqual([
      ['booking.cancel', 'family'],
      ['booking.create', 'family'],
      ['booking.reschedule', 'family'],
    ]);
    expect(await page.getByTestId('booking').count()).toBe(0);
  });

  it("confirms next week's call the weekly job proposed; one a teacher answered meanwhile gets a clear message", async () => {
    const db = world.database.db;
    const homeId = world.a.home.id;
    const propose = () =>
      proposeWeek(
        {
          db,
          smsQueue,
          now: world.services.now,
          bookingEvents: createBookingEvents({ db, now: world.services.now, planLifecycle: async () => {} }),
        },
        homeId,
      );
    const proposalOfHousehold = async () =>
      (await householdBookings()).find((b) => b.source === 'auto' && b.status === 'proposed');

    expect((await propose())?.proposed).toBeGreaterThan(0);
    const declinedMeanwhile = await proposalOfHousehold();
    expect(declinedMeanwhile).toBeDefined();
    await page.getByRole('button', { name: '返回' }).click();
    await screen('home');
    // The page itself says a call waits for her answer.
    expect(await page.getByTestId('proposals-waiting').locator('.notice').textContent()).toBe(
      '学校给您安排了1次通话，请看看时间方不方便。',
    );
    expect(await page.getByTestId('next-call').count()).toBe(0);
    await check('home-proposal');
    await page.getByRole('button', { name: '去确认通话时间' }).click();
    await screen('bookings');
    await page.getByTestId('proposal').waitFor();
    await check('proposal');

    // The teacher declines it in the console before she answers.
    const declined = await world.request(`/api/bookings/${declinedMeanwhile!.id}/decline`, {
      as: 'teacherA',
      json: { reason: '这周已经用电话联系过' },
    });
    expect(declined.status).toBe(200);
    await page.getByRole('button', { name: '方便，就这个时间' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(
      '这次通话已经变了（已确认、已取消或已经开始），请看最新的安排。',
    );
    await page.getByTestId('proposal').waitFor({ state: 'detached' });
    await check('proposal-decided');

    // The weekly job proposes again for the child still without a call; she confirms it on the page.
    expect((await propose())?.proposed).toBeGreaterThan(0);
    const proposal = await proposalOfHousehold();
    expect(proposal).toBeDefined();
    await page.getByRole('button', { name: '返回' }).click();
    await screen('home');
    await page.getByRole('button', { name: '我的通话和预约' }).click();
    await page.getByTestId('proposal').waitFor();
    await page.getByRole('button', { name: '方便，就这个时间' }).click();
    await page.locator('.notice').waitFor();
    expect(await noticeText()).toMatch(/^好的，已经约好：.+。到时候请打开亲情电话。$/);
    expect(await getBooking(db, homeId, proposal!.id)).toMatchObject({ status: 'confirmed' });
    const trail = await listAuditForSubject(db, 'booking', proposal!.id);
    expect(trail.find((e) => e.action === 'booking.confirm')).toMatchObject({ actorKind: 'family' });
    expect(await page.getByTestId('booking').count()).toBe(1);
    await check('proposal-confirmed');
  });

  it('adds the other parent to a call already booked: 也叫上王建军, one confirm screen, done', async () => {
    const db = world.database.db;
    const homeId = world.a.home.id;
    // The call confirmed just before, booked with her alone.
    const [coming] = (await householdBookings()).filter((b) => b.status === 'confirmed');
    expect(coming).toMatchObject({ contactId: world.a.contact.id, secondContactId: null });
    await check('add-second-list');
    await page.getByTestId('booking').getByRole('button', { name: '也叫上王建军' }).click();
    await screen('add-second');
    expect(await page.locator('h1').textContent()).toBe('也叫上王建军一起通话？');
    await check('add-second-confirm');
    await page.getByRole('button', { name: '好，叫上王建军' }).click();
    await screen('bookings');
    await page.locator('.notice').waitFor();
    expect(await noticeText()).toMatch(/^已叫上王建军。.+一起通话。$/);
    expect(await getBooking(db, homeId, coming!.id)).toMatchObject({
      secondContactId: fatherId,
      version: coming!.version + 1,
    });
    const trail = await listAuditForSubject(db, 'booking', coming!.id);
    expect(trail.find((e) => e.action === 'booking.add-contact')).toMatchObject({
      actorKind: 'family',
      actorId: world.a.contact.id,
    });
    // The call now says who is on it, and offers the button no more.
    await page.getByTestId('booking').getByText('三方通话，王建军也一起').waitFor();
    expect(await page.getByTestId('add-second').count()).toBe(0);
    await check('add-second-done');
  });

  it('keeps what she chose when her sign-in has run out, and says to sign in again', async () => {
    await page.getByRole('button', { name: '什么时候方便接电话' }).click();
    await screen('windows');
    await page.getByRole('button', { name: '＋ 周日加一段时间' }).click();
    const sunday = page.locator('[data-weekday="7"] .window-row').nth(1);
    await sunday.getByLabel('周日从几点').fill('20:00');
    await sunday.getByLabel('周日到几点').fill('22:00');
    // A teacher signs this phone out (the contact card's link withdrawn) while the screen is open.
    const devices = await world.request(`/api/contacts/${world.a.contact.id}/devices`, { as: 'teacherA' });
    expect(devices.status).toBe(200);
    for (const device of ((await devices.json()) as { items: { id: string }[] }).items) {
      expect(
        (await world.request(`/api/family-devices/${device.id}/revoke`, { as: 'teacherA', json: {} })).status,
      ).toBe(200);
    }
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').locator('.error').textContent()).toBe('登录已经失效了，请重新登录。');
    expect(await sunday.getByLabel('周日从几点').inputValue()).toBe('20:00');
    await check('signed-out');
    await page.getByRole('button', { name: '重新登录' }).click();
    await screen('sign-in');
  });
});

import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createBooking, getBooking, listBookingSteps, updateHome } from '@affection/db';
import { BOOKING_STEP_HANDLERS, planBooking, runBookingStep } from '@affection/jobs';
import { LivekitCallRooms } from '@affection/telephony';
import {
  type ApiWorld,
  type ChromiumSession,
  createApiWorld,
  type LivekitServer,
  launchChromium,
  ScreenAudit,
  startLivekit,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const MINUTE = 60_000;

describe("the kiosk's waiting limit in Chromium, against the served app and a real LiveKit", () => {
  let livekit: LivekitServer;
  let world: ApiWorld;
  let server: ServerType;
  let baseUrl: string;
  let browser: ChromiumSession;
  let appsDir: string;
  let rooms: LivekitCallRooms;
  let connection: Redis;
  let lifecycleQueue: Queue;
  let smsQueue: Queue;
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    appsDir = await mkdtemp(path.join(os.tmpdir(), 'affection-kiosk-wait-'));
    const kioskDir = path.join(root, 'apps/kiosk');
    await build({
      root: kioskDir,
      configFile: path.join(kioskDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: path.join(appsDir, 'kiosk/dist'), emptyOutDir: true },
    });
    await mkdir(path.join(appsDir, 'family/dist'), { recursive: true });
    await mkdir(path.join(appsDir, 'console/dist'), { recursive: true });
    await mkdir(artifacts, { recursive: true });
    livekit = await startLivekit();
    rooms = new LivekitCallRooms({ url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret });
    world = await createApiWorld('pglite', { callRooms: rooms, livekitClientUrl: livekit.wsUrl });
    const app = createApp({ ...world.services, now: () => new Date() }, { appsDir });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    connection = new Redis(world.redisServer.url, { maxRetriesPerRequest: null });
    lifecycleQueue = new Queue('lifecycle-kiosk-wait', { connection });
    smsQueue = new Queue('sms-kiosk-wait', { connection });
    browser = await launchChromium({ viewport: { width: 1280, height: 800 } });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await lifecycleQueue?.close();
    await smsQueue?.close();
    connection?.disconnect();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await world?.close();
    await livekit?.stop();
    if (appsDir) await rm(appsDir, { recursive: true, force: true });
  });

  it('ends a call the parent never joined after the Home’s limit, tells the child kindly, and the board shows it', async () => {
    const db = world.database.db;
    await updateHome(db, world.a.home.id, { kioskWaitMinutes: 1 });
    const now = new Date();
    const made = await createBooking(db, {
      homeId: world.a.home.id,
      kioskId: world.a.kiosk.id,
      householdId: world.a.household.id,
      contactId: world.a.contact.id,
      childIds: [world.a.child.id],
      start: new Date(now.getTime() - 30_000),
      end: new Date(now.getTime() + 10 * MINUTE),
      status: 'confirmed',
      source: 'teacher',
      now,
    });
    if (!made.ok) throw new Error(`booking refused: ${made.reason}`);
    const booking = made.booking;
    await planBooking({ db, now }, booking.id);
    const limit = (await listBookingSteps(db, booking.id)).find((s) => s.kind === 'kiosk-wait-limit');
    expect(limit?.dueAt).toEqual(new Date(booking.start.getTime() + MINUTE));

    // The kiosk is enrolled and the child starts the call; nobody comes.
    world.setNow(new Date());
    await world.refreshPrincipals();
    const res = await world.request(`/api/kiosks/${world.a.kiosk.id}/enrolment-code`, { method: 'POST', as: 'adminA' });
    expect(res.status).toBe(200);
    const { enrolmentCode } = (await res.json()) as { enrolmentCode: string };
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}/kiosk/`);
    await page.locator('[data-screen="enrol"]').waitFor();
    for (const digit of enrolmentCode) {
      await page.locator('.pad__key', { hasText: new RegExp(`^${digit}$`) }).click();
    }
    await page.getByRole('button', { name: '激活' }).click();
    await page.locator(`.tile[data-child="${world.a.child.id}"]`).click();
    await page.getByRole('button', { name: '给妈妈打电话' }).click();
    await page.locator('[data-screen="call"][data-phase="connected"]').waitFor();
    expect(await page.locator('.call__waiting').textContent()).toBe('妈妈马上就来啦！');
    expect(await audit.check(page, 'kiosk-wait-waiting')).toEqual([]);
    await expect
      .poll(async () => (await rooms.listParticipants(booking.id)).map((p) => p.who?.role))
      .toContain('child');

    // Before the child has waited the whole minute, the step waits on; on the test clock a minute later it ends
    // the call.
    const run = (clock: Date) =>
      runBookingStep(
        {
          db,
          callRooms: rooms,
          phoneBridge: null,
          smsQueue,
          lifecycleQueue,
          now: () => clock,
          logger: { info: () => {}, warn: () => {}, error: () => {} },
          handlers: BOOKING_STEP_HANDLERS,
        },
        limit!.id,
      );
    const childIn = (await rooms.listParticipants(booking.id)).find((p) => p.who?.role === 'child')!.joinedAt;
    expect(await run(new Date(childIn.getTime() + 40_000))).toMatchObject({ kind: 'retry' });
    const ended = await run(new Date(childIn.getTime() + MINUTE + 1_000));
    expect(ended).toEqual({ kind: 'done', note: 'ended: the parent did not come' });

    // The kiosk says it kindly and goes back to the photos.
    await page.locator('[data-screen="no-parent"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('妈妈现在来不了，老师会再帮你约时间。');
    expect(await audit.check(page, 'kiosk-wait-parent-not-coming')).toEqual([]);
    await page.getByRole('button', { name: '返回' }).click();
    await page.locator('[data-screen="home"]').waitFor();

    // The teacher's board shows the call over; Home B's board knows nothing of it.
    const after = await getBooking(db, world.a.home.id, booking.id);
    expect(after!.end.getTime()).toBeLessThan(booking.end.getTime());
    world.setNow(new Date(after!.end.getTime() + 1_000));
    const board = (await (await world.request('/api/board/today', { as: 'teacherA' })).json()) as {
      lanes: { calls: { bookingId: string; state: string }[] }[];
    };
    const shown = board.lanes.flatMap((lane) => lane.calls).find((c) => c.bookingId === booking.id);
    expect(shown?.state).toBe('ended');
    const boardB = (await (await world.request('/api/board/today', { as: 'teacherB' })).json()) as {
      lanes: { calls: { bookingId: string }[] }[];
    };
    expect(boardB.lanes.flatMap((lane) => lane.calls).some((c) => c.bookingId === booking.id)).toBe(false);
    await page.close();
  }, 120_000);
});

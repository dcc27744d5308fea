import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cancelBooking, createBooking, getChildMood, listKioskPresence } from '@affection/db';
import { LivekitCallRooms } from '@affection/telephony';
import {
  type ApiWorld,
  type ChromiumSession,
  createApiWorld,
  type LivekitServer,
  launchChromium,
  startLivekit,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { dispose, type RemoteParticipant, Room, RoomEvent } from '@livekit/rtc-node';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts/kiosk');
const MINUTE = 60_000;

/** Every button on the page is a big enough target for a child's finger (88 px). */
async function smallestButton(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.min(
      ...[...document.querySelectorAll('button')]
        .filter((b) => !b.hidden)
        .map((b) => {
          const box = b.getBoundingClientRect();
          return Math.min(box.width, box.height);
        }),
    ),
  );
}

/** Nothing sticks out sideways, nothing needs scrolling to reach. */
async function fitsTheScreen(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      document.documentElement.scrollWidth <= window.innerWidth &&
      [...document.querySelectorAll('button')].every((b) => b.getBoundingClientRect().bottom <= window.innerHeight),
  );
}

/**
 * A TCP relay in front of LiveKit's signal port that can cut every connection and refuse new ones,
 * as a school's network does when it drops; the browser reaches LiveKit through it.
 */
class SignalRelay {
  readonly #sockets = new Set<net.Socket>();
  readonly #server: net.Server;
  #down = false;

  constructor(target: number) {
    this.#server = net.createServer((client) => {
      if (this.#down) {
        client.destroy();
        return;
      }
      const upstream = net.connect(target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
  }

  async listen(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Drops every connection and refuses new ones until {@link SignalRelay.restore}. */
  cut(): void {
    this.#down = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  restore(): void {
    this.#down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

describe('the kiosk in Chromium, against the served app and a real LiveKit', () => {
  let livekit: LivekitServer;
  let world: ApiWorld;
  let server: ServerType;
  let baseUrl: string;
  let browser: ChromiumSession;
  let appsDir: string;
  let rooms: LivekitCallRooms;
  let relay: SignalRelay;
  const parents: Room[] = [];

  beforeAll(async () => {
    // The kiosk is built into a folder of its own, so that no other build or test is disturbed.
    appsDir = await mkdtemp(path.join(os.tmpdir(), 'affection-kiosk-e2e-'));
    const kioskDir = path.join(root, 'apps/kiosk');
    await build({
      root: kioskDir,
      configFile: path.join(kioskDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: path.join(appsDir, 'kiosk/dist'), emptyOutDir: true },
    });
    // The other front ends are not needed here; their empty folders keep the static server quiet.
    await mkdir(path.join(appsDir, 'family/dist'), { recursive: true });
    await mkdir(path.join(appsDir, 'console/dist'), { recursive: true });
    await mkdir(artifacts, { recursive: true });
    livekit = await startLivekit();
    rooms = new LivekitCallRooms({ url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret });
    relay = new SignalRelay(Number(new URL(livekit.wsUrl).port));
    world = await createApiWorld('pglite', { callRooms: rooms, livekitClientUrl: await relay.listen() });
    // The browser lives in real time: serve the app on the world's services with a running clock.
    const app = createApp({ ...world.services, now: () => new Date() }, { appsDir });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await Promise.all(parents.map((room) => room.disconnect()));
    await dispose();
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await world?.close();
    await relay?.close();
    await livekit?.stop();
    if (appsDir) await rm(appsDir, { recursive: true, force: true });
  });

  /** A new one-time code for Home A's kiosk, as its admin would get one. */
  async function enrolmentCode(): Promise<string> {
    // Each journey is a new device on the same address: start it with a clean enrolment throttle.
    const throttled = await world.services.redis.keys('throttle:kiosk-enrol*');
    if (throttled.length > 0) await world.services.redis.del(...throttled);
    world.setNow(new Date());
    await world.refreshPrincipals();
    const res = await world.request(`/api/kiosks/${world.a.kiosk.id}/enrolment-code`, {
      method: 'POST',
      as: 'adminA',
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { enrolmentCode: string }).enrolmentCode;
  }

  let lastBooking: string | undefined;

  /**
   * Home A's child's call on its kiosk, started a minute ago and running for `secondsLeft` more; the
   * previous test's call is cancelled first (one kiosk, one call at a time).
   */
  async function bookRunningCall(secondsLeft = 600): Promise<string> {
    const now = new Date();
    if (lastBooking) await cancelBooking(world.database.db, world.a.home.id, lastBooking, { reason: 'test', now });
    const result = await createBooking(world.database.db, {
      homeId: world.a.home.id,
      kioskId: world.a.kiosk.id,
      householdId: world.a.household.id,
      contactId: world.a.contact.id,
      childIds: [world.a.child.id],
      start: new Date(now.getTime() - MINUTE),
      end: new Date(now.getTime() + secondsLeft * 1000),
      status: 'confirmed',
      source: 'teacher',
      now,
    });
    if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
    lastBooking = result.booking.id;
    return result.booking.id;
  }

  /** Enrols a fresh tab with a new code and waits for the photo wall. */
  async function enrolledKiosk(viewport?: { width: number; height: number }, session = browser): Promise<Page> {
    const code = await enrolmentCode();
    const page = await openKiosk(viewport, session);
    await page.locator('[data-screen="enrol"]').waitFor();
    await typeCode(page, code);
    await page.getByRole('button', { name: '激活' }).click();
    await page.locator('[data-screen="home"]').waitFor();
    return page;
  }

  /** A new tab on the kiosk as a fresh device: nothing kept from an earlier test. */
  async function openKiosk(viewport = { width: 1280, height: 800 }, session = browser): Promise<Page> {
    const page = await session.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize(viewport);
    // Storage is cleared on a page of the same origin that runs no kiosk code, so that no poll with
    // the previous test's token can land in between and leave its own marks.
    await page.goto(`${baseUrl}/healthz`);
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${baseUrl}/kiosk/`);
    return page;
  }

  async function typeCode(page: Page, code: string): Promise<void> {
    for (const digit of code) await page.locator('.pad__key', { hasText: new RegExp(`^${digit}$`) }).click();
  }

  it('enrols with a code, shows the due child, joins the call in LiveKit, hangs up and saves the mood', async () => {
    const bookingId = await bookRunningCall();
    const code = await enrolmentCode();
    const page = await openKiosk();
    await page.locator('[data-screen="enrol"]').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.evaluate(() => getComputedStyle(document.body).userSelect)).toBe('none');
    expect(await page.locator('a').count()).toBe(0);
    await typeCode(page, code.slice(0, 7));
    expect(await page.getByRole('button', { name: '激活' }).isDisabled()).toBe(true);
    await typeCode(page, code.slice(7));
    await page.screenshot({ path: path.join(artifacts, '01-enrol.png') });
    expect(await smallestButton(page)).toBeGreaterThanOrEqual(88);
    await page.getByRole('button', { name: '激活' }).click();

    const tile = page.locator(`.tile[data-child="${world.a.child.id}"]`);
    await tile.waitFor();
    expect(await tile.textContent()).toContain('小明');
    expect(await tile.textContent()).toContain('妈妈的电话');
    expect(await tile.textContent()).toContain('现在可以打啦');
    expect(await page.evaluate(() => localStorage.length)).toBe(1);
    await page.screenshot({ path: path.join(artifacts, '02-home.png') });
    expect(await smallestButton(page)).toBeGreaterThanOrEqual(88);

    await tile.click();
    const callButton = page.getByRole('button', { name: '给妈妈打电话' });
    await callButton.waitFor();
    await page.screenshot({ path: path.join(artifacts, '03-ready.png') });
    expect(await smallestButton(page)).toBeGreaterThanOrEqual(88);

    await callButton.click();
    await page.locator('[data-screen="call"][data-phase="connected"][data-parent="waiting"]').waitFor();
    expect(await page.locator('.call__waiting').textContent()).toBe('妈妈马上就来啦！');
    await page.screenshot({ path: path.join(artifacts, '04-call-waiting.png') });
    const inRoom = await rooms.listParticipants(bookingId);
    expect(inRoom.map((p) => p.identity)).toEqual([`kid:${world.a.child.id}`]);

    // The mother joins from another client: she receives the child's camera and microphone.
    const parent = new Room();
    parents.push(parent);
    const childTracks = new Promise<void>((resolve) => {
      const check = (participant: RemoteParticipant) => {
        const subscribed = [...participant.trackPublications.values()].filter((p) => p.track);
        if (participant.identity === `kid:${world.a.child.id}` && subscribed.length >= 2) resolve();
      };
      parent.on(RoomEvent.TrackSubscribed, (_track, _publication, participant) => check(participant));
    });
    const parentToken = await rooms.issueJoinToken({
      bookingId,
      subject: { role: 'parent', contactId: world.a.contact.id },
    });
    await parent.connect(livekit.wsUrl, parentToken.token, { autoSubscribe: true, dynacast: false });
    await childTracks;
    await page.locator('[data-screen="call"][data-parent="audio"]').waitFor();
    await page.screenshot({ path: path.join(artifacts, '05-call-parent-audio.png') });
    expect(await smallestButton(page)).toBeGreaterThanOrEqual(88);

    await page.getByRole('button', { name: '挂断' }).click();
    await page.locator('[data-screen="mood"]').waitFor();
    await page.screenshot({ path: path.join(artifacts, '06-mood.png') });
    expect(await smallestButton(page)).toBeGreaterThanOrEqual(88);
    await page.locator('.face[data-mood="4"]').click();
    await page.locator('[data-screen="thanks"]').waitFor();
    await page.locator('[data-screen="home"]').waitFor();

    expect(await getChildMood(world.database.db, world.a.home.id, bookingId, world.a.child.id)).toBe(4);
    await expect
      .poll(async () => (await listKioskPresence(world.database.db, world.a.home.id, bookingId))[0]?.leftAt ?? null)
      .not.toBeNull();
    const [stay] = await listKioskPresence(world.database.db, world.a.home.id, bookingId);
    expect(stay?.identity).toBe(`kid:${world.a.child.id}`);
    expect(Date.parse(stay!.leftAt!)).toBeGreaterThan(Date.parse(stay!.joinedAt));
    await page.close();
    await parent.disconnect();
  });

  it('fits 1024×768, and shows a clear screen when the camera is denied', async () => {
    await bookRunningCall();
    const code = await enrolmentCode();
    const page = await openKiosk({ width: 1024, height: 768 });
    // The teacher's browser said no to the camera.
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await page.reload();
    await page.locator('[data-screen="enrol"]').waitFor();
    expect(await fitsTheScreen(page)).toBe(true);
    await typeCode(page, code);
    await page.getByRole('button', { name: '激活' }).click();
    const tile = page.locator(`.tile[data-child="${world.a.child.id}"]`);
    await tile.waitFor();
    expect(await fitsTheScreen(page)).toBe(true);
    await page.screenshot({ path: path.join(artifacts, '07-home-1024.png') });
    await tile.click();
    await page.getByRole('button', { name: '给妈妈打电话' }).click();
    await page.locator('[data-screen="problem"][data-problem="camera"]').waitFor();
    expect(await page.locator('.problem__message').textContent()).toBe('请让老师帮忙打开摄像头');
    expect(await fitsTheScreen(page)).toBe(true);
    await page.screenshot({ path: path.join(artifacts, '08-camera-denied-1024.png') });
    await page.getByRole('button', { name: '返回' }).click();
    await page.locator('[data-screen="home"]').waitFor();
    await page.close();
  });

  it('goes back to enrolment, with a friendly word, when the kiosk was revoked', async () => {
    const page = await enrolledKiosk();
    const revoked = await world.request(`/api/kiosks/${world.a.kiosk.id}/revoke`, { method: 'POST', as: 'adminA' });
    expect(revoked.status).toBe(200);
    // Whether a poll or the reload meets the refusal first, the kiosk says why it asks for a code,
    // and keeps saying it after a restart, until a teacher enrols it again.
    await page.reload();
    await page.locator('[data-screen="revoked"]').waitFor();
    expect(await page.locator('.notice').textContent()).toContain('请让老师帮你重新登录');
    expect(await page.evaluate(() => localStorage.getItem('affection.kiosk.deviceToken'))).toBeNull();
    await page.reload();
    await page.locator('[data-screen="revoked"]').waitFor();
    await page.screenshot({ path: path.join(artifacts, '09-revoked.png') });
    await page.close();
  });
  it('warns a minute before the end with an orange ring and a goodbye word, then ends the call by itself', async () => {
    const bookingId = await bookRunningCall(25);
    const page = await enrolledKiosk();
    await page.locator(`.tile[data-child="${world.a.child.id}"]`).click();
    await page.getByRole('button', { name: '给妈妈打电话' }).click();
    await page.locator('[data-screen="call"][data-phase="connected"]').waitFor();
    await page.locator('.time-ring--warn').waitFor();
    expect(await page.locator('.call__warning').textContent()).toBe('还有一分钟，跟妈妈说再见吧');
    await page.screenshot({ path: path.join(artifacts, '10-call-last-minute.png') });
    // At the hard end the kiosk leaves the room without a tap and asks how the child feels.
    await page.locator('[data-screen="mood"]').waitFor({ timeout: 40_000 });
    await expect
      .poll(async () => (await listKioskPresence(world.database.db, world.a.home.id, bookingId))[0]?.leftAt ?? null)
      .not.toBeNull();
    await page.close();
  }, 60_000);
  it('says the network is weak while the call reconnects, and carries on', async () => {
    await bookRunningCall();
    const page = await enrolledKiosk();
    await page.locator(`.tile[data-child="${world.a.child.id}"]`).click();
    await page.getByRole('button', { name: '给妈妈打电话' }).click();
    await page.locator('[data-screen="call"][data-phase="connected"]').waitFor();
    relay.cut();
    try {
      await page.locator('[data-screen="call"][data-phase="reconnecting"]').waitFor();
      expect(await page.locator('.call__banner').textContent()).toBe('网络不好，正在重新连接…');
      await page.screenshot({ path: path.join(artifacts, '11-call-reconnecting.png') });
    } finally {
      relay.restore();
    }
    await page.locator('[data-screen="call"][data-phase="connected"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: '挂断' }).click();
    await page.locator('[data-screen="mood"]').waitFor();
    await page.close();
  }, 60_000);

  it('goes back to the photos after a minute without a touch', async () => {
    await bookRunningCall();
    // A browser of its own: the fake clock is installed for a whole browser context.
    const session = await launchChromium();
    try {
      await session.context.clock.install();
      const page = await enrolledKiosk(undefined, session);
      await page.locator(`.tile[data-child="${world.a.child.id}"]`).click();
      await page.locator('[data-screen="ready"]').waitFor();
      await page.clock.fastForward(30_000);
      await page.mouse.click(640, 20);
      await page.clock.fastForward(45_000);
      expect(await page.locator('[data-screen="ready"]').count()).toBe(1);
      await page.clock.fastForward(20_000);
      await page.locator('[data-screen="home"]').waitFor();
    } finally {
      await session.close();
    }
  });
});

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  type CallParty,
  type CallWorld,
  type ChromiumSession,
  enrolKioskPage,
  enrolmentLinkFor,
  findVideoParties,
  type KioskSummary,
  launchChromium,
  makeHomeForQuickCalls,
  type StaffClient,
  signInParentPage,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import {
  dispose,
  LocalVideoTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from '@livekit/rtc-node';
import type { Page } from 'playwright-core';

/** Joins measured on the kiosk; the median is reported. */
const JOIN_RUNS = 5;
/** Cold loads of the parents' page on the slow network; the median is reported. */
const USABLE_RUNS = 3;
/** The slow network: 400 kbit/s each way, 400 ms round trip (Chromium DevTools' emulation). */
const SLOW_NETWORK = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
const KB = 1024;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** A built app's JavaScript: gzip -9 size of every chunk, and which chunks each one imports statically. */
interface BuiltApp {
  gzipBytes: Map<string, number>;
  staticImports: Map<string, string[]>;
  /** The chunks the HTML names (entry script and module preloads). */
  htmlChunks: string[];
}

async function readBuiltApp(distDir: string, base: string): Promise<BuiltApp> {
  const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
  const htmlChunks = [...html.matchAll(new RegExp(`(?:src|href)="${base}assets/([^"]+\\.js)"`, 'g'))].map((m) => m[1]!);
  const gzipBytes = new Map<string, number>();
  const staticImports = new Map<string, string[]>();
  for (const file of await readdir(path.join(distDir, 'assets'))) {
    if (!file.endsWith('.js')) continue;
    const source = await readFile(path.join(distDir, 'assets', file));
    gzipBytes.set(file, gzipSync(source, { level: 9 }).length);
    // Minified static imports and re-exports: `import{a as b}from"./x.js"`, `import"./x.js"` (never `import(`).
    const text = source.toString('utf8');
    staticImports.set(
      file,
      [...text.matchAll(/(?:import|export)\s*(?:[\w*$,{}\s]*?from\s*)?["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]!),
    );
  }
  return { gzipBytes, staticImports, htmlChunks };
}

/** Every chunk `roots` load before running: themselves and their static imports, transitively. */
function closureOf(app: BuiltApp, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of app.staticImports.get(file) ?? []) visit(next);
  };
  for (const root of roots) visit(root);
  return seen;
}

function kbOf(app: BuiltApp, files: Iterable<string>): number {
  let bytes = 0;
  for (const file of files) bytes += app.gzipBytes.get(file) ?? 0;
  return bytes / KB;
}

/** The sizes the budgets are about. */
async function measureBundles(appsDir: string) {
  const family = await readBuiltApp(path.join(appsDir, 'family/dist'), '/family/');
  const kiosk = await readBuiltApp(path.join(appsDir, 'kiosk/dist'), '/kiosk/');
  const familyInitial = closureOf(family, family.htmlChunks);
  const callChunk = [...family.gzipBytes.keys()].find((file) => file.includes('call-screen'));
  if (!callChunk) throw new Error('the family page has no call-screen chunk');
  const familyCall = [...closureOf(family, [callChunk])].filter((file) => !familyInitial.has(file));
  const kioskInitial = closureOf(kiosk, kiosk.htmlChunks);
  // The console's first screen: the shell (sign-in included) and the landing screen it loads at once.
  const console_ = await readBuiltApp(path.join(appsDir, 'console/dist'), '/console/');
  const landingChunk = [...console_.gzipBytes.keys()].find((file) => file.startsWith('today-screen'));
  if (!landingChunk) throw new Error('the console has no today-screen chunk');
  const consoleInitial = closureOf(console_, [...console_.htmlChunks, landingChunk]);
  return {
    familyInitialKb: kbOf(family, familyInitial),
    familyCallKb: kbOf(family, familyCall),
    // Everything the kiosk loads through a call: its first screen and, on the first tap, LiveKit.
    kioskKb: kbOf(kiosk, kiosk.gzipBytes.keys()),
    kioskInitialKb: kbOf(kiosk, kioskInitial),
    consoleInitialKb: kbOf(console_, consoleInitial),
  };
}

/**
 * A parent already in the room from another client, publishing a camera (a moving picture at 30 frames a second),
 * with the join token the family page itself gets from the server.
 */
async function parentInRoom(world: CallWorld, linkUrl: string, bookingId: string): Promise<() => Promise<void>> {
  const post = async (pathname: string, body: unknown, token?: string) => {
    const res = await fetch(`${world.webUrl}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Family ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${pathname} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const linkToken = linkUrl.split('/').pop()!;
  const { deviceToken } = (await post('/api/family/enrol', { token: linkToken })) as { deviceToken: string };
  const join = (await post(`/api/family/calls/${bookingId}/join`, {}, deviceToken)) as { url: string; token: string };
  const room = new Room();
  await room.connect(join.url, join.token, { autoSubscribe: false, dynacast: false });
  const width = 640;
  const height = 360;
  const source = new VideoSource(width, height);
  const track = LocalVideoTrack.createVideoTrack('camera', source);
  await room.localParticipant!.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA }));
  const pixels = new Uint8Array(width * height * 4);
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    // A bright bar moving across a dark picture: every frame differs, as a camera's do.
    pixels.fill(40);
    const x = (tick * 8) % width;
    for (let y = 0; y < height; y += 1)
      pixels.fill(230, (y * width + x) * 4, (y * width + Math.min(width, x + 40)) * 4);
    source.captureFrame(new VideoFrame(pixels, width, height, VideoBufferType.RGBA));
  }, 33);
  return async () => {
    clearInterval(timer);
    await room.disconnect();
    await source.close();
  };
}

/**
 * In-page script: notes when the call button is tapped (`tapAt`) and, after that, the first animation frame at
 * which the remote video has decoded a frame (`frameAt`), both on the page's own clock. A string, so that it
 * reaches the page exactly as written.
 */
const MARK_TAP_TO_FRAME = `
  document.addEventListener('click', (event) => {
    if (event.target.closest('.call-button')) window.tapAt = performance.now();
  }, { capture: true, once: true });
  requestAnimationFrame(function watch() {
    const video = document.querySelector('[data-testid="remote-video"]');
    if (window.tapAt !== undefined && video && video.getVideoPlaybackQuality().totalVideoFrames > 0) {
      window.frameAt = performance.now();
      return;
    }
    requestAnimationFrame(watch);
  });
`;

/**
 * In-page script run before the page's own: notes (`usableAt`, milliseconds since navigation start) when the
 * next-call text is first on screen.
 */
const MARK_USABLE = `
  new MutationObserver(() => {
    const next = document.querySelector('[data-testid="next-call"]');
    if (window.usableAt === undefined && next && next.textContent && next.checkVisibility()) {
      window.usableAt = performance.now();
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
`;

/** Milliseconds from the tap on the kiosk's call button to the first decoded frame of the parent's video. */
async function measureJoin(page: Page, world: CallWorld, childId: string): Promise<number> {
  await page.goto(`${world.webUrl}/kiosk/`);
  await page.locator(`.tile[data-child="${childId}"]`).click();
  await page.locator('[data-screen="ready"] .call-button').waitFor();
  await page.evaluate(MARK_TAP_TO_FRAME);
  await page.locator('.call-button').click();
  await page.waitForFunction(() => (window as unknown as { frameAt?: number }).frameAt !== undefined, undefined, {
    timeout: 30_000,
  });
  const ms = await page.evaluate(() => {
    const marks = window as unknown as { tapAt: number; frameAt: number };
    return marks.frameAt - marks.tapAt;
  });
  await page.getByRole('button', { name: '挂断' }).click();
  await page.locator('[data-screen="mood"]').waitFor();
  return ms;
}

/**
 * Milliseconds from navigation start until the signed-in parent's page shows the next call, on the slow network,
 * with an empty cache and no open connection to the server (a parent opening the saved page after a while).
 */
async function measureFamilyUsable(session: ChromiumSession, world: CallWorld): Promise<number> {
  const page = await session.context.newPage();
  try {
    const cdp = await session.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
    await world.closeIdleConnections();
    await page.addInitScript(MARK_USABLE);
    await page.goto(`${world.webUrl}/family/`, { waitUntil: 'commit', timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as { usableAt?: number }).usableAt !== undefined, undefined, {
      timeout: 60_000,
    });
    return page.evaluate(() => (window as unknown as { usableAt: number }).usableAt);
  } finally {
    await page.close();
  }
}

/**
 * In-page script: notes (`boardSeenAt[bookingId]`, epoch milliseconds) when each call card is first on the board,
 * by the booking it shows.
 */
const MARK_BOARD_CARDS = `
  window.boardSeenAt = {};
  const note = () => {
    for (const card of document.querySelectorAll('[data-booking-id]')) {
      const id = card.getAttribute('data-booking-id');
      if (!(id in window.boardSeenAt)) window.boardSeenAt[id] = Date.now();
    }
  };
  note();
  new MutationObserver(note).observe(document, { childList: true, subtree: true, attributes: true });
`;

/**
 * Enrols every kiosk of the Home as a device through the API (an admin's code, then the kiosk's own enrol call):
 * a Home books calls only on enrolled kiosks, and the demo Home's are not enrolled yet.
 */
async function enrolEveryKiosk(world: CallWorld, admin: StaffClient): Promise<void> {
  const { items } = await admin.json<{ items: { id: string }[] }>('/api/kiosks');
  for (const kiosk of items) {
    const { enrolmentCode } = await admin.json<{ enrolmentCode: string }>(`/api/kiosks/${kiosk.id}/enrolment-code`, {
      method: 'POST',
      status: 200,
    });
    const res = await fetch(`${world.webUrl}/api/kiosk/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: enrolmentCode }),
    });
    if (!res.ok) throw new Error(`kiosk enrolment answered ${res.status}`);
  }
}

/** Bookings made while the board is open; the median delay is reported. */
const BOARD_RUNS = 3;

/**
 * Milliseconds from each booking made through the API to its call card on the duty teacher's board, open and live
 * in Chromium beforehand (the server-sent event stream, not a reload or a poll): first a "call now" for the first
 * party, then a booking later today for each other one.
 */
async function measureBoardUpdates(
  world: CallWorld,
  admin: StaffClient,
  parties: readonly CallParty[],
): Promise<number[]> {
  const zh = CATALOGS['zh-CN'];
  const session = await launchChromium({ viewport: { width: 1366, height: 768 } });
  try {
    const page = await session.context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${world.webUrl}/console/#/today`);
    await page.getByLabel(zh['console.signin.login'], { exact: true }).fill('admin');
    await page.getByLabel(zh['console.signin.password'], { exact: true }).fill('qinqing-admin');
    await page.getByRole('button', { name: zh['console.signin.submit'] }).click();
    await page.locator('.board-mode[data-mode="live"]').waitFor();
    await page.evaluate(MARK_BOARD_CARDS);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const delays: number[] = [];
    for (const [index, party] of parties.entries()) {
      const { household, contact, child } = party;
      let start: string | undefined;
      if (index > 0) {
        const { slots } = await admin.json<{ slots: { start: string; inHomeZone: { date: string } }[] }>(
          `/api/bookings/available-slots?householdId=${household.id}&contactId=${contact.id}&anyTime=true`,
        );
        start = slots.find((slot) => slot.inHomeZone.date === today)?.start;
        // Too late in the day for another call today: the board would not show it.
        if (!start) break;
      }
      const madeAt = Date.now();
      const booking = start
        ? await admin.json<{ id: string }>('/api/bookings', {
            method: 'POST',
            json: { householdId: household.id, contactId: contact.id, start },
            status: 201,
          })
        : await admin.json<{ id: string }>('/api/bookings/adhoc', {
            method: 'POST',
            json: { householdId: household.id, contactId: contact.id, childIds: [child.id] },
            status: 201,
          });
      const seenAt = await page.waitForFunction(
        (id) => (window as unknown as { boardSeenAt: Record<string, number> }).boardSeenAt[id],
        booking.id,
        { timeout: 30_000 },
      );
      delays.push(((await seenAt.jsonValue()) as number) - madeAt);
    }
    return delays;
  } finally {
    await session.close();
  }
}

/**
 * The web apps' weight and speed on the real server with its workers, a real LiveKit and Chromium with a fake
 * camera: gzip JS of each app's first screen and of the parents' call chunk; the kiosk's tap-to-first-frame with the
 * parent already in the room (loopback); the parents' page until the next call shows, on a slow mobile network.
 */
export default async function webBench(): Promise<Record<string, unknown>> {
  const world = await startCallWorld({ apps: ['kiosk', 'family', 'console'] });
  const sessions: ChromiumSession[] = [];
  const leave: (() => Promise<void>)[] = [];
  try {
    const sizes = await measureBundles(world.appsDir);
    console.log(
      `gzip JS: family first screen ${round1(sizes.familyInitialKb)} kB, family call chunk ${round1(sizes.familyCallKb)} kB, ` +
        `kiosk first screen ${round1(sizes.kioskInitialKb)} kB, kiosk with LiveKit ${round1(sizes.kioskKb)} kB, ` +
        `console first screen ${round1(sizes.consoleInitialKb)} kB`,
    );

    const admin = await world.signIn('admin', 'qinqing-admin');
    // Fifteen-minute calls: the measured call stays open for the whole benchmark.
    await makeHomeForQuickCalls(admin, 15);
    await enrolEveryKiosk(world, admin);
    const [party, ...boardParties] = await findVideoParties(admin, 1 + BOARD_RUNS);
    const booking = await admin.json<{ id: string; kioskId: string }>('/api/bookings/adhoc', {
      method: 'POST',
      json: { householdId: party!.household.id, contactId: party!.contact.id, childIds: [party!.child.id] },
      status: 201,
    });
    // The child calls from the kiosk the call was booked on.
    const kiosks = (await admin.json<{ items: KioskSummary[] }>('/api/kiosks')).items;
    const kiosk = kiosks.find((k) => k.id === booking.kioskId)!;
    leave.push(await parentInRoom(world, await enrolmentLinkFor(admin, party!.contact.id), booking.id));

    const kioskSession = await launchChromium({ viewport: { width: 1280, height: 800 } });
    sessions.push(kioskSession);
    const kioskPage = await kioskSession.context.newPage();
    kioskPage.setDefaultTimeout(30_000);
    await enrolKioskPage(world, admin, kiosk, kioskPage);
    const joins: number[] = [];
    for (let run = 0; run < JOIN_RUNS; run += 1) joins.push(await measureJoin(kioskPage, world, party!.child.id));
    console.log(`kiosk tap to first remote frame: ${joins.map((ms) => Math.round(ms)).join(', ')} ms`);
    await kioskSession.close();
    sessions.splice(sessions.indexOf(kioskSession), 1);

    const parentSession = await launchChromium({ viewport: { width: 390, height: 844 } });
    sessions.push(parentSession);
    const signIn = await parentSession.context.newPage();
    await signInParentPage(admin, party!.contact, signIn);
    await signIn.close();
    const usable: number[] = [];
    for (let run = 0; run < USABLE_RUNS; run += 1) usable.push(await measureFamilyUsable(parentSession, world));
    console.log(`parents' page usable on 400 kbit/s, 400 ms RTT: ${usable.map((ms) => Math.round(ms)).join(', ')} ms`);

    const boardUpdates = await measureBoardUpdates(world, admin, boardParties);
    console.log(`board shows a call made through the API after: ${boardUpdates.join(', ')} ms`);

    return {
      familyInitialKb: round1(sizes.familyInitialKb),
      familyCallKb: round1(sizes.familyCallKb),
      kioskKb: round1(sizes.kioskKb),
      joinMs: Math.round(median(joins)),
      familyUsableMs: Math.round(median(usable)),
      consoleInitialKb: round1(sizes.consoleInitialKb),
      boardUpdateMs: Math.round(median(boardUpdates)),
    };
  } finally {
    for (const stop of leave) await stop().catch(() => undefined);
    await dispose();
    for (const session of sessions) await session.close().catch(() => undefined);
    await world.close();
  }
}

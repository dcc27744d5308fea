import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createBooking, createChild, createContact, createHousehold, schema, updateContact } from '@affection/db';
import { type ApiWorld, CHROMIUM_ARGS, createApiWorld, ScreenAudit, testEnv } from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';
import { hashToken } from '../../apps/server/src/auth/tokens.ts';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const MINUTE = 60_000;
/** The kiosk's first screen (its HTML's scripts and what they import at once), gzipped: the same budget as the parents' page. */
const KIOSK_INITIAL_JS_BUDGET_BYTES = 75 * 1024;
/** A sample block's loudness (RMS) above which the kiosk is heard: the clips are levelled to -1 dBFS. */
const HEARD_RMS = 0.005;
const clipManifest = JSON.parse(await readFile(path.join(root, 'apps/kiosk/src/audio/clips.zh-CN.json'), 'utf8')) as {
  clips: Record<string, { text: string; durationMs: number }>;
};

/** One block of what the page sent to its loudspeaker: when it plays (context seconds) and how loud. */
interface HeardBlock {
  t: number;
  rms: number;
}

/**
 * Taps the page's sound where it leaves: every node the page's own code connects to an AudioContext's
 * destination is also connected to a recorder that notes the loudness of each block of samples.
 */
function tapTheLoudspeaker(): void {
  const heard: { t: number; rms: number }[] = [];
  (window as unknown as { __heard: typeof heard }).__heard = heard;
  const recorders = new WeakMap<BaseAudioContext, ScriptProcessorNode>();
  const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
  AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
    const result = connect.apply(this, args);
    const target = args[0];
    if (target instanceof AudioDestinationNode) {
      let recorder = recorders.get(target.context);
      if (!recorder) {
        recorder = target.context.createScriptProcessor(1024, 1, 1);
        recorder.onaudioprocess = (event) => {
          const samples = event.inputBuffer.getChannelData(0);
          let sum = 0;
          for (const sample of samples) sum += sample * sample;
          heard.push({ t: event.playbackTime, rms: Math.sqrt(sum / samples.length) });
        };
        connect.call(recorder, target);
        recorders.set(target.context, recorder);
      }
      connect.call(this, recorder);
    }
    return result;
  } as typeof AudioNode.prototype.connect;
}

/** From the first to the last heard block (ms), once the page has been quiet for half a second after a sound. */
async function heardSpanMs(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    (threshold) => {
      const heard = (window as unknown as { __heard?: HeardBlock[] }).__heard ?? [];
      const loud = heard.filter((block) => block.rms > threshold);
      const last = heard.at(-1);
      if (loud.length === 0 || !last || last.t - loud.at(-1)!.t < 0.5) return null;
      // A block's time is its start: the span runs to the end of the last loud block.
      return (loud.at(-1)!.t + 1024 / 48_000 - loud[0]!.t) * 1000;
    },
    HEARD_RMS,
    { timeout: 20_000 },
  );
  return (await handle.jsonValue()) as number;
}

async function heardLoudBlocks(page: Page): Promise<number> {
  return page.evaluate(
    (threshold) =>
      ((window as unknown as { __heard?: HeardBlock[] }).__heard ?? []).filter((b) => b.rms > threshold).length,
    HEARD_RMS,
  );
}

/** gzip -9 bytes of the built kiosk's first screen: the scripts its HTML names and their static imports. */
async function firstScreenBytes(distDir: string): Promise<number> {
  const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
  const pending = [...html.matchAll(/(?:src|href)="\/kiosk\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  let bytes = 0;
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(path.join(distDir, 'assets', file));
    bytes += gzipSync(source, { level: 9 }).length;
    const text = source.toString('utf8');
    for (const m of text.matchAll(/(?:import|export)\s*(?:[\w*$,{}\s]*?from\s*)?["']\.\/([\w.-]+\.js)["']/g)) {
      pending.push(m[1]!);
    }
  }
  return bytes;
}

describe('the kiosk speaks from recorded clips, shows photos and knows which kiosk it is (Chromium, served app)', () => {
  let world: ApiWorld;
  let server: ServerType;
  let baseUrl: string;
  let appsDir: string;
  let profile: string;
  let browser: BrowserContext;
  const audit = new ScreenAudit(artifacts);
  /** The kiosk in the browser: Home A's second kiosk, named 2号机, with a third one of the same name. */
  let here: { id: string; deviceToken: string };
  let sameName: { id: string };
  const bookings: string[] = [];
  let withPhoto: string;
  let withoutPhoto: string;
  let elsewhereChild: string;
  let sameNameChild: string;

  beforeAll(async () => {
    appsDir = await mkdtemp(path.join(os.tmpdir(), 'affection-kiosk-voice-'));
    const kioskDir = path.join(root, 'apps/kiosk');
    await build({
      root: kioskDir,
      configFile: path.join(kioskDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: path.join(appsDir, 'kiosk/dist'), emptyOutDir: true },
    });
    await mkdir(path.join(appsDir, 'family/dist'), { recursive: true });
    await mkdir(path.join(appsDir, 'console/dist'), { recursive: true });
    world = await createApiWorld('pglite');
    const app = createApp({ ...world.services, now: () => new Date() }, { appsDir });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Browsers keep a page silent until a person touches it: this browser does too (the other browser
    // tests let pages play at once).
    profile = await mkdtemp(path.join(os.tmpdir(), 'affection-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: testEnv.chromiumPath,
      headless: true,
      args: [
        ...CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--autoplay-policy')),
        '--autoplay-policy=user-gesture-required',
      ],
      locale: 'zh-CN',
      viewport: { width: 1280, height: 800 },
      permissions: ['camera', 'microphone'],
    });

    world.setNow(new Date());
    await world.refreshPrincipals();
    const db = world.database.db;
    const homeId = world.a.home.id;
    // Home A has three kiosks: 一号机 (the world's), 2号机 (this browser) and another also named 2号机.
    const created = async (name: string) => {
      const res = await world.request('/api/kiosks', { method: 'POST', as: 'adminA', json: { name } });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { kiosk: { id: string }; enrolmentCode: string };
      return { id: body.kiosk.id, enrolmentCode: body.enrolmentCode };
    };
    const second = await created('2号机');
    sameName = await created('2号机');
    const enrolled = await world.request('/api/kiosk/enrol', { method: 'POST', json: { code: second.enrolmentCode } });
    expect(enrolled.status).toBe(200);
    here = { id: second.id, deviceToken: ((await enrolled.json()) as { deviceToken: string }).deviceToken };

    // 小明 has a photo (a real picture drawn in the browser), his sister 小红 has none; both on one call here.
    withPhoto = world.a.child.id;
    withoutPhoto = (
      await createChild(db, homeId, { householdId: world.a.household.id, familyName: '王', givenName: '小红' })
    ).id;
    const drawer = await browser.newPage();
    const picture = await drawer.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 240;
      canvas.height = 240;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#7ec8e3';
      g.fillRect(0, 0, 240, 240);
      g.fillStyle = '#f2c9a0';
      g.beginPath();
      g.arc(120, 130, 70, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = '#2b2b2b';
      g.beginPath();
      g.arc(95, 120, 8, 0, Math.PI * 2);
      g.arc(145, 120, 8, 0, Math.PI * 2);
      g.fill();
      g.lineWidth = 6;
      g.beginPath();
      g.arc(120, 145, 28, 0.15 * Math.PI, 0.85 * Math.PI);
      g.stroke();
      return canvas.toDataURL('image/png');
    });
    await drawer.close();
    const uploaded = await world.request(`/api/children/${withPhoto}/photo`, {
      method: 'PUT',
      as: 'teacherA',
      json: { image: picture },
    });
    expect(uploaded.status).toBe(200);

    // Two more households: one called on 一号机, one on the other 2号机.
    const household = async (family: string, given: string) => {
      const h = await createHousehold(db, homeId, { name: `${family}家` });
      const child = await createChild(db, homeId, { householdId: h.id, familyName: family, givenName: given });
      const contact = await createContact(db, homeId, {
        householdId: h.id,
        name: `${family}妈妈`,
        relation: 'mother',
        phone: `+861390000${String(1000 + bookings.length).slice(-4)}`,
      });
      const now = new Date();
      await updateContact(db, homeId, contact.id, { approvedBy: world.a.admin.id, approvedAt: now }, now);
      return { householdId: h.id, contactId: contact.id, childId: child.id };
    };
    const book = async (
      kioskId: string,
      party: { householdId: string; contactId: string; childIds: string[] },
      startsInMinutes: number,
    ) => {
      const now = new Date();
      const result = await createBooking(db, {
        homeId,
        kioskId,
        ...party,
        start: new Date(now.getTime() + startsInMinutes * MINUTE),
        end: new Date(now.getTime() + (startsInMinutes + 15) * MINUTE),
        status: 'confirmed',
        source: 'teacher',
        now,
      });
      if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
      bookings.push(result.booking.id);
    };
    await book(
      here.id,
      {
        householdId: world.a.household.id,
        contactId: world.a.contact.id,
        childIds: [withPhoto, withoutPhoto],
      },
      -1,
    );
    const elsewhere = await household('张', '小军');
    elsewhereChild = elsewhere.childId;
    await book(world.a.kiosk.id, { ...elsewhere, childIds: [elsewhere.childId] }, 10);
    const twin = await household('刘', '小丽');
    sameNameChild = twin.childId;
    await book(sameName.id, { ...twin, childIds: [twin.childId] }, 20);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await world?.close();
    if (appsDir) await rm(appsDir, { recursive: true, force: true });
  });

  /**
   * The kiosk after a restart: enrolled already (its device token kept), the page loaded without a touch,
   * its loudspeaker tapped; `before` runs in the page before any of its own code.
   */
  async function restartedKiosk(viewport: { width: number; height: number }, before?: () => void): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize(viewport);
    await page.addInitScript(tapTheLoudspeaker);
    if (before) await page.addInitScript(before);
    await page.goto(`${baseUrl}/healthz`);
    await page.evaluate((token) => {
      localStorage.clear();
      localStorage.setItem('affection.kiosk.deviceToken', token);
    }, here.deviceToken);
    await page.goto(`${baseUrl}/kiosk/`);
    await page.locator(`.tile[data-child="${withPhoto}"]`).waitFor();
    return page;
  }

  it('stays silent until the first tap, then plays the recorded prompt through Web Audio', async () => {
    const clips: string[] = [];
    const page = await restartedKiosk({ width: 1280, height: 800 });
    page.on('request', (request) => {
      const match = /\/kiosk\/audio\/zh-CN\/([^/]+)\.mp3$/.exec(new URL(request.url()).pathname);
      if (match) clips.push(decodeURIComponent(match[1]!));
    });
    // The tiles are up and the tagline is due, but no one has touched the kiosk: nothing is fetched or heard.
    await page.locator('.corner__name', { hasText: '本机：2号机' }).waitFor();
    expect(await page.evaluate(() => document.querySelector('.corner')?.getAttribute('data-audio'))).toBe('locked');
    expect(clips).toEqual([]);
    expect(await heardLoudBlocks(page)).toBe(0);

    // The first tap (on 小明's photo) starts the sound: the ready screen's prompt plays from its clip. The name
    // is the speech engine's, which this browser has no Mandarin voice for: the clip plays without it.
    await page.locator(`.tile[data-child="${withPhoto}"]`).click();
    await page.getByRole('button', { name: '给妈妈打电话' }).waitFor();
    const span = await heardSpanMs(page);
    const clip = 'kiosk.ready.spoken.mother.after-name';
    expect(clips).toEqual([clip]);
    const recorded = clipManifest.clips[clip]!;
    expect(recorded.text).toBe('点绿色的按钮，给妈妈打电话');
    // What left the loudspeaker lasted as long as the clip's speech (to a block or two of samples).
    expect(Math.abs(span - recorded.durationMs)).toBeLessThan(150);
    expect(await page.evaluate(() => document.querySelector('.corner')?.getAttribute('data-audio'))).toBe('ok');
    // The ready screen shows the child's photo too.
    await page.locator('.ready .avatar[data-photo="shown"] img').waitFor();
    expect(await audit.check(page, 'kiosk-voice-ready-1280')).toEqual([]);

    // Back on the photo wall, the next prompt needs no new tap.
    clips.length = 0;
    await page.getByRole('button', { name: '返回' }).click();
    await page.locator('[data-screen="home"]').waitFor();
    await page.locator(`.tile[data-child="${elsewhereChild}"]`).click();
    const wait = await page.locator('.ready__wait').textContent();
    const minutes = /还有(\d+)分钟/.exec(wait ?? '')?.[1];
    expect(minutes).toBeDefined();
    // The photo wall said its tagline again as it came back; the tap cut it short for the wait.
    await expect.poll(() => clips).toEqual(['kiosk.tagline', `kiosk.ready.wait.${minutes}`]);
    expect(await heardSpanMs(page)).toBeGreaterThan(0);
    await page.close();
  }, 60_000);

  it('gives the speech engine only the child’s name, where it has a Mandarin voice, and the clip the rest', async () => {
    const clips: string[] = [];
    const page = await restartedKiosk({ width: 1280, height: 800 }, () => {
      // A tablet whose browser has a Mandarin voice: the engine notes what it is given and finishes it.
      const said: string[] = [];
      (window as unknown as { __said: string[] }).__said = said;
      class Utterance extends EventTarget {
        voice: unknown = null;
        lang = '';
        rate = 1;
        constructor(readonly text: string) {
          super();
        }
      }
      const voice = { name: '普通话', lang: 'zh-CN', default: true, localService: true, voiceURI: 'zh' };
      const engine = {
        getVoices: () => [voice],
        cancel: () => {},
        speak: (utterance: Utterance) => {
          said.push(utterance.text);
          setTimeout(() => utterance.dispatchEvent(new Event('end')), 200);
        },
      };
      Object.defineProperty(window, 'speechSynthesis', { value: engine, configurable: true });
      Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
    });
    page.on('request', (request) => {
      const match = /\/kiosk\/audio\/zh-CN\/([^/]+)\.mp3$/.exec(new URL(request.url()).pathname);
      if (match) clips.push(decodeURIComponent(match[1]!));
    });
    await page.locator(`.tile[data-child="${withoutPhoto}"]`).click();
    await page.getByRole('button', { name: '给妈妈打电话' }).waitFor();
    const span = await heardSpanMs(page);
    expect(await page.evaluate(() => (window as unknown as { __said: string[] }).__said)).toEqual(['小红']);
    expect(clips).toEqual(['kiosk.ready.spoken.mother.after-name']);
    expect(Math.abs(span - clipManifest.clips['kiosk.ready.spoken.mother.after-name']!.durationMs)).toBeLessThan(150);
    await page.close();
  }, 60_000);

  it('shows the photo of a child who has one and the initials of one who has none, and never sends a child to the kiosk they are at', async () => {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 1024, height: 768 },
    ]) {
      const page = await restartedKiosk(viewport);
      const photoTile = page.locator(`.tile[data-child="${withPhoto}"]`);
      await photoTile.locator('.avatar[data-photo="shown"] img').waitFor();
      expect(await photoTile.locator('.tile__name').textContent()).toBe('小明');
      const initialsTile = page.locator(`.tile[data-child="${withoutPhoto}"]`);
      expect(await initialsTile.locator('.avatar').getAttribute('data-photo')).toBe('none');
      expect(await initialsTile.locator('.avatar').textContent()).toBe('小红');
      expect(await initialsTile.locator('img').count()).toBe(0);

      // The call on this kiosk says nothing of where to go; the others name their kiosk, by id.
      await page.locator(`.tile[data-child="${sameNameChild}"]`).waitFor();
      for (const child of [withPhoto, withoutPhoto]) {
        expect(await page.locator(`.tile[data-child="${child}"] .tile__where`).count()).toBe(0);
      }
      expect(await page.locator(`.tile[data-child="${elsewhereChild}"] .tile__where`).textContent()).toBe('请到一号机');
      // The other kiosk has this one's name: the tile cannot say "请到2号机" here, it says "the other one".
      expect(await page.locator(`.tile[data-child="${sameNameChild}"] .tile__where`).textContent()).toBe(
        '请到另一台亲情电话',
      );
      const texts = await page.locator('main').allTextContents();
      expect(texts.join('\n')).not.toContain('请到2号机');
      expect(await page.locator('.corner__name').textContent()).toBe('本机：2号机');
      expect(
        await page.evaluate(
          () =>
            document.documentElement.scrollWidth <= window.innerWidth &&
            [...document.querySelectorAll('.tile')].every((tile) => {
              const box = tile.getBoundingClientRect();
              return box.width >= 88 && box.height >= 88;
            }),
        ),
      ).toBe(true);
      expect(await audit.check(page, `kiosk-voice-home-${viewport.width}`)).toEqual([]);
      await page.close();
    }
    // Home B's kiosk reads none of Home A's photos or calls.
    const kioskBToken = `kiosk-b-${Math.random().toString(36).slice(2)}`;
    await world.database.db
      .update(schema.kiosks)
      .set({ revokedAt: null, enrolledAt: new Date(), deviceTokenHash: hashToken(kioskBToken) })
      .where(eq(schema.kiosks.id, world.b.kiosk.id));
    const asKioskB = { headers: { authorization: `Kiosk ${kioskBToken}` } };
    expect((await world.request(`/api/kiosk/calls`, asKioskB)).status).toBe(200);
    expect((await world.request(`/api/kiosk/children/${withPhoto}/photo`, asKioskB)).status).toBe(404);
    const callsB = (await (await world.request('/api/kiosk/calls', asKioskB)).json()) as {
      calls: { bookingId: string }[];
    };
    expect(callsB.calls.filter((call) => bookings.includes(call.bookingId))).toEqual([]);
  }, 60_000);

  it('flags it for the teacher when the kiosk cannot play sound', async () => {
    const page = await restartedKiosk({ width: 1024, height: 768 }, () => {
      // A tablet with no sound device: the browser cannot make an AudioContext.
      const NoSound = () => {
        throw new DOMException('No audio output device', 'NotSupportedError');
      };
      Object.defineProperty(window, 'AudioContext', { value: NoSound, configurable: true });
    });
    expect(await page.locator('.corner__flag').count()).toBe(0);
    await page.locator(`.tile[data-child="${withPhoto}"]`).click();
    const flag = page.locator('.corner__flag');
    await flag.waitFor();
    expect(await flag.textContent()).toBe('没有声音，请老师检查音箱');
    // The child can still call: the words are on the screen.
    await page.getByRole('button', { name: '给妈妈打电话' }).waitFor();
    expect(await audit.check(page, 'kiosk-voice-no-sound-1024')).toEqual([]);
    await page.close();
  }, 60_000);

  it('flags it too when the sound stays stopped after a tap, and not before the tap', async () => {
    const page = await restartedKiosk({ width: 1280, height: 800 }, () => {
      // A browser that makes the context but never lets it play (no output it can open).
      const Real = window.AudioContext;
      class Stopped extends Real {
        constructor(options?: AudioContextOptions) {
          super(options);
          void super.suspend();
        }
        override resume(): Promise<void> {
          return new Promise(() => {});
        }
      }
      Object.defineProperty(window, 'AudioContext', { value: Stopped, configurable: true });
    });
    expect(await page.locator('.corner').getAttribute('data-audio')).toBe('locked');
    await page.locator('.home__header').click();
    await page.locator('.corner[data-audio="no-output"] .corner__flag').waitFor();
    expect(await heardLoudBlocks(page)).toBe(0);
    await page.close();
  }, 60_000);

  it('keeps the kiosk’s first screen within its budget, the clips outside the scripts', async () => {
    const dist = path.join(appsDir, 'kiosk/dist');
    const bytes = await firstScreenBytes(dist);
    console.log(`kiosk first screen: ${(bytes / 1024).toFixed(1)} kB gzip`);
    expect(bytes).toBeLessThanOrEqual(KIOSK_INITIAL_JS_BUDGET_BYTES);
    const shipped = await readdir(path.join(dist, 'audio/zh-CN'));
    expect(shipped.sort()).toEqual(
      Object.keys(clipManifest.clips)
        .map((id) => `${id}.mp3`)
        .sort(),
    );
  });
});

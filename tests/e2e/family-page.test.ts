import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Contact } from '@affection/core';
import { createBooking, createContact, getVoicePinStatus, listOutgoingSmsOfHome, updateContact } from '@affection/db';
import { LivekitCallRooms } from '@affection/telephony';
import {
  type ApiWorld,
  buildWebApps,
  type ChromiumSession,
  createApiWorld,
  getFreeTcpPort,
  hasNoSideScroll,
  type LivekitServer,
  launchChromium,
  pageTexts,
  ScreenAudit,
  startLivekit,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';
import { checkVoicePin } from '../../apps/server/src/auth/voice-pin.ts';
import { settleFamilyCodeDeliveries } from '../../apps/server/src/routes/family/deliver-family-code.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const MINUTE = 60_000;
/** The parents' page's budget for the JavaScript of its first screen, gzipped. */
const INITIAL_JS_BUDGET_BYTES = 75 * 1024;
const PHONE_VIEWPORT = { width: 390, height: 844 };
/** A cheap Android phone: the screens added for it are looked at (and audited) at this size. */
const SMALL_PHONE_VIEWPORT = { width: 360, height: 740 };
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 12; V2134A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230504 MicroMessenger/8.0.37.2380(0x2800255B) ' +
  'WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';
const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** The date, weekday and time an instant reads as in a zone. */
function wallClock(instant: Date, zone: string): { date: string; weekday: number; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday ?? '') + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, time: `${parts.hour}:${parts.minute}` };
}

/** The gzipped size of the JavaScript the built page loads first, and of every other chunk. */
async function measureBundle(distDir: string): Promise<{ initialGzipBytes: number; chunks: Record<string, number> }> {
  const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/family\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const chunks: Record<string, number> = {};
  for (const file of await readdir(path.join(distDir, 'assets'))) {
    if (!file.endsWith('.js')) continue;
    chunks[`assets/${file}`] = gzipSync(await readFile(path.join(distDir, 'assets', file)), { level: 9 }).length;
  }
  return { initialGzipBytes: initial.reduce((sum, file) => sum + (chunks[file] ?? 0), 0), chunks };
}

describe('the parents’ page in Chromium, served by the real server', () => {
  let world: ApiWorld;
  let livekit: LivekitServer;
  let server: ServerType;
  let baseUrl: string;
  let buildDir: string;
  let start: Date;
  let serial = 0;
  const sessions: ChromiumSession[] = [];

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    // This checkout's page, built for production into a folder of our own, so that the test serves exactly the code
    // under test and never races another build of apps/family/dist.
    buildDir = await mkdtemp(path.join(os.tmpdir(), 'affection-family-e2e-'));
    await buildWebApps(buildDir, ['family']);
    livekit = await startLivekit();
    const port = await getFreeTcpPort();
    world = await createApiWorld('pglite', {
      publicUrl: `http://127.0.0.1:${port}`,
      callRooms: new LivekitCallRooms({ url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret }),
      livekitClientUrl: livekit.wsUrl,
    });
    start = world.services.now();
    const app = createApp(world.services, { appsDir: buildDir });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await world?.close();
    await livekit?.stop();
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    // Every browser request comes from 127.0.0.1: start each journey with fresh try counts.
    await world.services.redis.flushdb();
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
    world.setNow(start);
  });

  async function newPage(userAgent?: string, viewport = PHONE_VIEWPORT): Promise<Page> {
    const session = await launchChromium({ viewport });
    sessions.push(session);
    const page = await session.context.newPage();
    if (userAgent) {
      const cdp = await session.context.newCDPSession(page);
      await cdp.send('Network.setUserAgentOverride', { userAgent, acceptLanguage: 'zh-CN' });
    }
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(artifacts, `family-${name}.png`), fullPage: true });
  }

  /** A new approved contact of Home A's household (the child is 小明). */
  async function addContact(fields: Partial<Pick<Contact, 'timeZone' | 'name'>> = {}): Promise<Contact> {
    serial += 1;
    const db = world.database.db;
    const contact = await createContact(db, world.a.home.id, {
      householdId: world.a.household.id,
      name: fields.name ?? '王建国',
      relation: 'father',
      phone: `+86136${String(20_000_000 + serial * 7_919).padStart(8, '0')}`,
      ...(fields.timeZone ? { timeZone: fields.timeZone } : {}),
    });
    return (await updateContact(
      db,
      world.a.home.id,
      contact.id,
      { approvedBy: world.a.admin.id, approvedAt: start },
      start,
    ))!;
  }

  async function enrolmentUrl(contactId: string, validDays?: number): Promise<string> {
    const res = await world.request(`/api/contacts/${contactId}/enrolment-link`, {
      as: 'teacherA',
      json: validDays ? { validDays } : {},
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { url: string }).url;
  }

  async function book(contactId: string, startsIn: number): Promise<{ id: string; start: Date }> {
    const begin = new Date(start.getTime() + startsIn);
    const result = await createBooking(world.database.db, {
      homeId: world.a.home.id,
      kioskId: world.a.kiosk.id,
      householdId: world.a.household.id,
      contactId,
      childIds: [world.a.child.id],
      start: begin,
      end: new Date(begin.getTime() + 15 * MINUTE),
      status: 'confirmed',
      source: 'teacher',
      now: start,
    });
    if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
    return result.booking;
  }

  async function codeSentTo(phone: string): Promise<string> {
    const { items } = await listOutgoingSmsOfHome(world.database.db, world.a.home.id, { limit: 100, offset: 0 });
    const code = /验证码(\d{6})/.exec(items.find((sms) => sms.toPhone === phone)?.body ?? '')?.[1];
    if (!code) throw new Error('no code in the outbox');
    return code;
  }

  it('keeps the first screen’s JavaScript under 75 kB gzip and livekit-client in the call screen’s chunk', async () => {
    const bundle = await measureBundle(path.join(buildDir, 'family/dist'));
    const callChunk = Object.entries(bundle.chunks).find(([file]) => file.includes('call-screen'));
    expect(callChunk).toBeDefined();
    const pinChunk = Object.entries(bundle.chunks).find(([file]) => file.includes('phone-pin-screen'));
    expect(pinChunk).toBeDefined();
    await writeFile(
      path.join(artifacts, 'family-bundle.json'),
      `${JSON.stringify({ initialGzipKB: bundle.initialGzipBytes / 1024, callScreenGzipKB: callChunk![1] / 1024, pinScreenGzipKB: pinChunk![1] / 1024, chunks: bundle.chunks }, null, 2)}\n`,
    );
    expect(bundle.initialGzipBytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
    const html = await readFile(path.join(buildDir, 'family/dist/index.html'), 'utf8');
    expect(html).not.toContain(pinChunk![0]);
    const callSource = await readFile(path.join(buildDir, 'family/dist', callChunk![0]), 'utf8');
    expect(callSource).toContain('livekit');
    expect((await stat(path.join(buildDir, 'family/dist/manifest.webmanifest'))).isFile()).toBe(true);
  });

  it("signs in with the contact card's link, says how to add the page to the home screen, then shows the next call in the contact's zone", async () => {
    const contact = await addContact({ timeZone: 'Europe/Madrid' });
    const booking = await book(contact.id, 26 * 60 * MINUTE);
    const url = await enrolmentUrl(contact.id);
    const page = await newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });

    await page.goto(url);
    await page.locator('[data-screen="enrolled"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('已登录，请把这个页面添加到手机桌面');
    expect(await page.locator('.how-to').textContent()).toContain('添加到主屏幕');
    expect(new URL(page.url()).pathname).toBe('/family/');
    expect(await page.evaluate(() => localStorage.getItem('affection.family.device'))).toMatch(/^[\w-]{43}$/);
    await screenshot(page, 'enrolled');

    await page.getByRole('button', { name: '好的，继续' }).click();
    await page.locator('[data-screen="home"]').waitFor();
    const local = wallClock(booking.start, 'Europe/Madrid');
    const today = wallClock(start, 'Europe/Madrid');
    const days = Math.round((Date.parse(local.date) - Date.parse(today.date)) / 86_400_000);
    const day = days === 0 ? '今天' : days === 1 ? '明天' : WEEKDAYS[local.weekday - 1];
    expect(await page.getByTestId('next-call').textContent()).toBe(
      `小明的下一次通话：${day} ${local.time}（中欧时间）`,
    );
    expect(await page.locator('h1').textContent()).toBe('王建国，您好');
    expect(await page.locator('.opens-in').textContent()).toMatch(/^通话开始前5分钟可以进入，还有.+。$/);
    expect(await page.getByRole('button', { name: '进入通话' }).count()).toBe(0);
    await screenshot(page, 'home');

    // A reload (the home-screen icon) keeps the phone signed in.
    await page.goto(`${baseUrl}/family/`);
    await page.locator('[data-screen="home"]').waitFor();
    expect(scripts.some((src) => src.includes('call-screen'))).toBe(false);
  });

  it('signs in by phone number and the SMS code (验证码)', async () => {
    const contact = await addContact({ name: '李秀兰' });
    const page = await newPage();
    await page.goto(`${baseUrl}/family/`);
    await page.locator('[data-screen="sign-in"]').waitFor();
    await screenshot(page, 'sign-in');
    await page.locator('#phone').fill(contact.phone.slice(3));
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.locator('#code').waitFor();
    expect(await page.getByRole('button', { name: /秒后可以重新发送/ }).isDisabled()).toBe(true);
    await screenshot(page, 'code');
    await page.locator('#code').fill(await codeSentTo(contact.phone));
    await page.locator('[data-screen="home"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('李秀兰，您好');
    expect(await page.getByTestId('next-call').textContent()).toContain('暂时还没有安排通话');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('[data-screen="sign-in"]').waitFor();
    expect(await page.locator('.notice').textContent()).toBe('您已退出登录。');
  });

  it('tells a parent who asks for another code too soon when the next one can be asked for', async () => {
    const contact = await addContact();
    const page = await newPage();
    await page.goto(`${baseUrl}/family/`);
    await page.locator('#phone').fill(contact.phone);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.locator('#code').waitFor();
    // Back to the number and ask again at once: the SMS provider takes 1 code a minute per number.
    await page.getByRole('button', { name: '换一个手机号' }).click();
    await page.locator('#phone').fill(contact.phone);
    await page.getByRole('button', { name: '获取验证码' }).click();
    const nextAt = new Date(world.services.now().getTime() + MINUTE).toISOString();
    const time = await page.evaluate((iso) => {
      const at = new Date(iso);
      return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
    }, nextAt);
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: `请在${time}以后再获取` }).waitFor();
    expect(await alert.textContent()).toBe(
      `这个号码刚收过验证码。短信平台规定每个号码每分钟1条、每小时5条、每天10条，请在${time}以后再获取。`,
    );
    expect(await page.locator('[data-screen="sign-in"]').count()).toBe(1);
    await settleFamilyCodeDeliveries(world.services);
    const { items } = await listOutgoingSmsOfHome(world.database.db, world.a.home.id, { limit: 100, offset: 0 });
    expect(items.filter((sms) => sms.toPhone === contact.phone)).toHaveLength(1);
    await screenshot(page, 'code-wait');
  });

  it('shows the waiting screen with the wait time after five wrong codes', async () => {
    const contact = await addContact();
    const page = await newPage();
    await page.goto(`${baseUrl}/family/`);
    await page.locator('#phone').fill(contact.phone);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.locator('#code').waitFor();
    const right = await codeSentTo(contact.phone);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let tries = 4; tries >= 1; tries -= 1) {
      await page.locator('#code').fill(wrong);
      await page
        .getByRole('alert')
        .filter({ hasText: `还能试${tries}次` })
        .waitFor();
    }
    await screenshot(page, 'code-wrong');
    await page.locator('#code').fill(wrong);
    await page.locator('[data-screen="problem-locked"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('请稍等一会儿');
    expect(await page.locator('.message').textContent()).toBe('验证码输错太多次了，这个号码暂时锁定。请15分钟后再试。');
    await screenshot(page, 'locked');
  });

  it('explains an expired QR link and offers sign-in by phone', async () => {
    const contact = await addContact();
    const url = await enrolmentUrl(contact.id, 1);
    world.setNow(new Date(start.getTime() + 2 * 24 * 60 * MINUTE));
    const page = await newPage();
    await page.goto(url);
    await page.locator('[data-screen="problem-link"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('这个二维码不能用了');
    expect(await page.locator('.message').textContent()).toContain('这个二维码已经过期了');
    await screenshot(page, 'link-expired');
    await page.getByRole('button', { name: '用手机号登录' }).click();
    await page.locator('[data-screen="sign-in"]').waitFor();
  });

  it("tells a parent in WeChat how to open the page in the phone's browser, and that the Home will ring them", async () => {
    const contact = await addContact();
    await book(contact.id, 2 * MINUTE);
    const url = await enrolmentUrl(contact.id);
    const page = await newPage(WECHAT_UA);
    await page.goto(url);
    await page.locator('[data-screen="enrolled"]').waitFor();
    expect(await page.getByTestId('in-app-notice').textContent()).toContain('在微信里打不了视频电话');
    // The link stays in the address bar, so that "open in browser" signs that browser in too.
    expect(page.url()).toBe(url);
    await page.getByRole('button', { name: '好的，继续' }).click();
    await page.locator('[data-screen="home"]').waitFor();
    const notice = await page.getByTestId('in-app-notice').textContent();
    expect(notice).toContain('点右上角的 ··· ，再选“在浏览器打开”。');
    expect(notice).toContain('到时间我们会打电话给您');
    expect(await page.locator('.open-now').count()).toBe(1);
    expect(await page.getByRole('button', { name: '进入通话' }).count()).toBe(0);
    await screenshot(page, 'wechat');

    // Reloading the link inside WeChat does not sign in yet another phone.
    const devices = async () =>
      ((await (await world.request(`/api/contacts/${contact.id}/devices`, { as: 'teacherA' })).json()) as { items: [] })
        .items.length;
    expect(await devices()).toBe(1);
    await page.reload();
    await page.locator('[data-screen="home"]').waitFor();
    expect(await devices()).toBe(1);
  });

  it('joins an open call by video, loading livekit-client only then; audio only and hang up', async () => {
    const contact = await addContact();
    const booking = await book(contact.id, 30 * MINUTE);
    const url = await enrolmentUrl(contact.id);
    world.setNow(new Date(booking.start.getTime() - 2 * MINUTE));
    const page = await newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await page.goto(url);
    await page.getByRole('button', { name: '好的，继续' }).click();
    await page.getByRole('button', { name: '进入通话' }).waitFor();
    expect(scripts.some((src) => src.includes('call-screen'))).toBe(false);

    await page.getByRole('button', { name: '进入通话' }).click();
    await page.locator('[data-screen="call"][data-status="connected"]').waitFor({ timeout: 20_000 });
    expect(scripts.some((src) => src.includes('call-screen'))).toBe(true);
    expect(await page.getByTestId('call-status').textContent()).toBe('正在等小明进来…');
    expect(await page.getByTestId('remaining').textContent()).toMatch(/^还剩1[67]分钟$/);
    await page.waitForFunction(
      () => ((document.querySelector('video.self') as HTMLVideoElement | null)?.videoWidth ?? 0) > 0,
    );
    const participants = await world.services.callRooms!.listParticipants(booking.id);
    expect(participants.map((p) => p.identity)).toContain(`parent:${contact.id}`);
    await screenshot(page, 'call');

    await page.getByText('只听声音').click();
    await page.locator('[data-screen="call"].audio-only').waitFor();
    expect(await page.locator('video.self').isHidden()).toBe(true);
    await screenshot(page, 'call-audio-only');

    await page.getByRole('button', { name: '挂断' }).click();
    await page.locator('[data-screen="home"]').waitFor();
    expect(await page.locator('.notice').textContent()).toBe('通话结束了，谢谢您！');
  });

  describe('on a small phone (360 × 740)', () => {
    const audit = new ScreenAudit(artifacts);

    /** Screenshot into the artifacts and axe-core: the screen must have no serious or critical finding. */
    async function check(page: Page, name: string): Promise<void> {
      expect(await audit.check(page, `family-${name}`)).toEqual([]);
      expect(await hasNoSideScroll(page)).toBe(true);
    }

    /**
     * Asks for a code on the page and gives back the one just texted (both Homes' messages carry the same code). The
     * world's clock stands still, so an earlier code to the same number is told apart by its message, not its time.
     */
    async function askCode(page: Page, phone: string): Promise<string> {
      const messagesTo = async () =>
        (await listOutgoingSmsOfHome(world.database.db, world.a.home.id, { limit: 100, offset: 0 })).items.filter(
          (sms) => sms.toPhone === phone,
        );
      const earlier = new Set((await messagesTo()).map((sms) => sms.id));
      await page.locator('#phone').fill(phone.slice(3));
      await page.getByRole('button', { name: '获取验证码' }).click();
      await page.locator('#code').waitFor();
      await settleFamilyCodeDeliveries(world.services);
      const fresh = (await messagesTo()).filter((sms) => !earlier.has(sms.id));
      expect(fresh).toHaveLength(1);
      const code = /验证码(\d{6})/.exec(fresh[0]!.body)?.[1];
      if (!code) throw new Error('no code in the message');
      return code;
    }

    it('lets a number registered at both Homes choose, showing only its own children, and signs in to Home B', async () => {
      const parent = await world.sharedParent();
      const page = await newPage(undefined, SMALL_PHONE_VIEWPORT);
      await page.goto(`${baseUrl}/family/`);
      await page.locator('[data-screen="sign-in"]').waitFor();
      const code = await askCode(page, parent.phone);
      await page.locator('#code').fill(code);

      await page.locator('[data-screen="choose-home"]').waitFor();
      expect(await page.locator('h1').textContent()).toBe('请选一个留守儿童之家');
      const choices = page.locator('button.choice');
      expect(await choices.allTextContents()).toEqual(
        expect.arrayContaining([`${world.a.home.name}：小雨`, `${world.b.home.name}：小山`]),
      );
      expect(await choices.count()).toBe(2);
      // The other households of both Homes (their child is 小明) are nowhere on the page, not even hidden.
      expect((await pageTexts(page)).join('\n')).not.toContain('小明');
      expect(await page.evaluate(() => localStorage.getItem('affection.family.device'))).toBeNull();
      await check(page, 'choose-home');

      await page.getByRole('button', { name: `${world.b.home.name}：小山` }).click();
      await page.locator('[data-screen="home"]').waitFor();
      expect(await page.locator('.home-name').textContent()).toBe(world.b.home.name);
      expect(await page.locator('h1').textContent()).toBe(`${parent.inB.contact.name}，您好`);
      expect((await pageTexts(page)).join('\n')).not.toContain('小雨');
      const token = await page.evaluate(() => localStorage.getItem('affection.family.device'));
      const me = await world.request('/api/family/me', { headers: { authorization: `Family ${token}` } });
      expect(((await me.json()) as { contact: { id: string } }).contact.id).toBe(parent.inB.contact.id);
      await check(page, 'home-b');
    });

    it('sends a parent whose code ran out while choosing back to the code, saying to ask for a new one', async () => {
      const parent = await world.sharedParent();
      const page = await newPage(undefined, SMALL_PHONE_VIEWPORT);
      await page.goto(`${baseUrl}/family/`);
      await page.locator('[data-screen="sign-in"]').waitFor();
      await page.locator('#code').fill(await askCode(page, parent.phone));
      await page.locator('[data-screen="choose-home"]').waitFor();
      // The code lives 10 minutes; the parent chooses 11 minutes later.
      world.setNow(new Date(world.services.now().getTime() + 11 * MINUTE));
      await page.getByRole('button', { name: `${world.a.home.name}：小雨` }).click();
      await page.getByRole('alert').filter({ hasText: '这个验证码已经用过或者过期了，请重新获取。' }).waitFor();
      expect(await page.locator('#code').inputValue()).toBe('');
      expect(await page.getByRole('button', { name: /重新发送/ }).count()).toBe(1);
      expect(await page.evaluate(() => localStorage.getItem('affection.family.device'))).toBeNull();
      await check(page, 'choose-expired');
    });

    it('sets the phone PIN (电话密码) on a screen loaded only when opened: field problems beside the fields, then saved', async () => {
      const contact = await addContact({ name: '张桂芳' });
      const url = await enrolmentUrl(contact.id);
      const page = await newPage(undefined, SMALL_PHONE_VIEWPORT);
      const scripts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      });
      await page.goto(url);
      await page.getByRole('button', { name: '好的，继续' }).click();
      await page.locator('[data-screen="home"]').waitFor();
      expect(scripts.some((src) => src.includes('phone-pin-screen'))).toBe(false);

      await page.getByRole('button', { name: '电话密码' }).click();
      await page.locator('[data-screen="pin"]').waitFor();
      expect(scripts.some((src) => src.includes('phone-pin-screen'))).toBe(true);
      expect(await page.locator('h1').textContent()).toBe('电话密码');
      expect(await page.locator('main > p').first().textContent()).toBe(
        '用电话拨打留守儿童之家的号码加入孩子的通话时，要先输入这个密码。',
      );
      const pin = page.getByLabel('新的电话密码（4到6位数字）');
      const again = page.getByLabel('再输一次');
      for (const field of [pin, again]) {
        expect(await field.getAttribute('inputmode')).toBe('numeric');
      }
      await check(page, 'pin');

      // Letters never get into the field; three digits are refused by the server, beside the field.
      await pin.pressSequentially('1a2b3');
      expect(await pin.inputValue()).toBe('123');
      await again.fill('123');
      await page.getByRole('button', { name: '保存' }).click();
      const tooShort = page.locator('#pin-error');
      await tooShort.waitFor();
      expect(await tooShort.textContent()).toBe('至少要4个字。');
      expect(await pin.getAttribute('aria-describedby')).toBe('pin-error');
      expect(await pin.getAttribute('aria-invalid')).toBe('true');
      expect(await getVoicePinStatus(world.database.db, world.a.home.id, contact.id)).toBeNull();
      await check(page, 'pin-too-short');

      // Two different PINs: said beside the second field, nothing sent.
      await pin.fill('2580');
      await again.fill('2581');
      await page.getByRole('button', { name: '保存' }).click();
      await page.locator('#pin-again-error').waitFor();
      expect(await page.locator('#pin-again-error').textContent()).toBe('两次输入的不一样，请再输一次。');
      expect(await page.locator('#pin-error').count()).toBe(0);
      expect(await getVoicePinStatus(world.database.db, world.a.home.id, contact.id)).toBeNull();

      await again.fill('2580');
      await page.getByRole('button', { name: '保存' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toBe(
        '电话密码已保存。打电话加入通话时，输入它再按井号键（#）。',
      );
      expect((await pageTexts(page)).join('\n')).not.toContain('2580');
      await check(page, 'pin-saved');
      const status = await getVoicePinStatus(world.database.db, world.a.home.id, contact.id);
      expect(status).toMatchObject({ contactId: contact.id, setByKind: 'family' });
      // The PIN stored is the one typed: the voice menu's own check takes it.
      const checked = await checkVoicePin(
        world.database.db,
        { homeId: world.a.home.id, id: contact.id },
        '2580',
        world.services.now(),
      );
      expect(checked).toEqual({ outcome: 'right' });

      await page.getByRole('button', { name: '返回' }).click();
      await page.locator('[data-screen="home"]').waitFor();
      expect(await page.locator('h1').textContent()).toBe('张桂芳，您好');
    });
  });
});

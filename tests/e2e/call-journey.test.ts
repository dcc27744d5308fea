import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { maskPhone } from '@affection/core';
import { createFamilyEnrolment } from '@affection/db';
import { COMPLETED_OVERLAP_SECONDS } from '@affection/jobs';
import type { ApiResponse } from '@affection/server/contract';
import {
  type CallParty,
  type CallWorld,
  type ChromiumSession,
  type ContactSummary,
  DEMO_ADMIN,
  DEMO_TEACHER,
  enrolKioskPage,
  enrolmentLinkFor,
  findVideoParties,
  type KioskSummary,
  launchChromium,
  leaksIn,
  makeHomeForQuickCalls,
  pageTexts,
  ScreenAudit,
  type StaffClient,
  signInParentPage,
  startCallWorld,
} from '@affection/test-support';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../apps/server/src/auth/tokens.ts';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts/journeys');
const SECOND = 1000;
const PHONE_VIEWPORT = { width: 390, height: 844 };
/** WeChat's own browser on Android, where WebRTC calls do not work. */
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 12; V2134A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230504 MicroMessenger/8.0.37.2380(0x2800255B) ' +
  'WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';
/**
 * How long before its start a test books a call: time for the kiosk and the parent to get in before it starts, so
 * that they are together for the whole minute of the slot. A one-minute call that starts now ("call now") can never
 * be completed: that takes {@link COMPLETED_OVERLAP_SECONDS} together, and joining takes a few seconds.
 */
const LEAD_MS = 40 * SECOND;

interface Booking {
  id: string;
  kioskId: string;
  start: string;
  end: string;
  status: string;
  source: string;
  createdBy?: string;
  inHomeZone: { date: string; startTime: string };
}
interface ChildCall {
  bookingId: string;
  bookingStatus: string;
  outcome: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  overlapSeconds: number;
  mood: number | null;
}
interface OutboxMessage {
  body: string;
  template: string | null;
  status: string;
  bookingId: string | null;
  contactId: string | null;
  toPhoneMasked: string;
}

/** Polls `read` until it returns a value, at most `timeoutMs`; each try awaits a real request. */
async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    // The next try is a new request: pace them so the server is not flooded while the workers run.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The number of frames the `<video>` has decoded so far. */
function decodedFrames(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (document.querySelector('[data-testid="remote-video"]') as HTMLVideoElement | null)?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0,
  );
}

/** Waits until the page's remote `<video>` has decoded frames, and more again afterwards (it keeps playing). */
async function waitForDecodedFrames(page: Page): Promise<{ first: number; later: number }> {
  await page.waitForFunction(
    () =>
      ((document.querySelector('[data-testid="remote-video"]') as HTMLVideoElement | null)?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0) > 0,
    undefined,
    { timeout: 20_000 },
  );
  const first = await decodedFrames(page);
  await page.waitForFunction(
    (seen) =>
      ((document.querySelector('[data-testid="remote-video"]') as HTMLVideoElement | null)?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0) >
      seen + 10,
    first,
    { timeout: 20_000 },
  );
  return { first, later: await decodedFrames(page) };
}

describe('calls end to end: kiosk and parent on the real server, its workers, LiveKit and PostgreSQL', () => {
  let world: CallWorld;
  let admin: StaffClient;
  let teacher: StaffClient;
  let kiosks: KioskSummary[];
  let parties: CallParty[];
  /** Every contact's and child's full name in the Home: none may show on a screen that is not theirs. */
  let familyNames: string[];
  const sessions: ChromiumSession[] = [];
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld();
    admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    teacher = await world.signIn(DEMO_TEACHER.login, DEMO_TEACHER.password);
    // A test Home where a call really ends within the test: one-minute slots, no gap, no notice, open all week.
    await makeHomeForQuickCalls(admin);
    kiosks = (await admin.json<ApiResponse<'GET /api/kiosks'>>('/api/kiosks')).items;
    parties = await findVideoParties(admin, 2);
    const contacts = (await admin.json<{ items: ContactSummary[] }>('/api/contacts?limit=200')).items;
    const children = (
      await admin.json<{ items: { familyName: string; givenName: string }[] }>('/api/children?limit=200')
    ).items;
    familyNames = [...contacts.map((c) => c.name), ...children.map((c) => `${c.familyName}${c.givenName}`)];
  }, 240_000);

  afterAll(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
    await world?.close();
    // The record of which screens axe-core checked, next to their screenshots.
    await writeFile(path.join(artifacts, 'axe.json'), `${JSON.stringify(audit.records, null, 2)}\n`).catch(
      () => undefined,
    );
  }, 120_000);

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
  });

  async function newBrowserPage(viewport: { width: number; height: number }): Promise<Page> {
    const session = await launchChromium({ viewport });
    sessions.push(session);
    const page = await session.context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  /** Saves the screen and expects no serious or critical axe-core finding on it. */
  async function checkScreen(page: Page, name: string): Promise<void> {
    const findings = await audit.check(page, name);
    expect(findings, `axe-core on ${name}`).toEqual([]);
  }

  /**
   * Books the party's call on `kiosk` through the API as the teacher would: the first one-minute slot starting at
   * least {@link LEAD_MS} from now.
   */
  async function bookSoon(party: CallParty, kiosk: KioskSummary): Promise<Booking> {
    const from = new Date(Date.now() + LEAD_MS).toISOString();
    const to = new Date(Date.now() + LEAD_MS + 10 * 60 * SECOND).toISOString();
    const query = new URLSearchParams({
      householdId: party.household.id,
      contactId: party.contact.id,
      anyTime: 'true',
      from,
      to,
    });
    const { slots } = await teacher.json<{ slots: { start: string }[] }>(`/api/bookings/available-slots?${query}`);
    const slot = slots.find((s) => Date.parse(s.start) >= Date.parse(from));
    if (!slot) throw new Error('no free slot in the next ten minutes');
    return teacher.json<Booking>('/api/bookings', {
      method: 'POST',
      json: {
        householdId: party.household.id,
        contactId: party.contact.id,
        childIds: [party.child.id],
        kioskId: kiosk.id,
        start: slot.start,
      },
      status: 201,
    });
  }

  /** The call on the child's record once the workers have decided its outcome. */
  function decidedCall(party: CallParty, booking: Booking): Promise<ChildCall> {
    const waitMs = Date.parse(booking.end) - Date.now() + 180 * SECOND;
    return eventually(
      async () => {
        const page = await teacher.json<{ items: ChildCall[] }>(`/api/children/${party.child.id}/calls`);
        const call = page.items.find((item) => item.bookingId === booking.id);
        return call?.outcome ? call : undefined;
      },
      waitMs,
      `the outcome of ${booking.id} on the child's record`,
    );
  }

  it('a call due now: the child taps and joins, the parent joins, each sees the other, the slot ends and the record shows it completed, with its length and the mood', async () => {
    const [party] = parties as [CallParty, CallParty];
    const kiosk = kiosks[0]!;
    const kioskPage = await newBrowserPage({ width: 1280, height: 800 });
    const parentPage = await newBrowserPage(PHONE_VIEWPORT);
    await enrolKioskPage(world, admin, kiosk, kioskPage, (page, name) => checkScreen(page, `kiosk-01-${name}`));
    await kioskPage.locator('.home__empty').waitFor();
    await checkScreen(kioskPage, 'kiosk-02-home-empty');
    await signInParentPage(admin, party.contact, parentPage, (page, name) => checkScreen(page, `family-01-${name}`));
    await checkScreen(parentPage, 'family-02-home-no-call');

    const booking = await bookSoon(party, kiosk);
    const end = Date.parse(booking.end);

    // The kiosk's photo wall shows the child as soon as it asks again (a reload asks at once).
    await kioskPage.reload();
    const tile = kioskPage.locator(`.tile[data-child="${party.child.id}"]`);
    await tile.waitFor();
    expect(await tile.textContent()).toContain(party.child.givenName);
    await checkScreen(kioskPage, 'kiosk-03-home-call-due');
    await tile.click();
    await kioskPage.locator('[data-screen="ready"] .call-button').waitFor();
    await checkScreen(kioskPage, 'kiosk-04-ready');
    await kioskPage.locator('.call-button').click();
    await kioskPage.locator('[data-screen="call"][data-phase="connected"]').waitFor();
    const childJoinedAt = Date.now();
    await kioskPage.locator('[data-screen="call"][data-parent="waiting"]').waitFor();
    await checkScreen(kioskPage, 'kiosk-05-call-waiting');

    // The parent's page shows the open call; joining loads the call screen.
    await parentPage.reload();
    await parentPage.locator('[data-screen="home"] .open-now').waitFor();
    await checkScreen(parentPage, 'family-03-home-call-open');
    await parentPage.getByRole('button', { name: '进入通话' }).click();
    await parentPage.locator('[data-screen="call"][data-status="connected"]').waitFor();
    expect(Date.now(), 'both are in the room before the slot starts').toBeLessThan(Date.parse(booking.start));

    // Each side receives the other's camera and decodes it.
    await kioskPage.locator('[data-screen="call"][data-parent="video"]').waitFor();
    const [kioskFrames, parentFrames] = await Promise.all([
      waitForDecodedFrames(kioskPage),
      waitForDecodedFrames(parentPage),
    ]);
    expect(kioskFrames.later).toBeGreaterThan(kioskFrames.first);
    expect(parentFrames.later).toBeGreaterThan(parentFrames.first);
    await checkScreen(kioskPage, 'kiosk-06-call-video');
    await checkScreen(parentPage, 'family-04-call-video');

    // The slot ends: both pages leave the room by themselves.
    const untilEnd = end - Date.now() + 20 * SECOND;
    await Promise.all([
      kioskPage.locator('[data-screen="mood"]').waitFor({ timeout: untilEnd }),
      parentPage.locator('[data-screen="home"] .notice').waitFor({ timeout: untilEnd }),
    ]);
    const bothLeftAt = Date.now();
    expect(bothLeftAt).toBeGreaterThanOrEqual(end);
    expect(await parentPage.locator('.notice').textContent()).toBe('通话结束了，谢谢您！');
    await checkScreen(kioskPage, 'kiosk-07-mood');
    await checkScreen(parentPage, 'family-05-home-call-ended');
    await kioskPage.locator('.face[data-mood="5"]').click();
    await kioskPage.locator('[data-screen="thanks"]').waitFor();
    await checkScreen(kioskPage, 'kiosk-08-thanks');
    await kioskPage.locator('[data-screen="home"]').waitFor();

    // The workers close the room and decide the outcome; the child's record shows the call.
    const call = await decidedCall(party, booking);
    expect(call).toMatchObject({ outcome: 'completed', bookingStatus: 'completed', mood: 5 });
    const realSeconds = (bothLeftAt - childJoinedAt) / SECOND;
    expect(Math.abs(call.durationSeconds! - realSeconds)).toBeLessThanOrEqual(5);
    expect(call.overlapSeconds).toBeGreaterThanOrEqual(COMPLETED_OVERLAP_SECONDS);
    expect(await world.server.services.livekitRooms!.listRooms([booking.id])).toEqual([]);
  }, 420_000);

  it('the parent never comes: after the slot the call is a parent no-show and the SMS offers a new time', async () => {
    const [, party] = parties as [CallParty, CallParty];
    const kiosk = kiosks[0]!;
    const kioskPage = await newBrowserPage({ width: 1280, height: 800 });
    await enrolKioskPage(world, admin, kiosk, kioskPage);
    const booking = await bookSoon(party, kiosk);
    const end = Date.parse(booking.end);

    await kioskPage.reload();
    await kioskPage.locator(`.tile[data-child="${party.child.id}"]`).click();
    await kioskPage.locator('.call-button').click();
    await kioskPage.locator('[data-screen="call"][data-phase="connected"][data-parent="waiting"]').waitFor();

    // Meanwhile, on the other kiosk a teacher's browser has no camera: the child gets a clear screen.
    const otherPage = await newBrowserPage({ width: 1024, height: 768 });
    await otherPage.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await enrolKioskPage(world, admin, kiosks[1]!, otherPage);
    const tile = otherPage.locator(`.tile[data-child="${party.child.id}"]`);
    await tile.waitFor();
    await checkScreen(otherPage, 'kiosk-09-home-other-kiosk');
    await tile.click();
    await otherPage.locator('.call-button').click();
    await otherPage.locator('[data-screen="problem"][data-problem="camera"]').waitFor();
    await checkScreen(otherPage, 'kiosk-10-camera-denied');
    await otherPage.getByRole('button', { name: '返回' }).click();
    await otherPage.locator('[data-screen="home"]').waitFor();

    await kioskPage.locator('[data-screen="mood"]').waitFor({ timeout: end - Date.now() + 20 * SECOND });
    await kioskPage.locator('.face[data-mood="2"]').click();
    await kioskPage.locator('[data-screen="home"]').waitFor();

    const call = await decidedCall(party, booking);
    expect(call).toMatchObject({ outcome: 'parent-no-show', bookingStatus: 'missed', overlapSeconds: 0, mood: 2 });

    // The workers held a new time for the parent and texted it (to the outbox, as no SMS provider is set).
    const offered = await eventually(
      async () => {
        const range = new URLSearchParams({
          householdId: party.household.id,
          status: 'proposed',
          from: booking.end,
          to: new Date(Date.parse(booking.end) + 30 * 86_400 * SECOND).toISOString(),
        });
        const { items } = await teacher.json<{ items: Booking[] }>(`/api/bookings?${range}`);
        return items.find((b) => b.source === 'auto');
      },
      60 * SECOND,
      'the new time held for the parent',
    );
    const sms = await eventually(
      async () => {
        const { items } = await admin.json<{ items: OutboxMessage[] }>('/api/outbox?limit=200');
        return items.find(
          (m) => m.bookingId === booking.id && m.template === 'call-missed-offer-new-time' && m.status === 'sent',
        );
      },
      60 * SECOND,
      'the missed-call SMS in the outbox',
    );
    expect(sms.contactId).toBe(party.contact.id);
    expect(sms.body).toContain(party.child.givenName);
    expect(sms.body).toContain('未接通');
    expect(sms.body).toContain(`新时间`);
    expect(sms.body).toContain(offered.inHomeZone.startTime);
    // +86 numbers get no link in an SMS.
    expect(sms.body).not.toMatch(/https?:/);
  }, 420_000);

  it('a revoked kiosk, an expired QR link, five wrong SMS codes and a lost network each get their friendly screen, showing nothing of any family', async () => {
    const [first, second] = parties as [CallParty, CallParty];

    // A kiosk the admin revoked (lost or stolen) goes back to enrolment with a word for the teacher.
    const kioskPage = await newBrowserPage({ width: 1280, height: 800 });
    await enrolKioskPage(world, admin, kiosks[1]!, kioskPage);
    await admin.json(`/api/kiosks/${kiosks[1]!.id}/revoke`, { method: 'POST', status: 200 });
    await kioskPage.reload();
    await kioskPage.locator('[data-screen="revoked"]').waitFor();
    expect(await kioskPage.locator('.notice').textContent()).toContain('请让老师帮你重新登录');
    expect(await kioskPage.evaluate(() => localStorage.getItem('affection.kiosk.deviceToken'))).toBeNull();
    expect(leaksIn(await pageTexts(kioskPage), familyNames)).toEqual([]);
    await checkScreen(kioskPage, 'kiosk-11-revoked');

    // A contact card's QR link that expired: issued a month ago for 30 days (a link's life is days; the server's
    // clock is real here, so the link is written as the admin's route would have written it then).
    const token = newToken();
    const issuedAt = new Date(Date.now() - 31 * 86_400 * SECOND);
    await createFamilyEnrolment(world.server.services.database.db, {
      contactId: first.contact.id,
      tokenHash: hashToken(token),
      createdBy: null,
      now: issuedAt,
      expiresAt: new Date(issuedAt.getTime() + 30 * 86_400 * SECOND),
    });
    const parentPage = await newBrowserPage(PHONE_VIEWPORT);
    await parentPage.goto(`${world.webUrl}/family/enrol/${token}`);
    await parentPage.locator('[data-screen="problem-link"]').waitFor();
    expect(await parentPage.locator('h1').textContent()).toBe('这个二维码不能用了');
    expect(await parentPage.locator('.message').textContent()).toContain('过期');
    expect(leaksIn(await pageTexts(parentPage), familyNames)).toEqual([]);
    await checkScreen(parentPage, 'family-06-link-expired');
    await parentPage.getByRole('button', { name: '用手机号登录' }).click();
    await parentPage.locator('[data-screen="sign-in"]').waitFor();
    await checkScreen(parentPage, 'family-07-sign-in');

    // Five wrong SMS codes lock the number for a while.
    const { phone } = await admin.json<{ phone: string }>(`/api/contacts/${first.contact.id}`);
    await parentPage.locator('#phone').fill(phone);
    await parentPage.getByRole('button', { name: '获取验证码' }).click();
    await parentPage.locator('#code').waitFor();
    await checkScreen(parentPage, 'family-08-code');
    const sent = await eventually(
      async () => {
        const { items } = await admin.json<{ items: OutboxMessage[] }>('/api/outbox?limit=200');
        return items.find((m) => m.toPhoneMasked === maskPhone(phone) && /验证码\d{6}/.test(m.body));
      },
      30 * SECOND,
      'the SMS code in the outbox',
    );
    const wrong = /验证码(\d{6})/.exec(sent.body)![1] === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left -= 1) {
      await parentPage.locator('#code').fill(wrong);
      await parentPage
        .getByRole('alert')
        .filter({ hasText: `还能试${left}次` })
        .waitFor();
      if (left === 4) await checkScreen(parentPage, 'family-09-code-wrong');
    }
    await parentPage.locator('#code').fill(wrong);
    await parentPage.locator('[data-screen="problem-locked"]').waitFor();
    expect(await parentPage.locator('h1').textContent()).toBe('请稍等一会儿');
    const lockedText = await pageTexts(parentPage);
    expect(leaksIn(lockedText, familyNames)).toEqual([]);
    expect(lockedText.join('\n')).not.toContain(phone.slice(-4));
    await checkScreen(parentPage, 'family-10-locked');

    // A signed-in phone whose network is gone gets a screen that says so, and a way to try again.
    const offlinePage = await newBrowserPage(PHONE_VIEWPORT);
    await signInParentPage(admin, second.contact, offlinePage);
    await offlinePage.route('**/api/family/me', (route) => route.abort('internetdisconnected'));
    await offlinePage.reload();
    await offlinePage.locator('[data-screen="problem-network"]').waitFor();
    expect(leaksIn(await pageTexts(offlinePage), familyNames)).toEqual([]);
    await checkScreen(offlinePage, 'family-11-network');
    await offlinePage.unroute('**/api/family/me');
    await offlinePage.getByRole('button', { name: '再试一次' }).click();
    await offlinePage.locator('[data-screen="home"]').waitFor();
  }, 240_000);

  it("inside WeChat the parents' page says how to open it in the phone's browser, and that the Home will ring", async () => {
    const [first] = parties as [CallParty, CallParty];
    const page = await newBrowserPage(PHONE_VIEWPORT);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.setUserAgentOverride', { userAgent: WECHAT_UA, acceptLanguage: 'zh-CN' });
    await page.goto(await enrolmentLinkFor(admin, first.contact.id));
    await page.locator('[data-screen="enrolled"]').waitFor();
    expect(await page.getByTestId('in-app-notice').textContent()).toContain('在微信里打不了视频电话');
    await checkScreen(page, 'family-12-wechat-enrolled');
    await page.getByRole('button', { name: '好的，继续' }).click();
    await page.locator('[data-screen="home"]').waitFor();
    await checkScreen(page, 'family-13-wechat-home');
  });
});

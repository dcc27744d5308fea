import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiResponse } from '@affection/server/contract';
import {
  type CallParty,
  type CallWorld,
  type ChromiumSession,
  CONSOLE_PC,
  CONSOLE_TABLET,
  DEMO_ADMIN,
  DEMO_TEACHER,
  enrolKioskPage,
  findVideoParties,
  hasNoSideScroll,
  type KioskSummary,
  launchChromium,
  makeHomeForQuickCalls,
  ScreenAudit,
  type StaffClient,
  signInParentPage,
  signInToConsole,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];

type Booking = ApiResponse<'POST /api/bookings/adhoc'>;

/** A "call now" for a household, made through the API as the admin at another desk would. */
async function callNow(admin: StaffClient, party: CallParty): Promise<Booking> {
  return admin.json<Booking>('/api/bookings/adhoc', {
    json: { householdId: party.household.id, contactId: party.contact.id },
    status: 201,
  });
}

describe('console: the Today board, as a duty teacher', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  let admin: StaffClient;
  let parties: CallParty[];
  let first: Booking;
  const audit = new ScreenAudit(artifacts);
  const card = (bookingId: string): Locator => page.locator(`li.call-card[data-booking-id="${bookingId}"]`);

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console', 'kiosk', 'family'] });
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
    admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    // Calls of 15 minutes can start at once, any day and hour (the test may run at night or on a Sunday).
    await makeHomeForQuickCalls(admin, 15);
    parties = await findVideoParties(admin, 3);
    // "Call now" needs a kiosk that is switched on and enrolled: enrol each as its tablet would.
    for (const kiosk of (await admin.json<ApiResponse<'GET /api/kiosks'>>('/api/kiosks')).items) {
      const { enrolmentCode } = await admin.json<ApiResponse<'POST /api/kiosks/{id}/enrolment-code'>>(
        `/api/kiosks/${kiosk.id}/enrolment-code`,
        { method: 'POST', status: 200 },
      );
      const enrolled = await fetch(`${world.webUrl}/api/kiosk/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: enrolmentCode }),
      });
      expect(enrolled.status).toBe(200);
    }
  }, 600_000);

  afterAll(async () => {
    await Promise.all(others.splice(0).map((session) => session.close()));
    await browser?.close();
    await world?.close();
  });

  const others: ChromiumSession[] = [];
  async function otherPage(viewport: { width: number; height: number }): Promise<Page> {
    const session = await launchChromium({ viewport });
    others.push(session);
    const opened = await session.context.newPage();
    opened.setDefaultTimeout(30_000);
    return opened;
  }

  it('signs in to the board, which shows a call booked elsewhere without a reload', async () => {
    await page.goto(`${world.webUrl}/console/`);
    // A wrong password: told so, and the login name stays typed.
    await page.getByLabel(zh['console.signin.login'], { exact: true }).fill(DEMO_TEACHER.login);
    await page.getByLabel(zh['console.signin.password'], { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: zh['console.signin.submit'] }).click();
    await page.getByText(zh['console.signin.failed']).waitFor();
    expect(await page.getByLabel(zh['console.signin.login'], { exact: true }).inputValue()).toBe(DEMO_TEACHER.login);
    expect(await audit.check(page, 'console-sign-in')).toEqual([]);
    await signInToConsole(page, DEMO_TEACHER);
    // The landing page is the board, live over the event stream.
    await page.waitForURL(/#\/today$/);
    await page.getByRole('heading', { level: 1, name: new RegExp(zh['console.board.title']) }).waitFor();
    await page.locator('[data-mode="live"]').waitFor();
    expect(await page.locator('section.lane').count()).toBeGreaterThanOrEqual(2);

    const started = Date.now();
    const booking = await callNow(admin, parties[0]!);
    first = booking;
    await card(booking.id).waitFor();
    const boardUpdateMs = Date.now() - started;
    console.log(JSON.stringify({ boardUpdateMs }));
    expect(boardUpdateMs).toBeLessThan(2_000);
    await expect.poll(() => page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    const shown = card(booking.id);
    await shown.getByText(parties[0]!.child.givenName).first().waitFor();
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-board')).toEqual([]);
  });

  it('gives 5 more minutes, refuses ringing without a phone line in the teacher’s words, and ends the call', async () => {
    const booking = first;
    const shown = card(booking.id);
    await shown.getByRole('button', { name: zh['console.board.action.extend'] }).click();
    await shown.getByText(zh['console.board.extended']).waitFor();
    const after = await admin.json<Booking>(`/api/bookings/${booking.id}`);
    expect(new Date(after.end).getTime() - new Date(booking.end).getTime()).toBe(5 * 60_000);

    await shown.getByRole('button', { name: zh['console.board.action.ring'] }).click();
    await shown.getByText(zh['error.board.no-phone-line']).waitFor();
    expect(await audit.check(page, 'console-board-refusal')).toEqual([]);

    await shown.getByRole('button', { name: zh['console.board.action.end'] }).click();
    const dialog = page.locator('dialog.dialog');
    await dialog.getByText(zh['console.board.end-confirm']).waitFor();
    expect(await audit.check(page, 'console-board-end')).toEqual([]);
    await dialog.getByRole('button', { name: zh['console.board.action.end'] }).click();
    await shown.getByText(zh['console.board.ended']).waitFor();
    await expect
      .poll(async () => new Date((await admin.json<Booking>(`/api/bookings/${booking.id}`)).end).getTime(), {
        timeout: 5_000,
      })
      .toBeLessThanOrEqual(Date.now() + 1_000);
    // Ended: the board shows it so once the new end has passed (the refetch after the room closes at the latest).
    await page.locator(`li[data-booking-id="${booking.id}"][data-state="ended"]`).waitFor({ timeout: 45_000 });
  });

  it('marks a call done by phone; an expired session asks to sign in again and keeps the minutes typed', async () => {
    const booking = await callNow(admin, parties[1]!);
    const shown = card(booking.id);
    await shown.waitFor();
    await shown.getByRole('button', { name: zh['console.board.action.done-by-phone'] }).click();
    const dialog = page.locator('dialog.dialog');
    await dialog.getByLabel(zh['console.board.done-minutes']).fill('6');
    // The session ends (signed out elsewhere): saving meets a 401.
    await browser.context.clearCookies();
    await dialog.getByRole('button', { name: zh['console.common.save'] }).click();
    const again = page.locator('.overlay');
    await again.getByText(zh['console.shell.session-expired']).waitFor();
    expect(await audit.check(page, 'console-board-session-expired')).toEqual([]);
    await again.getByLabel(zh['console.signin.password'], { exact: true }).fill(DEMO_TEACHER.password);
    await again.getByRole('button', { name: zh['console.signin.submit'] }).click();
    await again.waitFor({ state: 'detached' });
    // Nothing typed was lost.
    expect(await dialog.getByLabel(zh['console.board.done-minutes']).inputValue()).toBe('6');
    await dialog.getByRole('button', { name: zh['console.common.save'] }).click();
    await page.locator(`li[data-booking-id="${booking.id}"][data-state="ended"]`).waitFor();
    await card(booking.id).getByText(zh['console.board.outcome.by-phone']).waitFor();
    const done = await admin.json<Booking>(`/api/bookings/${booking.id}`);
    expect(done.status).toBe('completed');
  });

  it('follows a live call with a kiosk and a parent in it: the child waits, the parent comes, 5 more minutes, the teacher ends it', async () => {
    const party = parties[2]!;
    const booking = await callNow(admin, party);
    const kiosks = (await admin.json<ApiResponse<'GET /api/kiosks'>>('/api/kiosks')).items as KioskSummary[];
    const kiosk = kiosks.find((k) => k.id === booking.kioskId)!;
    const kioskPage = await otherPage({ width: 1280, height: 800 });
    const parentPage = await otherPage({ width: 390, height: 844 });
    await enrolKioskPage(world, admin, kiosk, kioskPage);
    await signInParentPage(admin, party.contact, parentPage);
    const shown = card(booking.id);
    await shown.waitFor();

    // The child taps their photo and joins: the board follows LiveKit's webhooks without a reload.
    await kioskPage.reload();
    await kioskPage.locator(`.tile[data-child="${party.child.id}"]`).click();
    await kioskPage.locator('.call-button').click();
    await kioskPage.locator('[data-screen="call"][data-phase="connected"]').waitFor();
    const joinedAt = Date.now();
    await page.locator(`li[data-booking-id="${booking.id}"][data-state="child-in"]`).waitFor({ timeout: 20_000 });
    console.log(JSON.stringify({ boardChildInMs: Date.now() - joinedAt }));
    // Alone for over a minute: the waiting badge, and ringing is the first thing offered.
    await shown.getByText(zh['console.board.waiting']).waitFor({ timeout: 120_000 });
    expect(Date.now() - joinedAt).toBeGreaterThan(60_000);
    expect(await audit.check(page, 'console-board-waiting')).toEqual([]);

    // The parent joins by video.
    await parentPage.reload();
    await parentPage.getByRole('button', { name: '进入通话' }).click();
    await parentPage.locator('[data-screen="call"][data-status="connected"]').waitFor();
    await page.locator(`li[data-booking-id="${booking.id}"][data-state="parent-in"]`).waitFor({ timeout: 20_000 });
    await shown.getByText(zh['console.board.state.parent-in-video']).waitFor();
    expect(await shown.getByText(zh['console.board.waiting']).count()).toBe(0);
    expect(await audit.check(page, 'console-board-live-call')).toEqual([]);

    await shown.getByRole('button', { name: zh['console.board.action.extend'] }).click();
    await shown.getByText(zh['console.board.extended']).waitFor();
    const extended = await admin.json<Booking>(`/api/bookings/${booking.id}`);
    expect(Date.parse(extended.end) - Date.parse(booking.end)).toBe(5 * 60_000);

    // Ending it closes the room: the kiosk goes on to the mood faces, the parent's page back home.
    await shown.getByRole('button', { name: zh['console.board.action.end'] }).click();
    await page.locator('dialog.dialog').getByRole('button', { name: zh['console.board.action.end'] }).click();
    await Promise.all([
      kioskPage.locator('[data-screen="mood"]').waitFor({ timeout: 60_000 }),
      parentPage.locator('[data-screen="home"]').waitFor({ timeout: 60_000 }),
    ]);
    await page.locator(`li[data-booking-id="${booking.id}"][data-state="ended"]`).waitFor({ timeout: 60_000 });
  }, 360_000);

  it('fits a 1024×768 tablet without side scrolling, and switches to English', async () => {
    await page.setViewportSize(CONSOLE_TABLET);
    await page.locator('section.lane').first().waitFor();
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-board-tablet')).toEqual([]);
    await page.getByRole('button', { name: zh['console.shell.language-switch'] }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(CATALOGS.en['console.board.title']) }).waitFor();
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-board-tablet-en')).toEqual([]);
    await page.getByRole('button', { name: CATALOGS.en['console.shell.language-switch'] }).click();
    await page.setViewportSize(CONSOLE_PC);
  });
});

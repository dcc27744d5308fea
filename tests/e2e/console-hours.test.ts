import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiResponse } from '@affection/server/contract';
import {
  bookableHouseholds,
  type CallWorld,
  type ChromiumSession,
  CONSOLE_PC,
  CONSOLE_TABLET,
  DEMO_ADMIN,
  DEMO_TEACHER,
  firstChildName,
  hasNoSideScroll,
  launchChromium,
  ScreenAudit,
  type StaffClient,
  shanghaiNextWeek,
  shanghaiNextWeekAt,
  signInToConsole,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];

type Household = ApiResponse<'GET /api/bookings/household-search'>['items'][number];
type Booking = ApiResponse<'POST /api/bookings'>;
type Opening = ApiResponse<'GET /api/opening'>;

/** Both sizes of the old PCs and tablets: a screenshot and axe-core at each, and no sideways scrolling. */
async function checkBothSizes(audit: ScreenAudit, page: Page, name: string) {
  expect(await hasNoSideScroll(page)).toBe(true);
  expect(await audit.check(page, name)).toEqual([]);
  await page.setViewportSize(CONSOLE_TABLET);
  expect(await hasNoSideScroll(page)).toBe(true);
  expect(await audit.check(page, `${name}-1024`)).toEqual([]);
  await page.setViewportSize(CONSOLE_PC);
}

describe('console: opening hours, a holiday closure and the booked calls they touch', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  let admin: StaffClient;
  let keepCall: Booking;
  let cancelCall: Booking;
  let keepHousehold: Household;
  let cancelHousehold: Household;
  const audit = new ScreenAudit(artifacts);

  /** Books the first of `households` that can take the slot (a household may have used its week already). */
  async function bookOne(households: Household[], start: string): Promise<[Booking, Household]> {
    for (const household of households) {
      const res = await admin.request('/api/bookings', {
        method: 'POST',
        json: { householdId: household.id, contactId: household.contacts.find((c) => c.approved)!.id, start },
      });
      if (res.status === 201) return [(await res.json()) as Booking, household];
    }
    throw new Error(`no demo household could be booked at ${start}`);
  }

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console'] });
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
    admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    const households = await bookableHouseholds(admin, 8);
    // Next Friday after school (the weekly rules will lose it) and next Wednesday noon (a holiday will close it).
    [keepCall, keepHousehold] = await bookOne(households, shanghaiNextWeekAt(4, '16:30'));
    [cancelCall, cancelHousehold] = await bookOne(
      households.filter((h) => h.id !== keepHousehold.id),
      shanghaiNextWeekAt(2, '12:00'),
    );
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('edits the weekly hours keeping a call, closes a holiday over a booked call and cancels it; the family is told', async () => {
    // The family was told of the call (its confirmation went out), so a cancellation is told too.
    await expect
      .poll(
        async () => {
          const outbox = await admin.json<ApiResponse<'GET /api/outbox'>>(`/api/outbox?bookingId=${cancelCall.id}`);
          return outbox.items.some((m) => m.template === 'booking-confirmed' && m.stage !== 'queued');
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    await page.goto(`${world.webUrl}/console/#/hours`);
    await signInToConsole(page, DEMO_ADMIN);
    await page.goto(`${world.webUrl}/console/#/hours`);
    const week = page.locator('table.hours-week');
    await week.waitFor();
    const friday = week.locator('tr[data-weekday="5"]');
    await expect.poll(() => friday.locator('li.hours-range').count()).toBe(2);
    await checkBothSizes(audit, page, 'console-hours');

    // Friday closes after lunch; Saturday opens at noon.
    await friday.getByRole('button', { name: `删掉${zh['console.hours.weekday.5']} 16:30–18:00` }).click();
    await week
      .locator('tr[data-weekday="6"]')
      .getByRole('button', { name: `给${zh['console.hours.weekday.6']}加一段时间` })
      .click();
    // A range ending before it starts is refused on the spot, in the teacher's words.
    const saturdayEnd = week.locator('tr[data-weekday="6"] input[type="time"]').nth(1);
    await saturdayEnd.fill('11:00');
    await page.getByRole('button', { name: zh['console.hours.week-save'] }).click();
    await week.getByText(zh['validation.time_order']).waitFor();
    await saturdayEnd.fill('13:30');
    await page.getByRole('button', { name: zh['console.hours.week-save'] }).click();

    // The Friday afternoon call is listed before anything is saved; the admin keeps it.
    const dialog = page.locator('dialog.dialog');
    const keepRow = dialog.locator(`tr[data-booking="${keepCall.id}"]`);
    await keepRow.waitFor();
    expect(await keepRow.textContent()).toContain(firstChildName(keepHousehold));
    expect(await keepRow.textContent()).toContain('16:30');
    await checkBothSizes(audit, page, 'console-hours-outside-keep');
    await dialog.getByRole('button', { name: zh['console.hours.choose-keep'] }).click();
    await page.locator('.banner-ok').waitFor();
    expect(await page.locator('.banner-ok').textContent()).toMatch(/保留了\d+个/);
    const opening = await admin.json<Opening>('/api/opening');
    expect(opening.rules.filter((r) => r.weekday === 5).map((r) => r.startTime)).toEqual(['12:00']);
    expect(opening.rules.filter((r) => r.weekday === 6).map((r) => `${r.startTime}-${r.endTime}`)).toEqual([
      '12:00-13:30',
    ]);
    expect((await admin.json<Booking>(`/api/bookings/${keepCall.id}`)).status).toBe('confirmed');

    // A holiday from next Wednesday to Thursday, over the Wednesday noon call: listed, then cancelled.
    // The last day before the first is said at the field, before anything is sent.
    await page.getByLabel(zh['console.hours.closure-from']).fill(shanghaiNextWeek(3));
    await page.getByLabel(zh['console.hours.closure-to']).fill(shanghaiNextWeek(2));
    await page.getByRole('button', { name: zh['console.hours.closure-save'] }).click();
    await page.getByText(zh['validation.date_order']).waitFor();
    await page.getByLabel(zh['console.hours.closure-from']).fill(shanghaiNextWeek(2));
    await page.getByLabel(zh['console.hours.closure-to']).fill(shanghaiNextWeek(3));
    await page.getByLabel(zh['console.hours.note-label']).first().fill('国庆节');
    await page.getByRole('button', { name: zh['console.hours.closure-save'] }).click();
    const cancelRow = dialog.locator(`tr[data-booking="${cancelCall.id}"]`);
    await cancelRow.waitFor();
    expect(await cancelRow.textContent()).toContain(firstChildName(cancelHousehold));
    expect(await dialog.locator(`tr[data-booking="${keepCall.id}"]`).count()).toBe(0);
    await checkBothSizes(audit, page, 'console-hours-outside');
    await dialog.getByRole('button', { name: /短信告诉家长/ }).click();
    await page.locator('.banner-ok', { hasText: '取消了' }).waitFor();
    const dates = page.locator('table.hours-exceptions');
    await dates.locator(`tr[data-exception="${shanghaiNextWeek(2)}"]`, { hasText: '国庆节' }).waitFor();
    await dates
      .locator(`tr[data-exception="${shanghaiNextWeek(3)}"]`, { hasText: zh['console.hours.closed'] })
      .waitFor();
    // The form is empty again for the next holiday.
    expect(await page.getByLabel(zh['console.hours.closure-from']).inputValue()).toBe('');
    await checkBothSizes(audit, page, 'console-hours-saved');
    const cancelled = await admin.json<Booking>(`/api/bookings/${cancelCall.id}`);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '之家休息（国庆节）' });

    // The calendar shows the call cancelled on that day.
    await page.goto(`${world.webUrl}/console/#/calendar?view=day&date=${shanghaiNextWeek(2)}`);
    await page
      .locator('button.cal-booking', { hasText: firstChildName(cancelHousehold) })
      .getByText(zh['console.calendar.status.cancelled'])
      .waitFor();
    await checkBothSizes(audit, page, 'console-hours-calendar');

    // The family's cancellation SMS is in the outbox (短信记录).
    await page.goto(`${world.webUrl}/console/#/outbox?booking=${cancelCall.id}`);
    const sms = page.locator('tr[data-message]', {
      has: page.locator('td.outbox-text', { hasText: '的通话已取消' }),
    });
    await sms.waitFor();
    expect(await sms.textContent()).toContain(cancelHousehold.children[0]!.givenName);
    await checkBothSizes(audit, page, 'console-hours-outbox');
  });

  it('shows a teacher the hours and the closed days, read only', async () => {
    const teacherBrowser = await launchChromium({ viewport: CONSOLE_PC });
    try {
      const teacherPage = await teacherBrowser.context.newPage();
      await teacherPage.goto(`${world.webUrl}/console/#/hours`);
      await signInToConsole(teacherPage, DEMO_TEACHER);
      await teacherPage.goto(`${world.webUrl}/console/#/hours`);
      const week = teacherPage.locator('table.hours-week');
      await week.waitFor();
      await teacherPage.locator(`table.hours-exceptions tr[data-exception="${shanghaiNextWeek(2)}"]`).waitFor();
      expect(await week.locator('tr[data-weekday="5"] li.hours-range').allInnerTexts()).toEqual(['12:00–13:30']);
      expect(await teacherPage.locator('.hours-screen input, .hours-screen button.btn-primary').count()).toBe(0);
      expect(await teacherPage.getByRole('button', { name: zh['console.hours.delete'] }).count()).toBe(0);
      await teacherPage.getByText(zh['console.hours.intro-teacher']).waitFor();
      await checkBothSizes(audit, teacherPage, 'console-hours-teacher');
    } finally {
      await teacherBrowser.close();
    }
  });
});

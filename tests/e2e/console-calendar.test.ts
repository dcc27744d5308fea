import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiResponse } from '@affection/server/contract';
import {
  bookableHouseholds,
  type CallWorld,
  type ChromiumSession,
  CONSOLE_PC,
  CONSOLE_TABLET,
  DEMO_TEACHER,
  firstChildName,
  hasNoSideScroll,
  launchChromium,
  ScreenAudit,
  type StaffClient,
  shanghaiNextWeekAt,
  signInToConsole,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];

type Household = ApiResponse<'GET /api/bookings/household-search'>['items'][number];
type Calendar = ApiResponse<'GET /api/bookings/calendar'>;
type Booking = ApiResponse<'POST /api/bookings'>;

/** The grid's cell at a row time (`12:00`) in the n-th day column (0 = Monday). */
function cell(page: Page, time: string, column: number): Locator {
  return page
    .locator('table.cal-grid tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${time}$`) }) })
    .locator('td')
    .nth(column);
}

describe('console: the calendar and the weekly proposals, as a duty teacher', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  let teacher: StaffClient;
  let households: Household[];
  let kioskIds: string[];
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console'] });
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
    teacher = await world.signIn(DEMO_TEACHER.login, DEMO_TEACHER.password);
    households = await bookableHouseholds(teacher, 7);
    expect(households.length).toBe(7);
    const calendar = await teacher.json<Calendar>(
      `/api/bookings/calendar?from=${shanghaiNextWeekAt(0, '00:00')}&to=${shanghaiNextWeekAt(7, '00:00')}`,
    );
    kioskIds = calendar.kiosks.filter((k) => k.takesCalls).map((k) => k.id);
    expect(kioskIds.length).toBe(2);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('books, is told when a slot was taken meanwhile, moves and cancels a call on the week of a kiosk', async () => {
    const [first, second, other] = households as [Household, Household, Household];
    await page.goto(`${world.webUrl}/console/#/calendar`);
    await signInToConsole(page, DEMO_TEACHER);
    await page.goto(`${world.webUrl}/console/#/calendar`);
    await page.locator('table.cal-grid').waitFor();
    await page.getByRole('button', { name: zh['console.calendar.next-week'] }).click();
    // Next week's Tuesday noon is still ahead: it can be booked (this week's cannot any more).
    await cell(page, '12:00', 1).locator('button.cal-free').waitFor();
    // Monday to Friday, the rows of both opening ranges, open cells shaded and free ones bookable.
    await expect.poll(() => page.locator('table.cal-grid thead th').count()).toBe(6);
    expect(await page.locator('table.cal-grid tbody tr').count()).toBe(8);
    expect(await page.locator('td.cal-open button.cal-free').count()).toBeGreaterThan(30);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-calendar')).toEqual([]);

    // Book Tuesday 12:00 on the first kiosk for the first household, found by the child's name.
    await cell(page, '12:00', 1).locator('button.cal-free').click();
    const dialog = page.locator('dialog.dialog');
    await dialog.getByLabel(zh['console.calendar.search-label']).fill(firstChildName(first));
    await dialog.getByRole('button', { name: zh['console.calendar.search'] }).click();
    await dialog
      .locator('button.cal-pick', { hasText: firstChildName(first) })
      .first()
      .click();
    await expect.poll(() => dialog.locator('#cal-slot').inputValue()).toBe(shanghaiNextWeekAt(1, '12:00'));
    expect(await audit.check(page, 'console-calendar-book')).toEqual([]);
    await dialog.getByRole('button', { name: zh['console.calendar.book-confirm'], exact: true }).click();
    await page.locator('.banner-ok').getByText(firstChildName(first), { exact: false }).waitFor();
    const booked = cell(page, '12:00', 1).locator('button.cal-booking', { hasText: firstChildName(first) });
    await booked.waitFor();

    // Tuesday 12:20 on the same kiosk: taken by someone else while the teacher fills the form.
    await cell(page, '12:20', 1).locator('button.cal-free').click();
    await dialog.getByLabel(zh['console.calendar.search-label']).fill(firstChildName(second));
    await dialog.getByRole('button', { name: zh['console.calendar.search'] }).click();
    await dialog
      .locator('button.cal-pick', { hasText: firstChildName(second) })
      .first()
      .click();
    await expect.poll(() => dialog.locator('#cal-slot').inputValue()).toBe(shanghaiNextWeekAt(1, '12:20'));
    const calendar = await teacher.json<Calendar>(
      `/api/bookings/calendar?from=${shanghaiNextWeekAt(0, '00:00')}&to=${shanghaiNextWeekAt(7, '00:00')}`,
    );
    const shownKiosk = calendar.bookings.find((b) => b.householdId === first.id)!.kioskId;
    await teacher.json<Booking>('/api/bookings', {
      json: {
        householdId: other.id,
        contactId: other.contacts.find((c) => c.approved)!.id,
        start: shanghaiNextWeekAt(1, '12:20'),
        kioskId: shownKiosk,
      },
      status: 201,
    });
    await dialog.getByRole('button', { name: zh['console.calendar.book-confirm'], exact: true }).click();
    await dialog.getByRole('alert').getByText(zh['error.booking.slot-taken']).waitFor();
    // Nothing typed is lost: the household, its contact and the children are still chosen.
    expect(await dialog.locator('.cal-picked').innerText()).toContain(second.name);
    expect(await dialog.locator('input[name="contact"]:checked').count()).toBe(1);
    expect(await audit.check(page, 'console-calendar-refused')).toEqual([]);
    // Another slot: Wednesday 16:30 (any kiosk).
    await dialog.locator('#cal-slot').selectOption(shanghaiNextWeekAt(2, '16:30'));
    await dialog.getByRole('button', { name: zh['console.calendar.book-confirm'], exact: true }).click();
    await page.locator('.banner-ok').getByText(firstChildName(second), { exact: false }).waitFor();

    // Move the first call to another free slot.
    await booked.click();
    await dialog.getByRole('button', { name: zh['console.calendar.move'], exact: true }).click();
    const moveTo = dialog.locator('select');
    await moveTo.waitFor();
    await moveTo.selectOption(shanghaiNextWeekAt(3, '17:10'));
    await dialog.getByRole('button', { name: zh['console.calendar.move-confirm'] }).click();
    await page.locator('.banner-ok').getByText(firstChildName(first), { exact: false }).waitFor();
    const moved = cell(page, '17:10', 3).locator('button.cal-booking', { hasText: firstChildName(first) });
    await moved.waitFor();
    expect(await cell(page, '12:00', 1).locator('button.cal-booking').count()).toBe(0);

    // Cancel it with a reason (a reason is required).
    await moved.click();
    await dialog.getByRole('button', { name: zh['console.calendar.cancel'], exact: true }).click();
    await dialog.getByRole('button', { name: zh['console.calendar.cancel-confirm'] }).click();
    await dialog.getByText(zh['console.calendar.reason-required']).waitFor();
    await dialog.getByLabel(zh['console.calendar.cancel-reason']).fill('家长这周要加班');
    await dialog.getByRole('button', { name: zh['console.calendar.cancel-confirm'] }).click();
    await page.locator('.banner-ok').getByText(firstChildName(first), { exact: false }).waitFor();
    await moved.getByText(zh['console.calendar.status.cancelled']).waitFor();
    const [cancelled] = (
      await teacher.json<{ items: Booking[] }>(
        `/api/bookings?from=${shanghaiNextWeekAt(0, '00:00')}&to=${shanghaiNextWeekAt(7, '00:00')}&householdId=${first.id}`,
      )
    ).items;
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '家长这周要加班' });

    // The tablet: the same week without scrolling sideways, and the day view across both kiosks.
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-calendar-1024')).toEqual([]);
    await page.getByRole('button', { name: zh['console.calendar.day-view'] }).click();
    await expect.poll(() => page.locator('table.cal-grid thead th').count()).toBe(3);
    // Next week's Monday, both kiosks side by side.
    expect(await page.locator('table.cal-grid tbody tr').count()).toBe(8);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-calendar-day-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);

    // The English catalog: the same week, words and all, still without scrolling sideways.
    await page.getByRole('button', { name: zh['console.calendar.week-view'] }).click();
    await page.getByRole('button', { name: zh['console.shell.language-switch'] }).click();
    await page.getByRole('heading', { level: 1, name: CATALOGS.en['console.calendar.title'] }).waitFor();
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-calendar-en')).toEqual([]);
    await page.getByRole('button', { name: CATALOGS.en['console.shell.language-switch'] }).click();
    await page.getByRole('heading', { level: 1, name: zh['console.calendar.title'] }).waitFor();
  });

  it("confirms next week's proposals (one declined first) and the families' confirmation SMS reach the outbox", async () => {
    // The weekly proposals job may have run for this week already: count on top of what it proposed.
    const before = await teacher.json<ApiResponse<'GET /api/bookings/proposals'>>('/api/bookings/proposals');
    const proposed = households.slice(3, 7);
    const proposals: Booking[] = [];
    for (const [i, household] of proposed.entries()) {
      proposals.push(
        await teacher.json<Booking>('/api/bookings', {
          json: {
            householdId: household.id,
            contactId: household.contacts.find((c) => c.approved)!.id,
            start: shanghaiNextWeekAt(i % 2 === 0 ? 0 : 4, i < 2 ? '12:40' : '13:00'),
            source: 'auto',
          },
          status: 201,
        }),
      );
    }
    await page.goto(`${world.webUrl}/console/#/proposals`);
    const confirmAll = page.getByRole('button', {
      name: zh['console.proposals.confirm-all'].replace('{count}', String(before.awaiting + 4)),
    });
    await confirmAll.waitFor();
    expect(await page.locator('li.prop-item').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.prop-wait').first().innerText()).not.toBe('');
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-proposals')).toEqual([]);

    // Decline one with a reason.
    const declined = proposed[0]!;
    await page
      .locator('li.prop-item', { hasText: firstChildName(declined) })
      .locator('button', { hasText: zh['console.proposals.decline'] })
      .click();
    const dialog = page.locator('dialog.dialog');
    await dialog.getByLabel(zh['console.proposals.decline-reason']).fill('这周已经打过电话了');
    await dialog.getByRole('button', { name: zh['console.proposals.decline-confirm'] }).click();
    await page.locator('li.prop-declined').getByText('这周已经打过电话了', { exact: false }).waitFor();

    // Confirm all: the three still awaiting.
    await page
      .getByRole('button', {
        name: zh['console.proposals.confirm-all'].replace('{count}', String(before.awaiting + 3)),
      })
      .click();
    await page.locator('.banner-ok').getByText(zh['console.proposals.all-confirmed'].replace('{count}', '3')).waitFor();
    // The banner can show before the list has re-read the week: wait for the list itself.
    await expect.poll(() => page.locator('li.prop-confirmed').count()).toBeGreaterThanOrEqual(3);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-proposals-confirmed-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);

    // Each confirmed family's confirmation SMS is in the outbox; none for the declined one.
    const confirmedIds = proposals.slice(1).map((b) => b.id);
    await expect
      .poll(
        async () => {
          const outbox = await teacher.json<ApiResponse<'GET /api/outbox'>>('/api/outbox?limit=200');
          return confirmedIds.filter((id) =>
            outbox.items.some((m) => m.bookingId === id && m.template === 'booking-confirmed'),
          ).length;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(3);
    const outbox = await teacher.json<ApiResponse<'GET /api/outbox'>>('/api/outbox?limit=200');
    expect(outbox.items.some((m) => m.bookingId === proposals[0]!.id && m.template === 'booking-confirmed')).toBe(
      false,
    );
    const sms = outbox.items.find((m) => m.bookingId === confirmedIds[0])!;
    expect(sms.toPhoneMasked).toContain('*');
    expect(sms.body).toContain(proposed[1]!.children[0]!.givenName);
  });
});

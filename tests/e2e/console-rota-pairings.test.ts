import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiResponse } from '@affection/server/contract';
import {
  type CallWorld,
  type ChromiumSession,
  CONSOLE_PC,
  CONSOLE_TABLET,
  DEMO_ADMIN,
  DEMO_TEACHER,
  hasNoSideScroll,
  launchChromium,
  ScreenAudit,
  type StaffClient,
  signInToConsole,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS, translator } from '@affection/ui';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];
/** The console's messages in Chinese, `{name}` placeholders filled. */
const t = translator('zh-CN');

type StaffList = ApiResponse<'GET /api/staff'>;
type OnDuty = ApiResponse<'GET /api/duty'>;
type Board = ApiResponse<'GET /api/pairings'>;

/** The calendar date in a zone, `n` days from now. */
function dateIn(zone: string, n: number): string {
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

describe('console: duty rota and pairings', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  let admin: StaffClient;
  let teacherApi: StaffClient;
  const audit = new ScreenAudit(artifacts);
  /** The demo teachers by login. */
  const teachers = new Map<string, { id: string; name: string }>();
  let today = '';
  let tomorrow = '';

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console'] });
    admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    teacherApi = await world.signIn(DEMO_TEACHER.login, DEMO_TEACHER.password);
    const { items } = await admin.json<StaffList>('/api/staff');
    for (const member of items) {
      if (member.username) teachers.set(member.username, { id: member.id, name: member.displayName });
    }
    const { timeZone } = await admin.json<{ timeZone: string }>('/api/home');
    today = dateIn(timeZone, 0);
    tomorrow = dateIn(timeZone, 1);
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  const who = (login: string) => {
    const found = teachers.get(login);
    if (!found) throw new Error(`no demo staff member ${login}`);
    return found;
  };

  it('sets the weekly rota, swaps tomorrow, and today, tomorrow and the calendar show it after a reload', async () => {
    const [first, second, third, fourth] = ['teacher1', 'teacher2', 'teacher3', 'teacher4'].map(who) as [
      { id: string; name: string },
      { id: string; name: string },
      { id: string; name: string },
      { id: string; name: string },
    ];
    await page.goto(`${world.webUrl}/console/#/rota`);
    await signInToConsole(page, DEMO_ADMIN);
    await page.goto(`${world.webUrl}/console/#/rota`);
    await page.locator('.rota-week input[type="checkbox"]').first().waitFor();

    // Today's weekday: the first teacher alone; tomorrow's: the second alone. Ticked by their labels.
    const box = (teacher: { name: string }, date: string) =>
      page.getByRole('checkbox', {
        name: t('console.rota.tick', {
          name: teacher.name,
          weekday: zh[`console.weekday.${weekdayOf(date)}` as keyof typeof zh],
        }),
        exact: true,
      });
    for (const date of [today, tomorrow]) {
      const column = page.locator(`.rota-week tbody tr td:nth-child(${weekdayOf(date) + 1}) input`);
      for (const input of await column.all()) await input.uncheck();
    }
    await box(first, today).check();
    await box(second, tomorrow).check();
    await page.getByText(zh['console.rota.unsaved']).waitFor();
    await page.getByRole('button', { name: zh['console.rota.save'] }).click();
    await page.getByText(zh['console.rota.saved']).waitFor();
    const saved = await admin.json<{ entries: { weekday: number; staffId: string }[] }>('/api/duty/pattern');
    expect(saved.entries.filter((e) => e.weekday === weekdayOf(today)).map((e) => e.staffId)).toEqual([first.id]);
    expect(saved.entries.filter((e) => e.weekday === weekdayOf(tomorrow)).map((e) => e.staffId)).toEqual([second.id]);

    // Tomorrow only: the second teacher off, the third on instead.
    const form = page.locator('form.rota-override');
    await form.getByLabel(zh['console.rota.date'], { exact: true }).fill(tomorrow);
    await form.getByText(t('console.rota.on-that-day', { names: second.name })).waitFor();
    await form.getByRole('radio', { name: zh['console.rota.kind-swap'] }).check();
    await form.getByLabel(zh['console.rota.swap-out'], { exact: true }).selectOption(second.id);
    await form.getByLabel(zh['console.rota.swap-in'], { exact: true }).selectOption(third.id);
    expect(await audit.check(page, 'console-rota-swap')).toEqual([]);
    await form.getByRole('button', { name: zh['console.rota.override-save'] }).click();
    await form.getByText(t('console.rota.on-that-day', { names: third.name })).waitFor();
    expect((await admin.json<OnDuty>(`/api/duty?date=${tomorrow}`)).staff.map((s) => s.staffId)).toEqual([third.id]);

    // Another admin adds the fourth teacher to tomorrow while this form is about to do the same: the API's refusal
    // reaches the teacher in plain words, and nothing else changes.
    await form.getByRole('radio', { name: zh['console.rota.kind-add'] }).check();
    await form.getByLabel(zh['console.rota.who'], { exact: true }).selectOption(fourth.id);
    const raced = await admin.json<{ id: string }>('/api/duty/overrides', {
      method: 'POST',
      json: { date: tomorrow, staffId: fourth.id, kind: 'add' },
      status: 201,
    });
    await form.getByRole('button', { name: zh['console.rota.override-save'] }).click();
    await form.getByRole('alert').getByText(zh['error.duty.already-overridden']).waitFor();
    expect(await audit.check(page, 'console-rota-refused')).toEqual([]);
    // That change is listed with the others of the month; deleting it brings the day back to the swap alone.
    await page
      .locator(`[data-override="${raced.id}"]`)
      .getByRole('button', { name: zh['console.rota.delete'] })
      .click();
    await page.getByText(zh['console.rota.deleted']).waitFor();
    await expect.poll(() => page.locator(`[data-override="${raced.id}"]`).count()).toBe(0);

    // A swap whose second half is refused (someone put the fifth teacher on meanwhile) is undone: the third
    // teacher, added for the day, stays on duty.
    const fifth = who('teacher5');
    await form.getByText(t('console.rota.on-that-day', { names: third.name })).waitFor();
    await form.getByRole('radio', { name: zh['console.rota.kind-swap'] }).check();
    await form.getByLabel(zh['console.rota.swap-out'], { exact: true }).selectOption(third.id);
    await form.getByLabel(zh['console.rota.swap-in'], { exact: true }).selectOption(fifth.id);
    const racedIn = await admin.json<{ id: string }>('/api/duty/overrides', {
      method: 'POST',
      json: { date: tomorrow, staffId: fifth.id, kind: 'add' },
      status: 201,
    });
    await form.getByRole('button', { name: zh['console.rota.override-save'] }).click();
    await form.getByRole('alert').getByText(zh['error.duty.already-overridden']).waitFor();
    const afterUndo = await admin.json<OnDuty>(`/api/duty?date=${tomorrow}`);
    expect(afterUndo.staff.map((s) => s.staffId).sort()).toEqual([third.id, fifth.id].sort());
    expect(afterUndo.overrides.find((o) => o.staffId === third.id)?.kind).toBe('add');
    expect((await admin.request(`/api/duty/overrides/${racedIn.id}`, { method: 'DELETE' })).status).toBe(204);

    // After a reload: today and tomorrow at the top, the calendar with tomorrow's swap marked.
    await page.reload();
    const todayCard = page.locator('.rota-near-day[data-day="today"]');
    const tomorrowCard = page.locator('.rota-near-day[data-day="tomorrow"]');
    await todayCard.waitFor();
    expect(await todayCard.locator('strong').textContent()).toBe(first.name);
    expect(await tomorrowCard.locator('strong').textContent()).toBe(third.name);
    if (tomorrow.slice(0, 7) !== today.slice(0, 7)) {
      await page.getByRole('button', { name: zh['console.rota.next-month'] }).click();
    }
    const cell = page.locator(`.rota-month td[data-date="${tomorrow}"]`);
    await cell.locator(`li.rota-name-added[data-staff="${third.id}"]`).waitFor();
    await cell.locator(`li.rota-name-removed[data-staff="${second.id}"] s`).waitFor();
    expect(await cell.locator(`li[data-staff="${fourth.id}"]`).count()).toBe(0);
    if (tomorrow.slice(0, 7) !== today.slice(0, 7)) {
      await page.getByRole('button', { name: zh['console.rota.prev-month'] }).click();
    }
    const todayCell = page.locator(`.rota-month td[data-date="${today}"]`);
    await todayCell.locator(`li[data-staff="${first.id}"]`).waitFor();
    expect(await todayCell.locator('li').count()).toBe(1);
    expect(await todayCell.getAttribute('aria-current')).toBe('date');

    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-rota')).toEqual([]);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-rota-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);

    // A month later and back, by the buttons.
    const shown = await page.locator('.rota-month').getAttribute('data-month');
    await page.getByRole('button', { name: zh['console.rota.next-month'] }).click();
    await expect.poll(() => page.locator('.rota-month').getAttribute('data-month')).not.toBe(shown);
    await page.getByRole('button', { name: zh['console.rota.this-month'] }).click();
    await expect.poll(() => page.locator('.rota-month').getAttribute('data-month')).toBe(today.slice(0, 7));
    // The screen then drops the month from its address (after drawing it): wait for that, so that the next test's
    // move to another screen does not race with it.
    await page.waitForFunction(() => window.location.hash === '#/rota');
  });

  it('pairs an unpaired child from the warning by keyboard, sees the warning go, then unpairs', async () => {
    const first = who('teacher1');
    await page.goto(`${world.webUrl}/console/#/pairings`);
    const before = await admin.json<Board>('/api/pairings');
    const child = before.unpairedChildren[0]!;
    const name = `${child.familyName}${child.givenName}`;
    const title = page.locator('#pairings-unpaired-title');
    await title.waitFor();
    expect(await title.textContent()).toBe(
      t('console.pairings.unpaired-title', { count: before.unpairedChildren.length }),
    );
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-pairings')).toEqual([]);

    // Keyboard only: Enter on the child, then on the teacher.
    const chip = page.locator(`.pairings-unpaired button[data-child="${child.childId}"]`);
    await chip.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: t('console.pairings.pick-teacher', { child: name }) });
    await dialog.waitFor();
    expect(await audit.check(page, 'console-pairings-pick-teacher')).toEqual([]);
    await dialog.locator(`button[data-staff="${first.id}"]`).focus();
    await page.keyboard.press('Enter');
    await page.getByText(t('console.pairings.paired', { child: name, teacher: first.name })).waitFor();
    await expect.poll(() => chip.count()).toBe(0);
    expect(await title.textContent()).toBe(
      t('console.pairings.unpaired-title', { count: before.unpairedChildren.length - 1 }),
    );
    const card = page.locator(`.pairings-teacher[data-staff="${first.id}"]`);
    await card.locator(`li[data-child="${child.childId}"]`).waitFor();
    // The demo pairs each teacher with three: a fourth is over, and the warning leads to the teacher's card.
    const over = page.getByText(t('console.pairings.over', { name: first.name, count: 4 }), { exact: true });
    await over.waitFor();
    await page
      .locator('.banner', { has: over })
      .getByRole('button', { name: zh['console.pairings.over-action'] })
      .click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`teacher-${first.id}`);
    const after = await admin.json<Board>('/api/pairings');
    expect(after.unpairedChildren.map((c) => c.childId)).not.toContain(child.childId);
    expect(after.warnings).toContainEqual({ code: 'teacher-over-3', staffId: first.id, count: 4 });
    expect(await audit.check(page, 'console-pairings-paired')).toEqual([]);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-pairings-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);

    // Unpair, after a question: the child is back among the unpaired and the teacher is at three again.
    await card
      .getByRole('button', { name: t('console.pairings.unpair-label', { teacher: first.name, child: name }) })
      .click();
    const ask = page.getByRole('dialog', { name: zh['console.pairings.unpair-title'] });
    await ask.waitFor();
    await ask.getByRole('button', { name: zh['console.pairings.unpair'] }).click();
    await page
      .getByText(
        `${t('console.pairings.unpaired', { child: name, teacher: first.name })} ${t(
          'console.pairings.still-unpaired',
          { child: name },
        )}`,
      )
      .waitFor();
    await chip.waitFor();
    await expect.poll(() => over.count()).toBe(0);
    expect(await card.locator(`li[data-child="${child.childId}"]`).count()).toBe(0);
    const last = await admin.json<Board>('/api/pairings');
    expect(last.unpairedChildren.map((c) => c.childId)).toContain(child.childId);
    expect(last.warnings.filter((w) => w.code === 'teacher-over-3')).toEqual([]);

    // From the teacher's side: "add a child" offers the unpaired first; a search narrows the list.
    await card.getByRole('button', { name: t('console.pairings.add-label', { name: first.name }) }).click();
    const pick = page.getByRole('dialog', { name: t('console.pairings.pick-child', { name: first.name }) });
    await pick.waitFor();
    await pick.getByLabel(zh['console.pairings.search']).fill(name);
    await pick.locator(`button[data-child="${child.childId}"]`).waitFor();
    expect(await audit.check(page, 'console-pairings-pick-child')).toEqual([]);
    await pick.getByRole('button', { name: zh['console.common.close'] }).click();
    await pick.waitFor({ state: 'detached' });
  });

  it('shows a teacher the rota read-only and only their own pairs; the write routes answer 403', async () => {
    const first = who('teacher1');
    const teacherPage = await browser.context.newPage();
    try {
      await teacherPage.goto(`${world.webUrl}/console/#/rota`);
      // Another staff member in the same browser: sign the admin out first.
      await teacherPage.getByRole('button', { name: zh['console.shell.sign-out'] }).click();
      await signInToConsole(teacherPage, DEMO_TEACHER);
      await teacherPage.goto(`${world.webUrl}/console/#/rota`);
      await teacherPage.locator('.rota-week').waitFor();
      await teacherPage.locator(`.rota-month td[data-date="${today}"] li`).first().waitFor();
      expect(await teacherPage.locator('.rota-near-day[data-day="today"] strong').textContent()).toBe(first.name);
      expect(await teacherPage.locator('input[type="checkbox"]').count()).toBe(0);
      expect(await teacherPage.getByRole('button', { name: zh['console.rota.save'] }).count()).toBe(0);
      expect(await teacherPage.locator('form.rota-override').count()).toBe(0);
      expect(await teacherPage.locator('.rota-day-pick').count()).toBe(0);
      expect(await teacherPage.getByRole('button', { name: zh['console.rota.delete'] }).count()).toBe(0);
      expect(await hasNoSideScroll(teacherPage)).toBe(true);
      expect(await audit.check(teacherPage, 'console-rota-teacher')).toEqual([]);

      await teacherPage.getByRole('link', { name: zh['console.nav.pairings'] }).click();
      const cards = teacherPage.locator('.pairings-teacher');
      await cards.first().waitFor();
      expect(await cards.count()).toBe(1);
      expect(await cards.first().getAttribute('data-staff')).toBe(first.id);
      expect(await cards.first().locator('li').count()).toBe(3);
      expect(await teacherPage.locator('.pairings-unpair').count()).toBe(0);
      expect(await teacherPage.locator('.pairings-unpaired').count()).toBe(0);
      expect(await teacherPage.getByText(zh['console.pairings.add']).count()).toBe(0);
      await teacherPage.setViewportSize(CONSOLE_TABLET);
      expect(await hasNoSideScroll(teacherPage)).toBe(true);
      expect(await audit.check(teacherPage, 'console-pairings-teacher-1024')).toEqual([]);
    } finally {
      await teacherPage.close();
    }

    // The routes decide, not only the screens.
    const board = await teacherApi.json<Board>('/api/pairings');
    const mine = board.teachers.find((x) => x.staffId === first.id)!.children[0]!;
    const unpaired = board.unpairedChildren[0]!;
    const override = await admin.json<{ id: string }>('/api/duty/overrides', {
      method: 'POST',
      json: { date: tomorrow, staffId: first.id, kind: 'add' },
      status: 201,
    });
    const refused = [
      await teacherApi.request('/api/duty/pattern', { method: 'PUT', json: [] }),
      await teacherApi.request('/api/duty/overrides', {
        method: 'POST',
        json: { date: tomorrow, staffId: first.id, kind: 'remove' },
      }),
      await teacherApi.request(`/api/duty/overrides/${override.id}`, { method: 'DELETE' }),
      await teacherApi.request('/api/pairings', {
        method: 'POST',
        json: { staffId: first.id, childId: unpaired.childId },
      }),
      await teacherApi.request(`/api/pairings/${mine.pairingId}`, { method: 'DELETE' }),
    ];
    expect(refused.map((res) => res.status)).toEqual([403, 403, 403, 403, 403]);
    // Nothing changed.
    expect((await admin.json<{ entries: unknown[] }>('/api/duty/pattern')).entries.length).toBeGreaterThan(0);
    expect((await admin.json<OnDuty>(`/api/duty?date=${tomorrow}`)).overrides.map((o) => o.id)).toContain(override.id);
    const still = await admin.json<Board>('/api/pairings');
    expect(still.teachers.find((x) => x.staffId === first.id)!.children.map((c) => c.pairingId)).toContain(
      mine.pairingId,
    );
    expect(still.unpairedChildren.map((c) => c.childId)).toContain(unpaired.childId);
  });
});

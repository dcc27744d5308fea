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
  signInToConsole,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];

/** Whether `login` can sign in with `password` (the status of `POST /api/auth/login`). */
async function signInStatus(world: CallWorld, login: string, password: string): Promise<number> {
  const res = await fetch(`${world.webUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  return res.status;
}

/** The password the open dialog shows once; the dialog is closed after reading it. */
async function readPasswordOnce(page: Page): Promise<string> {
  const dialog = page.getByRole('dialog');
  const shown = dialog.locator('[data-password]');
  await shown.waitFor();
  const password = (await shown.innerText()).trim();
  expect(await dialog.innerText()).toContain(zh['console.staff.password-note']);
  return password;
}

describe('console: staff, Home settings and the audit log, as the admin and as a teacher', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console'] });
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('a teacher sees none of the three screens, is told only the admin may open them, and gets 403', async () => {
    const teacher = await world.signIn(DEMO_TEACHER.login, DEMO_TEACHER.password);
    for (const [method, pathname] of [
      ['GET', '/api/staff'],
      ['POST', '/api/staff/stf_0000000000000000/deactivate'],
      ['GET', '/api/audit'],
      ['PATCH', '/api/home'],
    ] as const) {
      const json = method === 'PATCH' ? { slotMinutes: 20 } : method === 'POST' ? {} : undefined;
      expect((await teacher.request(pathname, { method, json })).status, `${method} ${pathname}`).toBe(403);
    }

    await page.goto(`${world.webUrl}/console/#/today`);
    await signInToConsole(page, DEMO_TEACHER);
    const navText = (await page.locator('nav').allInnerTexts()).join(' ');
    for (const key of ['console.nav.staff', 'console.nav.settings', 'console.nav.audit'] as const) {
      expect(navText).not.toContain(zh[key]);
    }
    for (const screen of ['staff', 'settings', 'audit']) {
      await page.goto(`${world.webUrl}/console/#/${screen}`);
      await page.getByText(zh['console.shell.admin-only']).waitFor();
      expect(await page.locator('table, form.card').count()).toBe(0);
    }
    expect(await audit.check(page, 'console-staff-teacher-admin-only')).toEqual([]);
    await page.getByRole('button', { name: zh['console.shell.sign-out'] }).click();
    await page.getByLabel(zh['console.signin.login'], { exact: true }).waitFor();
  }, 600_000);

  it('the admin adds a teacher (password shown once), resets the password, deactivates and reactivates, and cannot remove the last admin', async () => {
    await signInToConsole(page, DEMO_ADMIN);
    const manage = page.getByRole('navigation', { name: zh['console.nav.manage'] });
    await manage.getByRole('link', { name: zh['console.nav.staff'] }).click();
    const table = page.locator('table.staff-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(1);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-staff')).toEqual([]);

    // Add a teacher: the password shows once, large, with the note; closed, it is gone.
    await page.getByRole('button', { name: zh['console.staff.add'] }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh['console.staff.display-name'], { exact: true }).fill('孙晓梅');
    await dialog.getByLabel(zh['console.staff.username'], { exact: true }).fill('zhao.e2e');
    await dialog.getByLabel(zh['console.staff.phone'], { exact: true }).fill('138 1234 5678');
    await dialog.getByRole('button', { name: zh['console.staff.add-submit'] }).click();
    const first = await readPasswordOnce(page);
    expect(first).toMatch(/^[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}$/);
    expect(await audit.check(page, 'console-staff-password')).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: zh['console.staff.password-done'] }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await page.locator('[data-password]').count()).toBe(0);
    expect(await page.content()).not.toContain(first);
    const row = table.locator('tbody tr', { hasText: '孙晓梅' });
    await row.waitFor();
    expect(await row.innerText()).toContain('zhao.e2e');
    // The phone is masked in the list.
    expect(await row.innerText()).toContain('138****5678');
    expect(await row.innerText()).not.toContain('12345678');
    expect(await row.innerText()).toContain(zh['console.staff.active']);
    // The new teacher signs in with it.
    expect(await signInStatus(world, 'zhao.e2e', first)).toBe(200);

    // A taken username is answered at the field.
    await page.getByRole('button', { name: zh['console.staff.add'] }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh['console.staff.display-name'], { exact: true }).fill('另一位孙老师');
    await dialog.getByLabel(zh['console.staff.username'], { exact: true }).fill('ZHAO.E2E');
    await dialog.getByRole('button', { name: zh['console.staff.add-submit'] }).click();
    await dialog.getByText(zh['error.staff.username-taken']).waitFor();
    expect(await dialog.getByLabel(zh['console.staff.username'], { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await dialog.getByRole('button', { name: zh['console.staff.cancel'] }).click();

    // Rename: the edit form starts from the whole record.
    await row.getByRole('button', { name: zh['console.staff.edit'] }).click();
    dialog = page.getByRole('dialog');
    const nameField = dialog.getByLabel(zh['console.staff.display-name'], { exact: true });
    expect(await nameField.inputValue()).toBe('孙晓梅');
    expect(await dialog.getByLabel(zh['console.staff.phone'], { exact: true }).inputValue()).toBe('+8613812345678');
    await nameField.fill('孙小梅');
    await dialog.getByRole('button', { name: zh['console.staff.save'] }).click();
    const renamed = table.locator('tbody tr', { hasText: '孙小梅' });
    await renamed.getByText(zh['console.staff.saved'].replace('{name}', '孙小梅')).waitFor();

    // A new password, shown once as well: the old one stops working.
    await renamed.getByRole('button', { name: zh['console.staff.reset-password'] }).click();
    await page.getByRole('dialog').getByRole('button', { name: zh['console.staff.reset-submit'] }).click();
    const second = await readPasswordOnce(page);
    expect(second).not.toBe(first);
    await page.getByRole('dialog').getByRole('button', { name: zh['console.staff.password-done'] }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await signInStatus(world, 'zhao.e2e', first)).toBe(401);
    expect(await signInStatus(world, 'zhao.e2e', second)).toBe(200);

    // Deactivate (asked twice), then reactivate.
    await renamed.getByRole('button', { name: zh['console.staff.deactivate'], exact: true }).click();
    await renamed.getByRole('button', { name: zh['console.staff.deactivate-yes'] }).click();
    await renamed.getByText(zh['console.staff.inactive'], { exact: true }).waitFor();
    expect(await signInStatus(world, 'zhao.e2e', second)).toBe(401);
    await renamed.getByRole('button', { name: zh['console.staff.reactivate'] }).click();
    await renamed.getByText(zh['console.staff.active'], { exact: true }).waitFor();
    expect(await signInStatus(world, 'zhao.e2e', second)).toBe(200);

    // The admin is the Home's only admin: the API refuses to remove or demote them, and the row says why.
    const me = table.locator('tbody tr', { hasText: zh['console.staff.me'] });
    await me.getByRole('button', { name: zh['console.staff.deactivate'], exact: true }).click();
    await me.getByRole('button', { name: zh['console.staff.deactivate-yes'] }).click();
    await me.getByText(zh['error.staff.own-deactivate']).waitFor();
    expect(await me.innerText()).toContain(zh['console.staff.active']);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-staff-last-admin')).toEqual([]);
    await me.getByRole('button', { name: zh['console.staff.edit'] }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh['console.staff.role'], { exact: true }).selectOption('teacher');
    await dialog.getByRole('button', { name: zh['console.staff.save'] }).click();
    await dialog.getByText(zh['error.staff.own-role']).waitFor();
    await dialog.getByRole('button', { name: zh['console.staff.cancel'] }).click();
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-staff-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);
  }, 600_000);

  it('the admin changes a setting (kept after a reload) and sees the API refuse an out-of-range one at the field', async () => {
    await page.goto(`${world.webUrl}/console/#/settings`);
    const slot = page.getByLabel(zh['console.settings.slot-minutes'], { exact: true });
    await slot.waitFor();
    expect(
      await page.getByText(zh['console.settings.range-minutes'].replace('{min}', '1').replace('{max}', '120')).count(),
    ).toBe(1);
    const zone = page.getByLabel(zh['console.settings.time-zone'], { exact: true });
    expect(await zone.inputValue()).toBe('Asia/Shanghai');
    expect(await zone.locator('option').first().getAttribute('value')).toBe('Asia/Shanghai');
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-settings')).toEqual([]);

    const before = Number(await slot.inputValue());
    const next = before === 20 ? 25 : 20;
    await slot.fill(String(next));
    await page.getByRole('button', { name: zh['console.settings.save'] }).click();
    await page.getByText(zh['console.settings.saved']).waitFor();
    await page.reload();
    await expect
      .poll(() => page.getByLabel(zh['console.settings.slot-minutes'], { exact: true }).inputValue())
      .toBe(String(next));

    const buffer = page.getByLabel(zh['console.settings.buffer-minutes'], { exact: true });
    await buffer.fill('61');
    await page.getByRole('button', { name: zh['console.settings.save'] }).click();
    await expect.poll(() => buffer.getAttribute('aria-invalid')).toBe('true');
    const tooBig = zh['validation.too_big'].replace('{max}', '60');
    const describedBy = (await buffer.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(errorId).toBeTruthy();
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toBe(tooBig);
    expect(await page.locator('.field-error').count()).toBe(1);
    expect(await audit.check(page, 'console-settings-error')).toEqual([]);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-settings-error-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);
    // Nothing of the refused change was kept.
    const admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    const home = await admin.json<ApiResponse<'GET /api/home'>>('/api/home');
    expect(home.bufferMinutes).not.toBe(61);
    expect(home.slotMinutes).toBe(next);

    // The SMS signature the provider would refuse is refused at its field, in words, and not stored.
    await page.reload();
    const sign = page.getByLabel(zh['console.settings.sms-sign-name'], { exact: true });
    expect(await sign.inputValue()).toBe('');
    await sign.fill('石门【小学】');
    await page.getByRole('button', { name: zh['console.settings.save'] }).click();
    await expect.poll(() => sign.getAttribute('aria-invalid')).toBe('true');
    await page.getByText(zh['validation.sms_sign_name']).waitFor();
    expect(await audit.check(page, 'console-settings-sign-error')).toEqual([]);
    expect((await admin.json<ApiResponse<'GET /api/home'>>('/api/home')).smsSignName).toBeNull();
  }, 600_000);

  it('the admin opens the audit log, pages with 更多, and filters to the staff change just made (field names, no values)', async () => {
    // A teacher reads 55 records: more than one page of the log.
    const teacher = await world.signIn(DEMO_TEACHER.login, DEMO_TEACHER.password);
    const children = await teacher.json<ApiResponse<'GET /api/children'>>('/api/children?limit=55&offset=0');
    expect(children.items.length).toBe(55);
    for (const child of children.items) await teacher.json(`/api/children/${child.id}`);
    const someone = children.items[3]!;

    await page.goto(`${world.webUrl}/console/#/audit`);
    const table = page.locator('table.audit-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(50);
    await page.getByRole('button', { name: zh['console.audit.more'] }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(50);
    const ids = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-audit')));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-audit')).toEqual([]);

    // By child (picked by name): the teacher's read of that record.
    await page.getByLabel(zh['console.audit.child'], { exact: true }).selectOption({
      label: `${someone.familyName}${someone.givenName}`,
    });
    await table.locator(`tbody tr[data-action="child.read"][data-subject="${someone.id}"]`).waitFor();
    await expect
      .poll(async () => {
        const subjects = await table
          .locator('tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-subject') ?? ''));
        return subjects.every((subject) => subject === someone.id || subject.startsWith('bkg_'));
      })
      .toBe(true);
    await page.getByRole('button', { name: zh['console.audit.clear'] }).first().click();

    // By person and today: the admin's staff change shows the field's name, not the old or the new name.
    const adminMe = await (await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password)).json<
      ApiResponse<'GET /api/auth/me'>
    >('/api/auth/me');
    await page.getByLabel(zh['console.audit.person'], { exact: true }).selectOption(adminMe.staff.id);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await page.getByLabel(zh['console.audit.from'], { exact: true }).fill(today);
    await page.getByLabel(zh['console.audit.to'], { exact: true }).fill(today);
    const update = table.locator('tbody tr[data-action="staff.update"]');
    await update.first().waitFor();
    expect(page.url()).toContain(`staff=${adminMe.staff.id}`);
    const actions = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions).toContain('staff.create');
    expect(actions).toContain('staff.password_reset');
    expect(actions).toContain('home.update');
    expect(actions).not.toContain('child.read');
    const rename = update.first();
    expect(await rename.locator('td.audit-fields').innerText()).toBe('displayName');
    expect(await rename.innerText()).toContain(zh['console.audit.action.staff.update']);
    expect(await rename.locator('td.audit-fields').innerText()).not.toContain('孙');
    const settingsRow = table.locator('tbody tr[data-action="home.update"]').first();
    expect(await settingsRow.locator('td.audit-fields').innerText()).toBe('slotMinutes');
    for (const cell of await table.locator('td.audit-fields').allInnerTexts()) expect(cell).not.toMatch(/\d/);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-audit-filtered')).toEqual([]);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-audit-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);

    // Days in the wrong order are answered at "to", before any request.
    await page.getByLabel(zh['console.audit.from'], { exact: true }).fill('2026-09-09');
    await page.getByLabel(zh['console.audit.to'], { exact: true }).fill('2026-09-01');
    await page.getByText(zh['validation.date_order']).waitFor();
  }, 600_000);
});

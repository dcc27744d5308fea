import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDistrictAdmin, DEFAULT_DISTRICT_ID, openDatabase } from '@affection/db';
import {
  type CallWorld,
  type ChromiumSession,
  CONSOLE_PC,
  DEMO_ADMIN,
  hasNoSideScroll,
  launchChromium,
  ScreenAudit,
  signInToConsole,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import { hash } from '@node-rs/argon2';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];
const COUNTY = { login: 'county.e2e', password: 'county password for the test' };

describe('console: a district admin creates a second Home, works in it, and its data stays its own', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console'] });
    const url = world.config.databaseUrl;
    if (!url) throw new Error('the call world runs on a PostgreSQL server');
    const database = await openDatabase({ kind: 'postgres', url, maxConnections: 1 });
    try {
      const made = await addDistrictAdmin(database.db, DEFAULT_DISTRICT_ID, {
        displayName: '县教育局',
        username: COUNTY.login,
        passwordHash: await hash(COUNTY.password),
      });
      expect(made.ok).toBe(true);
    } finally {
      await database.close();
    }
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('creates a Home from the 区县 screen (password shown once), switches to it and sees its empty lists; the first Home admin cannot reach its children', async () => {
    await page.goto(`${world.webUrl}/console/`);
    await signInToConsole(page, COUNTY);
    // The district admin lands on 区县, with no Home chosen yet.
    await page.getByRole('heading', { name: zh['console.nav.district'] }).waitFor();
    const table = page.locator('table.district-table');
    await table.waitFor();
    const homesBefore = await table.locator('tbody tr').count();
    expect(homesBefore).toBe(1);
    // The console names the county office, not the duty teachers, in its bar and the window's title.
    expect(await page.locator('.topbar .brand').textContent()).toBe(zh['console.title.district']);
    expect(await page.title()).toBe(`${zh['console.nav.district']} · ${zh['console.title.district']}`);
    expect(await page.getByLabel(zh['console.district.current-home']).inputValue()).toBe('');
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-district')).toEqual([]);

    // The reach is counted over a period chosen as on the reports screen: this term asks the API for the term's days.
    const now = new Date();
    const year = now.getFullYear();
    const month = now.getMonth() + 1;
    const term =
      month >= 9
        ? { from: `${year}-09-01`, to: `${year + 1}-01-31` }
        : month === 1
          ? { from: `${year - 1}-09-01`, to: `${year}-01-31` }
          : { from: `${year}-02-01`, to: `${year}-08-31` };
    const termAsked = page.waitForResponse(
      (res) => res.url().includes('/api/district/homes?') && res.url().includes(`from=${term.from}&to=${term.to}`),
    );
    await page.getByRole('button', { name: zh['console.reports.preset.this-term'] }).click();
    expect((await termAsked).status()).toBe(200);
    await page.getByText(zh['console.district.intro'].split('{from}')[0]! + term.from).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);

    await page.getByLabel(zh['console.district.home-name'], { exact: true }).fill('第二之家');
    expect(await page.getByLabel(zh['console.settings.time-zone'], { exact: true }).inputValue()).toBe('Asia/Shanghai');
    await page.getByLabel(zh['console.district.admin-name'], { exact: true }).fill('周老师');
    await page.getByLabel(zh['console.district.admin-username'], { exact: true }).fill('second.admin');
    await page.getByRole('button', { name: zh['console.district.create'] }).click();
    const dialog = page.getByRole('dialog');
    const shown = dialog.locator('[data-password]');
    await shown.waitFor();
    const password = ((await shown.textContent()) ?? '').trim();
    expect(password).toMatch(/^[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}$/);
    expect(await audit.check(page, 'console-district-password')).toEqual([]);
    await dialog.getByRole('button', { name: zh['console.staff.password-done'] }).click();
    await table.locator('tbody tr').nth(1).waitFor();
    const secondRow = table.locator('tbody tr', { hasText: '第二之家' });
    const secondHomeId = await secondRow.getAttribute('data-home');
    expect(secondHomeId).toMatch(/^hom_/);

    // A taken username is refused beside the field, and no Home is made.
    await page.getByLabel(zh['console.district.home-name'], { exact: true }).fill('第三之家');
    await page.getByLabel(zh['console.district.admin-name'], { exact: true }).fill('重名');
    await page.getByLabel(zh['console.district.admin-username'], { exact: true }).fill('SECOND.ADMIN');
    await page.getByRole('button', { name: zh['console.district.create'] }).click();
    await page.getByText(zh['error.staff.username-taken']).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);

    // The new Home's admin signs in with the password shown once.
    const secondAdmin = await world.signIn('second.admin', password);
    expect((await secondAdmin.request('/api/children')).status).toBe(200);

    // Switch to it from the shell: the console works on the new Home, whose lists are empty.
    await page.getByLabel(zh['console.district.current-home']).selectOption(secondHomeId!);
    // Until the switch is done the children screen is not open (no Home chosen); then it shows the new Home's.
    await page.goto(`${world.webUrl}/console/#/children`);
    await page.getByText(zh['console.children.count'].replace('{n}', '0')).waitFor();
    await page.getByText(zh['console.children.none']).waitFor();
    await page.goto(`${world.webUrl}/console/#/staff`);
    const staffRows = page.locator('table.staff-table tbody tr');
    await staffRows.first().waitFor();
    expect(await staffRows.count()).toBe(1);
    expect(await staffRows.first().textContent()).toContain('周老师');
    expect(await audit.check(page, 'console-district-second-home-staff')).toEqual([]);

    // A child of the second Home: the first Home's admin neither lists nor opens it.
    const household = await secondAdmin.json<{ id: string }>('/api/households', {
      method: 'POST',
      json: { name: '赵家' },
      status: 201,
    });
    const child = await secondAdmin.json<{ id: string }>('/api/children', {
      method: 'POST',
      json: { householdId: household.id, familyName: '赵', givenName: '小雪' },
      status: 201,
    });
    const firstAdmin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    expect((await firstAdmin.request(`/api/children/${child.id}`)).status).toBe(404);
    const listed = await firstAdmin.request('/api/children?limit=200');
    expect(listed.status).toBe(200);
    expect(await listed.text()).not.toContain(child.id);
    expect((await firstAdmin.request('/api/district/homes?from=2026-12-01&to=2026-12-31')).status).toBe(403);

    // Back to the first Home: its children are there again.
    await page.getByLabel(zh['console.district.current-home']).selectOption({ index: 1 });
    await page.goto(`${world.webUrl}/console/#/children`);
    await page.locator('table').first().waitFor();
    expect(await page.getByText(zh['console.children.count'].replace('{n}', '0')).count()).toBe(0);
  }, 600_000);
});

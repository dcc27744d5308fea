import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listAuditForSubject } from '@affection/db';
import {
  type CallWorld,
  type ChromiumSession,
  CONSOLE_PC,
  CONSOLE_TABLET,
  DEMO_ADMIN,
  DEMO_TEACHER,
  enrolKioskWithCode,
  hasNoSideScroll,
  launchChromium,
  ScreenAudit,
  type StaffClient,
  signInToConsole,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];

/** The kiosk app's version, as its build sends it. */
async function kioskAppVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(root, 'apps/kiosk/package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

describe('console: kiosks and job queues (admin)', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  let admin: StaffClient;
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console', 'kiosk'] });
    admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
    await page.goto(`${world.webUrl}/console/#/kiosks`);
    await signInToConsole(page, DEMO_ADMIN);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('adds a kiosk, shows its code large with a countdown, enrols a kiosk with it, renames, turns it off and on, revokes', async () => {
    await page.goto(`${world.webUrl}/console/#/kiosks`);
    await page.locator('.kiosk-table tbody tr').first().waitFor();
    // The demo Home's two kiosks are listed; never enrolled, so no contact yet.
    expect(await page.locator('.kiosk-table tbody tr').count()).toBe(2);
    expect(await page.locator('.kiosk-table').getByText(zh['console.kiosks.never']).count()).toBe(2);
    expect(await page.locator('.kiosk-table').getByText(zh['console.kiosks.no-selftest']).count()).toBe(2);

    // Add one: its code is shown at once, large, in two groups of four, counting down from 10 minutes.
    await page.getByLabel(zh['console.kiosks.add-name']).fill('3号机');
    await page.getByRole('button', { name: zh['console.kiosks.add'] }).click();
    const digits = page.locator('.enrol-code-digits');
    await digits.waitFor();
    const shown = (await digits.textContent()) ?? '';
    expect(shown).toMatch(/^\d{4} \d{4}$/);
    const size = await digits.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(48);
    const left = page.locator('.enrol-code-left');
    const firstLeft = (await left.textContent()) ?? '';
    expect(firstLeft).toMatch(/^还剩 (10:00|9:[0-5]\d)$/);
    // The countdown moves on by itself.
    await page.waitForFunction(
      (before) => document.querySelector('.enrol-code-left')?.textContent !== before,
      firstLeft,
    );
    const row = page.locator('.kiosk-table tbody tr', { hasText: '3号机' });
    await expect.poll(() => row.getAttribute('data-status')).toBe('awaiting-enrolment');
    expect(await row.textContent()).toContain(zh['console.kiosks.status.code-waiting']);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-kiosks-code')).toEqual([]);

    // A kiosk is enrolled with the code read off the screen; the list then shows its contact "刚刚" and its version.
    const kioskPage = await browser.context.newPage();
    try {
      await enrolKioskWithCode(kioskPage, world.webUrl, shown);
    } finally {
      await kioskPage.close();
    }
    const version = await kioskAppVersion();
    await page.getByRole('button', { name: zh['console.kiosks.refresh'] }).click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('enrolled');
    await expect.poll(async () => (await row.locator('.kiosk-contact').textContent()) ?? '').toBe('刚刚');
    expect(await row.locator('.kiosk-version').textContent()).toBe(version);
    const exact = await row.locator('.kiosk-contact time').getAttribute('title');
    expect(exact).toMatch(/\d{2}:\d{2}/);
    await page.getByRole('button', { name: zh['console.kiosks.code-done'] }).click();
    expect(await audit.check(page, 'console-kiosks-list')).toEqual([]);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-kiosks-list-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);

    // Rename.
    await row.getByRole('button', { name: zh['console.kiosks.rename'] }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh['console.kiosks.add-name']).fill('阅览室机');
    await dialog.getByRole('button', { name: zh['console.common.save'] }).click();
    const renamed = page.locator('.kiosk-table tbody tr', { hasText: '阅览室机' });
    await renamed.waitFor();
    expect(await page.locator('.kiosk-table tbody tr', { hasText: '3号机' }).count()).toBe(0);

    // Off, then on again.
    await renamed.getByRole('button', { name: zh['console.kiosks.turn-off'] }).click();
    await renamed.getByRole('button', { name: zh['console.kiosks.turn-on'] }).waitFor();
    expect(await renamed.locator('.kiosk-badge').textContent()).toBe(zh['console.kiosks.off']);
    const id = (await renamed.getAttribute('data-kiosk')) ?? '';
    const listed = await admin.json<{ items: { id: string; enabled: boolean }[] }>('/api/kiosks');
    expect(listed.items.find((k) => k.id === id)?.enabled).toBe(false);
    await renamed.getByRole('button', { name: zh['console.kiosks.turn-on'] }).click();
    await renamed.getByRole('button', { name: zh['console.kiosks.turn-off'] }).waitFor();
    expect(await renamed.locator('.kiosk-badge').textContent()).toBe(zh['console.kiosks.on']);

    // Revoke: asked first, with what it means; cancelling changes nothing.
    await renamed.getByRole('button', { name: zh['console.kiosks.revoke'] }).click();
    await page.getByRole('dialog').getByText(zh['console.kiosks.revoke-explain']).waitFor();
    expect(await audit.check(page, 'console-kiosks-revoke-confirm')).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: zh['console.common.cancel'] }).click();
    expect(await renamed.getAttribute('data-status')).toBe('enrolled');
    await renamed.getByRole('button', { name: zh['console.kiosks.revoke'] }).click();
    await page.getByRole('dialog').getByRole('button', { name: zh['console.kiosks.revoke-confirm'] }).click();
    await expect.poll(() => renamed.getAttribute('data-status')).toBe('revoked');
    expect(await renamed.textContent()).toContain(zh['console.kiosks.status.revoked']);
    expect(await renamed.getByRole('button', { name: zh['console.kiosks.get-code'] }).count()).toBe(1);
    const after = await admin.json<{ items: { id: string; status: string }[] }>('/api/kiosks');
    expect(after.items.find((k) => k.id === id)?.status).toBe('revoked');
  });

  it('says a code has expired when its 10 minutes are up, and makes a new one', async () => {
    await page.goto(`${world.webUrl}/console/#/kiosks`);
    await page.locator('.kiosk-table tbody tr').first().waitFor();
    // The page's clock runs from now on, then jumps past the code's 10 minutes.
    await page.clock.install();
    await page.getByLabel(zh['console.kiosks.add-name']).fill('4号机');
    await page.getByRole('button', { name: zh['console.kiosks.add'] }).click();
    await page.locator('.enrol-code-digits').waitFor();
    const first = await page.locator('.enrol-code-digits').textContent();
    await page.clock.fastForward('10:01');
    await page.getByText(zh['console.kiosks.code-expired']).waitFor();
    expect(await page.locator('.enrol-code-digits').count()).toBe(0);
    expect(await audit.check(page, 'console-kiosks-code-expired')).toEqual([]);
    // Last contacts are told against the server's clock, not the page's (now 10 minutes ahead): the kiosk enrolled
    // in the test before was heard from moments ago.
    const reread = page.waitForResponse((response) => response.url().endsWith('/api/kiosks'));
    await page.getByRole('button', { name: zh['console.kiosks.refresh'] }).click();
    await reread;
    const heard = page.locator('.kiosk-table tbody tr', { hasText: '阅览室机' }).locator('.kiosk-contact');
    await expect.poll(async () => (await heard.textContent()) ?? '').toMatch(/^(刚刚|1分钟前)$/);
    await page.locator('.enrol-code').getByRole('button', { name: zh['console.kiosks.new-code'] }).click();
    await page.locator('.enrol-code-digits').waitFor();
    expect(await page.locator('.enrol-code-digits').textContent()).not.toBe(first);
    expect(await page.locator('.enrol-code-left').textContent()).toMatch(/^还剩 (10:00|9:[0-5]\d)$/);
  });

  it('shows the queues with their counts and opens the board, read-only and, after confirming, with actions', async () => {
    const queuesPage = await browser.context.newPage();
    const violations: string[] = [];
    queuesPage.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    // A job the SMS worker refuses for good (not a version 1 payload): one failed job to look at and retry.
    const badJob = await world.workers.workers.smsQueue.add('send', { v: 0 }, { jobId: 'sms-e2e-refused' });
    await expect.poll(() => badJob.getState(), { timeout: 30_000 }).toBe('failed');
    try {
      await queuesPage.goto(`${world.webUrl}/console/#/queues`);
      const table = queuesPage.locator('.queue-table');
      await table.locator('tbody tr').first().waitFor();
      const names = await table
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-queue')));
      expect(names).toEqual(['system', 'sms', 'lifecycle', 'call-events', 'home-schedules']);
      expect(await table.locator('tr[data-queue="sms"] td[data-state="failed"]').textContent()).toBe('1');
      expect(await table.textContent()).toContain(zh['console.queues.name.sms']);
      expect(await hasNoSideScroll(queuesPage)).toBe(true);
      expect(await audit.check(queuesPage, 'console-queues')).toEqual([]);
      await queuesPage.setViewportSize(CONSOLE_TABLET);
      expect(await hasNoSideScroll(queuesPage)).toBe(true);
      expect(await audit.check(queuesPage, 'console-queues-1024')).toEqual([]);
      await queuesPage.setViewportSize(CONSOLE_PC);

      // The read-only board: its own page under the console's path, its assets allowed by its policy.
      await queuesPage.getByRole('link', { name: zh['console.queues.open-board'] }).click();
      await queuesPage.waitForURL(`${world.webUrl}/console/queues/`);
      await queuesPage.getByText('home-schedules').first().waitFor();
      await queuesPage
        .getByText(/\d+ 个作业/)
        .first()
        .waitFor();
      // The board's own interface is not ours: screenshot only (axe-core is run on our screens).
      await queuesPage.screenshot({ path: path.join(artifacts, 'console-queues-board.png'), fullPage: true });
      expect(violations).toEqual([]);

      // Confirming lets the board act for 10 minutes.
      await queuesPage.goto(`${world.webUrl}/console/#/queues`);
      const confirm = queuesPage.getByRole('button', { name: zh['console.queues.confirm'] });
      await confirm.waitFor();
      expect(await confirm.isDisabled()).toBe(true);
      await queuesPage.getByLabel(zh['console.queues.understand']).check();
      await confirm.click();
      const openActions = queuesPage.getByRole('link', { name: zh['console.queues.open-actions'] });
      await openActions.waitFor();
      expect(await audit.check(queuesPage, 'console-queues-confirmed')).toEqual([]);
      await openActions.click();
      await queuesPage.waitForURL(`${world.webUrl}/console/queue-actions/`);
      await queuesPage
        .getByText(/\d+ 个作业/)
        .first()
        .waitFor();
      // Retry the failed job from the board, in the browser: the board's own request passes our checks.
      await queuesPage.goto(`${world.webUrl}/console/queue-actions/queue/sms?status=failed`);
      await queuesPage.getByText('sms-e2e-refused').first().waitFor();
      await queuesPage.screenshot({ path: path.join(artifacts, 'console-queues-board-actions.png'), fullPage: true });
      const retried = queuesPage.waitForResponse(
        (response) =>
          response.url().endsWith('/console/queue-actions/api/queues/sms/retry/failed') &&
          response.request().method() === 'PUT',
      );
      await queuesPage.getByRole('button', { name: '重试全部', exact: true }).click();
      await queuesPage.getByRole('button', { name: '确认', exact: true }).click();
      expect((await retried).status()).toBe(200);
      const actions = await listAuditForSubject(world.server.services.database.db, 'queue', 'sms');
      expect(actions.map((event) => [event.action, event.details])).toContainEqual([
        'queues.action',
        { action: 'retry-all', state: 'failed' },
      ]);
      expect(violations).toEqual([]);
    } finally {
      await queuesPage.close();
    }
  });

  it('shows a teacher neither screen and refuses them the board', async () => {
    const teacherBrowser = await launchChromium({ viewport: CONSOLE_PC });
    try {
      const teacherPage = await teacherBrowser.context.newPage();
      await teacherPage.goto(`${world.webUrl}/console/#/today`);
      await signInToConsole(teacherPage, DEMO_TEACHER);
      const nav = (await teacherPage.getByRole('navigation').allTextContents()).join(' ');
      expect(nav).not.toContain(zh['console.nav.kiosks']);
      expect(nav).not.toContain(zh['console.nav.queues']);
      await teacherPage.goto(`${world.webUrl}/console/#/kiosks`);
      await teacherPage.getByText(zh['console.shell.admin-only']).waitFor();
      const board = await teacherPage.goto(`${world.webUrl}/console/queues/`);
      expect(board?.status()).toBe(403);
      await teacherPage.getByText('只有之家管理员可以查看任务队列。').waitFor();
      const teacher = await world.signIn(DEMO_TEACHER.login, DEMO_TEACHER.password);
      expect((await teacher.request('/api/queues')).status).toBe(403);
      expect((await teacher.request('/api/kiosks')).status).toBe(403);
    } finally {
      await teacherBrowser.close();
    }
    // Nobody signed in is sent to the console's sign-in.
    const anonymous = await fetch(`${world.webUrl}/console/queues/`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/console/#/queues');
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBooking, listAuditForSubject, rebuildCallLog, saveChildMood, setCallOutcome } from '@affection/db';
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

describe('console: children and their records, as a duty teacher and the admin', () => {
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

  it('finds a child, adds one with a parent, edits a window, reads the calls; the admin approves and exports', async () => {
    const teacher = await world.signIn(DEMO_TEACHER.login, DEMO_TEACHER.password);
    const someone = (await teacher.json<ApiResponse<'GET /api/children'>>('/api/children?limit=1&offset=7')).items[0]!;

    await page.goto(`${world.webUrl}/console/#/children`);
    await signInToConsole(page, DEMO_TEACHER);
    await page.goto(`${world.webUrl}/console/#/children`);
    const table = page.locator('table.children-table');
    await table.waitFor();
    expect(await page.locator('table.children-table tbody tr').count()).toBeGreaterThan(10);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-children')).toEqual([]);

    // Search by the child's given name: the row shows class, household and teacher columns.
    await page.getByLabel(zh['console.children.search']).fill(someone.givenName);
    const row = page.locator('table.children-table tbody tr', { hasText: `${someone.familyName}${someone.givenName}` });
    await row.first().waitFor();
    await expect.poll(() => page.locator('table.children-table tbody tr').count()).toBeLessThan(10);
    expect(await row.first().innerText()).toContain(someone.householdName);

    // "My children": the three the demo pairs with this teacher.
    const meId = (await teacher.json<ApiResponse<'GET /api/auth/me'>>('/api/auth/me')).staff.id;
    const mine = await teacher.json<ApiResponse<'GET /api/children'>>(`/api/children?pairedStaffId=${meId}`);
    expect(mine.total).toBeGreaterThan(0);
    await page.getByLabel(zh['console.children.search']).fill('');
    await page.getByLabel(zh['console.children.filter-teacher']).selectOption(meId);
    await expect.poll(() => page.locator('table.children-table tbody tr').count()).toBe(mine.total);
    expect(page.url()).toContain(`teacher=${meId}`);
    await page.getByLabel(zh['console.children.filter-teacher']).selectOption('');

    // "Add a child": a new household and the first parent; a wrong number is answered beside the phone field.
    await page.getByRole('button', { name: zh['console.children.add.open'] }).click();
    const form = page.locator('form.add-child');
    await form.getByLabel(zh['console.children.add.family-name'], { exact: true }).fill('陈');
    await form.getByLabel(zh['console.children.add.given-name'], { exact: true }).fill('小燕');
    await form.getByLabel(zh['console.children.add.class'], { exact: true }).fill('二年级三班');
    await form.getByLabel(zh['console.children.add.birth-year'], { exact: true }).fill('2018');
    await form.getByLabel(zh['console.children.add.household-name'], { exact: true }).fill('陈家');
    await form.getByLabel(zh['console.children.add.contact-name'], { exact: true }).fill('陈丽');
    await form.getByLabel(zh['console.children.add.relation'], { exact: true }).selectOption('mother');
    await form.getByLabel(zh['console.children.add.country'], { exact: true }).selectOption('+34');
    await form.getByLabel(zh['console.children.add.phone'], { exact: true }).fill('12');
    await form.getByLabel(zh['console.children.add.city'], { exact: true }).fill('马德里');
    expect(await form.getByLabel(zh['console.children.add.time-zone'], { exact: true }).inputValue()).toBe(
      'Europe/Madrid',
    );
    await form.getByRole('button', { name: zh['console.children.add.submit'] }).click();
    const phone = form.getByLabel(zh['console.children.add.phone'], { exact: true });
    await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('.field-error').count()).toBe(1);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-children-add-error-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);
    await phone.fill('612 345 678');
    await form.getByRole('button', { name: zh['console.children.add.submit'] }).click();

    // The new record opens.
    await page.waitForURL(/#\/children\/chd_[0-9a-z]{16}/);
    const childId = /#\/children\/(chd_[0-9a-z]{16})/.exec(page.url())![1]!;
    await page.getByRole('heading', { level: 1, name: '陈小燕' }).waitFor();
    const contacts = page.locator('section[aria-labelledby="record-contacts"]');
    await contacts.getByText('陈丽').waitFor();
    await contacts.getByText(zh['console.record.approve-by-admin']).waitFor();
    expect(await contacts.innerText()).toContain('***');
    expect(await contacts.innerText()).not.toContain('612345678');
    await contacts.getByRole('button', { name: zh['console.record.record-consent'] }).click();
    await contacts.getByText(zh['console.record.consent-yes']).waitFor();

    // The contact's own panel: the whole number, and two windows on one evening in Madrid time.
    await contacts.getByRole('button', { name: zh['console.record.open-contact'] }).click();
    await contacts.getByText('+34612345678').waitFor();
    await contacts.getByText('Europe/Madrid', { exact: false }).first().waitFor();
    const addWindow = contacts.getByRole('button', { name: zh['console.record.add-window'] });
    await addWindow.click();
    await addWindow.click();
    const rows = contacts.locator('li.window-row');
    await expect.poll(() => rows.count()).toBe(2);
    // An overlap first: the server's problem shows at the second row.
    await rows.nth(1).locator('input.time-input').first().fill('19:30');
    await contacts.getByRole('button', { name: zh['console.record.save-windows'] }).click();
    await rows.nth(1).locator('.field-error').waitFor();
    expect(await rows.nth(0).locator('.field-error').count()).toBe(0);
    await rows.nth(1).locator('input.time-input').first().fill('20:00');
    await rows.nth(1).locator('input.time-input').nth(1).fill('21:00');
    await contacts.getByRole('button', { name: zh['console.record.save-windows'] }).click();
    await contacts.getByText(zh['console.record.windows-saved']).waitFor();
    expect(await audit.check(page, 'console-record-contact')).toEqual([]);
    // Monday evening in Madrid is Tuesday night at the Home, and the page says so under the window.
    expect(await rows.nth(0).locator('.window-here').innerText()).toContain(zh['console.weekday.2']);
    const contactId = (
      await teacher.json<ApiResponse<'GET /api/households/{id}'>>(
        `/api/households/${(await teacher.json<ApiResponse<'GET /api/children/{id}'>>(`/api/children/${childId}`)).householdId}`,
      )
    ).contacts[0]!.id;
    const windows = await teacher.json<ApiResponse<'GET /api/contacts/{id}/availability'>>(
      `/api/contacts/${contactId}/availability`,
    );
    expect(windows).toMatchObject({
      timeZone: 'Europe/Madrid',
      windows: [
        { weekday: 1, startTime: '19:00', endTime: '20:00' },
        { weekday: 1, startTime: '20:00', endTime: '21:00' },
      ],
    });

    // A second contact: the grandmother at home. The mother's number again is refused beside the phone field.
    await contacts.getByRole('button', { name: zh['console.record.add-contact'] }).click();
    const addContact = contacts.locator('form.add-contact');
    await addContact.getByLabel(zh['console.children.add.contact-name'], { exact: true }).fill('陈奶奶');
    await addContact.getByLabel(zh['console.children.add.relation'], { exact: true }).selectOption('grandmother');
    await addContact.getByLabel(zh['console.children.add.country'], { exact: true }).selectOption('+34');
    const grandmaPhone = addContact.getByLabel(zh['console.children.add.phone'], { exact: true });
    await grandmaPhone.fill('612 345 678');
    await addContact.getByRole('button', { name: zh['console.record.add-contact-save'] }).click();
    await expect.poll(() => grandmaPhone.getAttribute('aria-invalid')).toBe('true');
    expect(await addContact.locator('.field-error').innerText()).toBe(zh['error.contact.phone-taken']);
    await addContact.getByLabel(zh['console.children.add.country'], { exact: true }).selectOption('+86');
    await grandmaPhone.fill('139 1234 5678');
    await addContact.getByRole('button', { name: zh['console.record.add-contact-save'] }).click();
    await contacts.getByText('陈奶奶').waitFor();
    expect(await contacts.locator('li.contact-item').count()).toBe(2);

    // A call last week, with the face the child tapped: it shows in the call history.
    const db = world.server.services.database.db;
    const now = new Date();
    const start = new Date(now.getTime() - 8 * 86_400_000);
    const end = new Date(start.getTime() + 15 * 60_000);
    const kioskId = (
      await (
        await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password)
      ).json<ApiResponse<'GET /api/kiosks'>>('/api/kiosks')
    ).items[0]!.id;
    const child = await teacher.json<ApiResponse<'GET /api/children/{id}'>>(`/api/children/${childId}`);
    const homeId = (await teacher.json<ApiResponse<'GET /api/home'>>('/api/home')).id;
    const booked = await createBooking(db, {
      homeId,
      kioskId,
      householdId: child.householdId,
      contactId,
      childIds: [childId],
      start,
      end,
      status: 'completed',
      source: 'teacher',
      now,
    });
    if (!booked.ok) throw new Error(`booking refused: ${booked.reason}`);
    const bookingId = booked.booking.id;
    await rebuildCallLog(db, { homeId, bookingId, now }, () => ({
      participants: [],
      startedAt: new Date(start.getTime() + 30_000),
      endedAt: new Date(start.getTime() + 12 * 60_000),
      overlapSeconds: 11 * 60,
    }));
    await setCallOutcome(db, { homeId, bookingId, outcome: 'completed', now });
    await saveChildMood(db, { homeId, bookingId, childId, mood: 5, now });
    await page.reload();
    const calls = page.locator('section[aria-labelledby="record-calls"]');
    await calls.getByText(zh['console.board.outcome.completed']).waitFor();
    expect(await calls.innerText()).toContain(zh['console.record.minutes'].replace('{n}', '11'));
    await calls.getByRole('img', { name: zh['console.record.mood-5'] }).waitFor();
    expect(await page.locator('.record-head').innerText()).toContain(
      zh['console.children.weeks-ago'].replace('{n}', '1'),
    );
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-record')).toEqual([]);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-record-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);
    // A teacher sees no admin actions.
    expect(await page.getByRole('button', { name: zh['console.record.export'] }).count()).toBe(0);

    // The server kept a trail of every read of the record.
    const trail = await listAuditForSubject(db, 'child', childId);
    expect(trail.filter((event) => event.action === 'child.read').length).toBeGreaterThanOrEqual(2);
    expect(trail.map((event) => event.action)).toContain('child.calls-read');

    // The admin approves the contact and exports the record.
    await page.getByRole('button', { name: zh['console.shell.sign-out'] }).click();
    await signInToConsole(page, DEMO_ADMIN);
    await page.goto(`${world.webUrl}/console/#/children/${childId}`);
    await contacts.getByText('陈丽').waitFor();
    const mother = contacts.locator('li.contact-item', { hasText: '陈丽' });
    await mother.getByRole('button', { name: zh['console.record.approve'] }).click();
    await mother.getByText(zh['console.record.status-approved']).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: zh['console.record.export'] }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${childId}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
      format: string;
      child: { id: string };
      contacts: { phone: string }[];
    };
    expect(file.format).toBe('affection-phone/child-record@1');
    expect(file.child.id).toBe(childId);
    expect(file.contacts.map((c) => c.phone)).toContain('+34612345678');
    await page.getByText(zh['console.record.exported']).waitFor();
    // Erase asks for the record number first; a wrong one keeps the button off.
    await page.getByRole('button', { name: zh['console.record.erase'] }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh['console.record.erase-confirm-label']).fill('chd_wrong');
    expect(await dialog.getByRole('button', { name: zh['console.record.erase-now'], exact: true }).isDisabled()).toBe(
      true,
    );
    expect(await audit.check(page, 'console-record-admin')).toEqual([]);
    await dialog.getByRole('button', { name: zh['console.common.cancel'] }).click();
    const exportTrail = await listAuditForSubject(db, 'child', childId);
    expect(exportTrail.map((event) => event.action)).toContain('child.export');
  }, 600_000);
});

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schema } from '@affection/db';
import type { ApiResponse } from '@affection/server/contract';
import {
  type CallWorld,
  type ChromiumSession,
  CONSOLE_PC,
  CONSOLE_TABLET,
  DEMO_ADMIN,
  DEMO_TEACHER,
  enrolmentLinkFor,
  findVideoParties,
  hasNoSideScroll,
  launchChromium,
  openParentLink,
  ScreenAudit,
  type StaffClient,
  signInToConsole,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import { and, eq } from 'drizzle-orm';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];
/** An A4 page at 96 dpi, for a look at the print layout. */
const A4 = { width: 794, height: 1123 };

type Slots = ApiResponse<'GET /api/bookings/available-slots'>;
type Booking = ApiResponse<'POST /api/bookings'>;

/**
 * The pixels of the first QR code on the page: its SVG drawn into a canvas in the page (white around it, as on
 * paper), handed back as RGBA.
 */
async function qrPixels(page: Page, selector: string): Promise<{ data: number[]; width: number; height: number }> {
  return page.evaluate(async (css) => {
    const svg = document.querySelector(`${css} svg`);
    if (!svg) throw new Error('no QR code on the page');
    const xml = new XMLSerializer().serializeToString(svg);
    const url = URL.createObjectURL(new Blob([xml], { type: 'image/svg+xml' }));
    const image = new Image();
    image.src = url;
    await image.decode();
    const size = 480;
    const canvas = document.createElement('canvas');
    canvas.width = size + 80;
    canvas.height = size + 80;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.imageSmoothingEnabled = false;
    context.drawImage(image, 40, 40, size, size);
    URL.revokeObjectURL(url);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    return { data: Array.from(pixels.data), width: pixels.width, height: pixels.height };
  }, selector);
}

/**
 * Enrols every kiosk of the Home as a device through the API (an admin's code, then the kiosk's own enrol call):
 * a Home books calls only on enrolled kiosks, and the demo Home's are not enrolled yet.
 */
async function enrolEveryKiosk(world: CallWorld, admin: StaffClient): Promise<void> {
  const { items } = await admin.json<{ items: { id: string }[] }>('/api/kiosks');
  for (const kiosk of items) {
    const { enrolmentCode } = await admin.json<{ enrolmentCode: string }>(`/api/kiosks/${kiosk.id}/enrolment-code`, {
      method: 'POST',
      status: 200,
    });
    const res = await fetch(`${world.webUrl}/api/kiosk/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: enrolmentCode }),
    });
    if (!res.ok) throw new Error(`kiosk enrolment answered ${res.status}`);
  }
}

describe('console: contact cards and the outbox', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console', 'family'] });
    await enrolEveryKiosk(world, await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password));
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it("prints a household's contact card whose QR code signs the parent in; the older link is revoked", async () => {
    const admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    const [party] = await findVideoParties(admin, 1);
    const { household, contact } = party!;
    // A call booked for the household (the card lists it), and a card printed before: its link on a phone.
    const { slots } = await admin.json<Slots>(
      `/api/bookings/available-slots?householdId=${household.id}&contactId=${contact.id}&anyTime=true`,
    );
    expect(slots.length).toBeGreaterThan(0);
    await admin.json<Booking>('/api/bookings', {
      method: 'POST',
      json: { householdId: household.id, contactId: contact.id, start: slots[0]!.start },
      status: 201,
    });
    const olderUrl = await enrolmentLinkFor(admin, contact.id);
    const enrolled = await fetch(`${world.webUrl}/api/family/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: olderUrl.split('/').pop() }),
    });
    expect(enrolled.status).toBe(200);
    const { deviceToken: olderPhone } = (await enrolled.json()) as { deviceToken: string };
    const familyMe = (token: string) =>
      fetch(`${world.webUrl}/api/family/me`, { headers: { authorization: `Family ${token}` } }).then((r) => r.status);
    expect(await familyMe(olderPhone)).toBe(200);

    // The record links here with the household chosen: its card shows at once, the QR code not made yet.
    await page.goto(`${world.webUrl}/console/#/cards?household=${household.id}`);
    await signInToConsole(page, DEMO_ADMIN);
    await page.goto(`${world.webUrl}/console/#/cards?household=${household.id}`);
    const card = page.locator(`.contact-card[data-contact="${contact.id}"]`);
    await card.waitFor();
    const cardText = await card.innerText();
    expect(cardText).toContain(contact.name);
    expect(cardText).toContain(`${party!.child.familyName}${party!.child.givenName}`);
    expect(cardText).toContain(zh['console.cards.qr-later']);
    expect(cardText).not.toContain(zh['console.cards.no-times']);
    expect(await page.locator('.picked-list li').count()).toBe(1);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-cards')).toEqual([]);

    // Printing makes a fresh link per parent, draws its QR code, then opens the browser's print.
    await page.evaluate(() => {
      const marks = window as unknown as { printed: number; print: () => void };
      marks.printed = 0;
      marks.print = () => {
        marks.printed += 1;
      };
    });
    await page.getByRole('button', { name: zh['console.cards.print'] }).click();
    await card.locator('.qr-code[data-qr="ready"]').waitFor();
    await page.waitForFunction(() => (window as unknown as { printed: number }).printed === 1);
    // One card and one fresh link per approved parent of the household.
    const cards = await page.locator('.contact-card').count();
    expect(await page.locator('.contact-card .qr-code[data-qr="ready"]').count()).toBe(cards);
    await page
      .getByText(zh['console.cards.made'].replace('{count}', String(cards)).slice(0, 8))
      .first()
      .waitFor();
    expect(await audit.check(page, 'console-cards-printed')).toEqual([]);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-cards-1024')).toEqual([]);

    // The print layout: only the cards, four to an A4 page (Chromium's own PDF of it counts the pages).
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize(A4);
    await page.screenshot({ path: path.join(artifacts, 'console-cards-print.png'), fullPage: true });
    expect(await page.locator('.household-picker').isVisible()).toBe(false);
    expect(await card.isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await writeFile(path.join(artifacts, 'console-cards-print.pdf'), pdf);
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(Math.ceil(cards / 4));
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(CONSOLE_PC);

    // Scan the printed QR code: it holds the fresh link, which signs a parent's phone in.
    const pixels = await qrPixels(page, `.contact-card[data-contact="${contact.id}"] .qr-code`);
    const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
    expect(decoded?.data).toMatch(new RegExp(`^${world.webUrl}/family/enrol/[\\w-]+$`));
    expect(decoded?.data).not.toBe(olderUrl);
    const phone = await launchChromium({ viewport: { width: 390, height: 844 } });
    try {
      const parentPage = await phone.context.newPage();
      await openParentLink(parentPage, decoded!.data);
      await parentPage.screenshot({ path: path.join(artifacts, 'console-cards-scanned-parent.png') });
    } finally {
      await phone.close();
    }

    // The earlier link is listed with a revoke; the fresh one is marked as just printed and offers none.
    const older = page.locator(`.older-links[data-contact="${contact.id}"]`);
    await older.locator('.older-link').nth(1).waitFor();
    const fresh = older.locator('.older-link', { hasText: zh['console.cards.link-new'] });
    expect(await fresh.count()).toBe(1);
    expect(await fresh.getByRole('button').count()).toBe(0);
    const earlier = older.locator('.older-link[data-status="active"]', { hasNotText: zh['console.cards.link-new'] });
    expect(await earlier.count()).toBe(1);
    await earlier.getByRole('button', { name: zh['console.cards.revoke'] }).click();
    const dialog = page.getByRole('dialog', { name: zh['console.cards.revoke-title'] });
    await dialog.waitFor();
    expect(await audit.check(page, 'console-cards-revoke')).toEqual([]);
    await dialog.getByRole('button', { name: zh['console.cards.revoke'] }).click();
    await older.getByText(zh['console.cards.revoked'].replace('{count}', '1')).waitFor();
    await older.locator('.older-link[data-status="revoked"]').waitFor();
    // The phone the earlier card signed in is signed out; the phone that scanned the new card is not.
    expect(await familyMe(olderPhone)).toBe(401);
    expect(await audit.check(page, 'console-cards-revoked')).toEqual([]);
  });

  it("lists a booking's message with its call, and never shows a parent's sign-in code in full", async () => {
    const admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    const [, party] = await findVideoParties(admin, 2);
    const { household, contact, child } = party!;
    const { slots } = await admin.json<Slots>(
      `/api/bookings/available-slots?householdId=${household.id}&contactId=${contact.id}&anyTime=true`,
    );
    const booking = await admin.json<Booking>('/api/bookings', {
      method: 'POST',
      json: { householdId: household.id, contactId: contact.id, start: slots[0]!.start },
      status: 201,
    });
    // The parent asks for a sign-in code by phone number; the code SMS goes out through the same outbox.
    const { phone } = await admin.json<{ phone: string }>(`/api/contacts/${contact.id}`);
    const asked = await fetch(`${world.webUrl}/api/family/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone }),
    });
    expect(asked.status).toBe(202);
    const db = world.server.services.database.db;
    const codeMessage = async () =>
      (
        await db
          .select()
          .from(schema.smsMessages)
          .where(and(eq(schema.smsMessages.toPhone, phone), eq(schema.smsMessages.template, 'one-time-code')))
      )[0];
    await expect.poll(async () => (await codeMessage())?.body ?? '', { timeout: 20_000 }).toMatch(/\d{6}/);
    const code = /\d{6}/.exec((await codeMessage())!.body)![0];
    await expect
      .poll(async () => (await admin.json<{ total: number }>(`/api/outbox?bookingId=${booking.id}`)).total, {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);

    const teacherPage = await browser.context.newPage();
    try {
      await teacherPage.goto(`${world.webUrl}/console/#/outbox`);
      // Another staff member in the same browser: sign the admin out first.
      await teacherPage.getByRole('button', { name: zh['console.shell.sign-out'] }).click();
      await signInToConsole(teacherPage, DEMO_TEACHER);
      await teacherPage.goto(`${world.webUrl}/console/#/outbox`);
      const rows = teacherPage.locator('table.outbox-table tbody tr');
      await rows.first().waitFor();
      const codeRow = rows.filter({ hasText: '••••••' }).first();
      await codeRow.waitFor();
      expect(await teacherPage.locator('body').innerText()).not.toContain(code);
      expect(await teacherPage.content()).not.toContain(code);
      expect(await teacherPage.locator('body').innerText()).not.toContain(phone.slice(-8));
      const childName = `${child.familyName}${child.givenName}`;
      const bookingRow = rows.filter({ hasText: childName }).first();
      await bookingRow.waitFor();
      expect(await hasNoSideScroll(teacherPage)).toBe(true);
      expect(await audit.check(teacherPage, 'console-outbox')).toEqual([]);

      // Only this call's messages, then only failed ones of it (none), then back to all.
      await bookingRow.getByRole('button', { name: zh['console.outbox.only-this-call'] }).click();
      await teacherPage.waitForURL(new RegExp(`booking=${booking.id}`));
      await expect.poll(() => rows.filter({ hasNotText: childName }).count()).toBe(0);
      expect(await rows.count()).toBeGreaterThan(0);
      await teacherPage.getByLabel(zh['console.outbox.stage'], { exact: true }).selectOption('failed');
      await teacherPage.getByText(zh['console.outbox.empty']).waitFor();
      await teacherPage.setViewportSize(CONSOLE_TABLET);
      expect(await hasNoSideScroll(teacherPage)).toBe(true);
      expect(await audit.check(teacherPage, 'console-outbox-filtered-1024')).toEqual([]);
      await teacherPage.setViewportSize(CONSOLE_PC);
      await teacherPage.getByRole('button', { name: zh['console.outbox.show-all'] }).click();
      await teacherPage.getByLabel(zh['console.outbox.stage'], { exact: true }).selectOption('');
      await codeRow.waitFor();
    } finally {
      await teacherPage.close();
    }
  });
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { createBooking } from '@affection/db';
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

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A landscape PNG like a phone photo of a child: sky, a round face with eyes and a smile off the centre,
 * grass below. Made here, byte by byte, so that the test needs no picture file.
 */
function childPhotoPng(width = 960, height = 640): Buffer {
  const rows: Buffer[] = [];
  const cx = width * 0.58;
  const cy = height * 0.45;
  const r = height * 0.28;
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      let rgb: [number, number, number] =
        y > height * 0.78 ? [76, 150, 70] : [150, 200, 240 - Math.round((y / height) * 60)];
      const dx = x - cx;
      const dy = y - cy;
      if (dx * dx + dy * dy < r * r) rgb = [250, 214, 170];
      const eye = (ex: number) => (x - ex) ** 2 + (y - (cy - r * 0.2)) ** 2 < (r * 0.1) ** 2;
      if (eye(cx - r * 0.35) || eye(cx + r * 0.35)) rgb = [40, 30, 30];
      const smile = Math.abs(Math.hypot(dx, dy - r * 0.05) - r * 0.5) < r * 0.05 && dy > r * 0.15;
      if (smile) rgb = [180, 40, 50];
      if (dy < -r * 0.55 && dx * dx + dy * dy < (r * 1.05) ** 2) rgb = [50, 35, 25];
      row.set(rgb, 1 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A confirmed call for the party's child on one of the kiosks, starting within the next half hour. */
async function bookDueCall(world: CallWorld, teacher: StaffClient, party: CallParty, kiosks: KioskSummary[]) {
  const db = world.server.services.database.db;
  const homeId = (await teacher.json<ApiResponse<'GET /api/home'>>('/api/home')).id;
  const now = new Date();
  for (const minutes of [12, 17, 22, 7]) {
    for (const kiosk of kiosks) {
      const start = new Date(Math.ceil((now.getTime() + minutes * 60_000) / 60_000) * 60_000);
      const result = await createBooking(db, {
        homeId,
        kioskId: kiosk.id,
        householdId: party.household.id,
        contactId: party.contact.id,
        childIds: [party.child.id],
        start,
        end: new Date(start.getTime() + 15 * 60_000),
        status: 'confirmed',
        source: 'teacher',
        now,
      });
      if (result.ok) return result.booking;
    }
  }
  throw new Error('no free kiosk in the next half hour');
}

describe('console: the kiosk photo and the growth diary on the child record, and the photo on the kiosk tile', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console', 'kiosk'] });
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('a teacher uploads a cropped photo, the kiosk tile shows it for a due call, and a diary entry is written, changed and deleted', async () => {
    const teacher = await world.signIn(DEMO_TEACHER.login, DEMO_TEACHER.password);
    const admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    const [party] = (await findVideoParties(teacher, 1)) as [CallParty];
    const childId = party.child.id;
    const fullName = `${party.child.familyName}${party.child.givenName}`;

    await page.goto(`${world.webUrl}/console/#/children/${childId}`);
    await signInToConsole(page, DEMO_TEACHER);
    await page.goto(`${world.webUrl}/console/#/children/${childId}`);
    await page.getByRole('heading', { level: 1, name: fullName }).waitFor();
    const photo = page.locator('[data-testid="child-photo"]');
    await photo.getByText(zh['console.photo.none']).waitFor();
    expect(await audit.check(page, 'console-photo-1-none')).toEqual([]);

    // Choose a landscape picture from the PC: the crop shows, zoom in and move it, and save.
    const png = childPhotoPng();
    // Two ways to get a picture: a file from the PC, or the tablet's back camera.
    expect(await photo.locator('input[type="file"][capture="environment"]').count()).toBe(1);
    await photo.locator('input[type="file"]:not([capture])').setInputFiles({
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: png,
    });
    const zoom = photo.getByLabel(zh['console.photo.zoom']);
    await zoom.waitFor();
    await zoom.fill('1.4');
    await photo.getByLabel(zh['console.photo.move-x']).fill('0.3');
    // A photo an older browser shows on its side can be turned: the preview changes, four turns go round.
    const previewOf = () => photo.locator('canvas').evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL());
    const upright = await previewOf();
    const turn = photo.getByRole('button', { name: zh['console.photo.turn'] });
    await turn.click();
    expect(await previewOf()).not.toBe(upright);
    for (let i = 0; i < 3; i += 1) await turn.click();
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-photo-2-crop')).toEqual([]);
    await photo.getByRole('button', { name: zh['console.photo.save'] }).click();
    await photo.getByText(zh['console.photo.saved']).waitFor();
    const shown = photo.getByRole('img', { name: zh['console.photo.alt'].replace('{name}', fullName) });
    await shown.waitFor();
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(512);
    expect(await shown.getAttribute('src')).toMatch(new RegExp(`^/api/children/${childId}/photo\\?v=[0-9a-f]{16}$`));
    expect(await audit.check(page, 'console-photo-3-saved')).toEqual([]);

    // What the server keeps: a 512×512 WebP (or JPEG) made by the page, well under the limit.
    const child = await teacher.json<ApiResponse<'GET /api/children/{id}'>>(`/api/children/${childId}`);
    expect(child.photoUrl).toBe(await shown.getAttribute('src'));
    const bytes = await teacher.request(child.photoUrl!);
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toMatch(/^image\/(webp|jpeg)$/);
    expect(bytes.headers.get('cache-control')).toMatch(/^private/);
    const size = (await bytes.arrayBuffer()).byteLength;
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThanOrEqual(300 * 1024);

    // The kiosk: enrolled, a call due soon for this child; its tile shows the photo with the name under it.
    const kiosks = (await admin.json<ApiResponse<'GET /api/kiosks'>>('/api/kiosks')).items;
    const kioskPage = await browser.context.newPage();
    await kioskPage.setViewportSize({ width: 1280, height: 800 });
    await enrolKioskPage(world, admin, kiosks[0]!, kioskPage);
    await bookDueCall(world, teacher, party, kiosks);
    await kioskPage.reload();
    const tile = kioskPage.locator(`.tile[data-child="${childId}"]`);
    await tile.waitFor();
    const avatar = tile.locator('.avatar');
    await expect.poll(() => avatar.getAttribute('data-photo'), { timeout: 15_000 }).toBe('shown');
    const tileImage = avatar.locator('img');
    await expect.poll(() => tileImage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(512);
    expect(await tile.locator('.tile__name').textContent()).toBe(party.child.givenName);
    expect(await avatar.textContent()).toBe('');
    await kioskPage.screenshot({ path: path.join(artifacts, 'kiosk-tile-photo.png') });
    // The kiosk read the photo with its own token, from the kiosk's URL.
    const calls = await kioskPage.evaluate(async () => {
      const token = localStorage.getItem('affection.kiosk.deviceToken');
      const res = await fetch('/api/kiosk/calls', { headers: { authorization: `Kiosk ${token}` } });
      return (await res.json()) as { calls: { children: { id: string; photoUrl: string | null }[] }[] };
    });
    const listed = calls.calls.flatMap((call) => call.children).find((c) => c.id === childId);
    expect(listed?.photoUrl).toBe(
      `/api/kiosk/children/${childId}/photo?v=${/v=([0-9a-f]{16})/.exec(child.photoUrl!)![1]}`,
    );
    await kioskPage.close();

    // The growth diary: write an entry with two lines, a face and two tags.
    const diary = page.locator('[data-testid="growth-diary"]');
    await diary.getByText(zh['console.diary.empty']).waitFor();
    await diary.getByRole('button', { name: zh['console.diary.add'] }).click();
    const form = diary.locator('form.diary-form');
    // Empty text: the server's problem shows beside the field, and nothing is lost.
    await form.getByRole('button', { name: zh['console.diary.save'] }).click();
    const text = form.getByLabel(zh['console.diary.text'], { exact: true });
    await expect.poll(() => text.getAttribute('aria-invalid')).toBe('true');
    expect(await audit.check(page, 'console-diary-1-error')).toEqual([]);
    await text.fill('今天和妈妈视频了十分钟，很开心。\n数学作业也按时交了。');
    await form.getByText(zh['console.diary.mood.4'], { exact: true }).click();
    await form.getByRole('button', { name: zh['console.diary.tag.study'] }).click();
    await form.getByRole('button', { name: zh['console.diary.tag.family'] }).click();
    expect(await form.getByRole('button', { name: zh['console.diary.tag.family'] }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await audit.check(page, 'console-diary-2-form')).toEqual([]);
    await form.getByRole('button', { name: zh['console.diary.save'] }).click();
    await diary.getByText(zh['console.diary.saved']).waitFor();
    const entry = diary.locator('li.diary-entry').first();
    await entry.getByText('数学作业也按时交了。', { exact: false }).waitFor();
    expect(await entry.textContent()).toContain(zh['console.diary.tag.study']);
    await entry.getByRole('img', { name: `${zh['console.diary.mood']}: ${zh['console.diary.mood.4']}` }).waitFor();
    const saved = await teacher.json<ApiResponse<'GET /api/children/{id}/diary'>>(`/api/children/${childId}/diary`);
    expect(saved.entries).toHaveLength(1);
    expect(saved.entries[0]).toMatchObject({
      text: '今天和妈妈视频了十分钟，很开心。\n数学作业也按时交了。',
      mood: 4,
      tags: ['study', 'family'],
      canEdit: true,
    });

    // A second, older entry sorts below; the first is changed.
    await diary.getByRole('button', { name: zh['console.diary.add'] }).click();
    await form.getByLabel(zh['console.diary.date'], { exact: true }).fill('2026-09-01');
    await form.getByLabel(zh['console.diary.text'], { exact: true }).fill('开学第一天，有点想家。');
    await form.getByText(zh['console.diary.mood.2'], { exact: true }).click();
    await form.getByRole('button', { name: zh['console.diary.tag.emotion'] }).click();
    await form.getByRole('button', { name: zh['console.diary.save'] }).click();
    await expect.poll(() => diary.locator('li.diary-entry').count()).toBe(2);
    expect(await diary.locator('li.diary-entry').nth(1).textContent()).toContain('开学第一天');

    await entry.getByRole('button', { name: zh['console.diary.edit'] }).click();
    const editForm = diary.locator('li.diary-entry form.diary-form');
    await editForm.getByLabel(zh['console.diary.text'], { exact: true }).fill('今天和妈妈视频了十分钟，很开心。');
    await editForm.getByRole('button', { name: zh['console.diary.save'] }).click();
    await diary.locator('li.diary-entry').first().getByText(zh['console.diary.edited'], { exact: false }).waitFor();
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-diary-3-entries')).toEqual([]);

    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-photo-diary-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);

    // Delete the older entry, after the confirmation.
    await diary.locator('li.diary-entry').nth(1).getByRole('button', { name: zh['console.diary.delete'] }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(zh['console.diary.delete-confirm']).waitFor();
    await dialog.getByRole('button', { name: zh['console.diary.delete'] }).click();
    await diary.getByText(zh['console.diary.deleted']).waitFor();
    await expect.poll(() => diary.locator('li.diary-entry').count()).toBe(1);
    const left = await teacher.json<ApiResponse<'GET /api/children/{id}/diary'>>(`/api/children/${childId}/diary`);
    expect(left.entries.map((e) => e.text)).toEqual(['今天和妈妈视频了十分钟，很开心。']);

    // Removing the photo brings the name back on the card.
    await photo.getByRole('button', { name: zh['console.photo.remove'] }).click();
    await page.getByRole('dialog').getByRole('button', { name: zh['console.photo.remove'] }).click();
    await photo.getByText(zh['console.photo.none']).waitFor();
    expect((await teacher.request(child.photoUrl!)).status).toBe(404);
  }, 300_000);
});

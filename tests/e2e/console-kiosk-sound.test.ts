import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiResponse } from '@affection/server/contract';
import {
  type CallWorld,
  type ChromiumSession,
  CONSOLE_PC,
  CONSOLE_TABLET,
  DEMO_ADMIN,
  enrolKioskPage,
  hasNoSideScroll,
  type KioskSummary,
  launchChromium,
  ScreenAudit,
  type StaffClient,
  signInToConsole,
  startCallWorld,
} from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];
const KIOSK = { width: 1280, height: 800 };
/** The kiosk asks for its calls every 15 s: its next request carries the new state. */
const NEXT_REQUEST_MS = 40_000;

describe('console: the kiosks list shows each kiosk’s sound as the kiosk reports it', () => {
  let world: CallWorld;
  const sessions: ChromiumSession[] = [];
  let admin: StaffClient;
  let kiosks: KioskSummary[];
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console', 'kiosk'] });
    admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    kiosks = (await admin.json<ApiResponse<'GET /api/kiosks'>>('/api/kiosks')).items;
  }, 600_000);

  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await world?.close();
  });

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const session = await launchChromium({ viewport });
    sessions.push(session);
    return session.context.newPage();
  }

  /** The row's sound cell once the list, read again with 刷新, shows `text`. */
  async function soundShows(page: Page, row: Locator, text: string): Promise<void> {
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: zh['console.kiosks.refresh'] }).click();
          await page.locator('.kiosk-table tbody tr').first().waitFor();
          return ((await row.locator('.kiosk-sound').textContent()) ?? '').trim();
        },
        { timeout: NEXT_REQUEST_MS, interval: 2_000 },
      )
      .toContain(text);
  }

  it('未检测 before a tap, 声音正常 once the sound plays, 没有声音 on a kiosk that cannot play', async () => {
    const [first, second] = kiosks as [KioskSummary, KioskSummary];
    // Kiosk 1 plays sound; kiosk 2 is a tablet with no sound device (no AudioContext at all).
    const playing = await newPage(KIOSK);
    const silent = await newPage(KIOSK);
    await silent.addInitScript(() => {
      Object.defineProperty(window, 'AudioContext', { value: undefined, configurable: true });
    });
    await enrolKioskPage(world, admin, first, playing);
    await enrolKioskPage(world, admin, second, silent);
    // Typing the code was a tap; a kiosk started again (at night, say) is silent until someone touches it.
    for (const kiosk of [playing, silent]) {
      await kiosk.reload();
      await kiosk.locator('[data-screen="home"]').waitFor();
    }

    const page = await newPage(CONSOLE_PC);
    await page.goto(`${world.webUrl}/console/#/kiosks`);
    await signInToConsole(page, DEMO_ADMIN);
    await page.locator('.kiosk-table tbody tr').first().waitFor();
    const rowOf = (kiosk: KioskSummary) => page.locator(`.kiosk-table tbody tr[data-kiosk="${kiosk.id}"]`);
    await expect(page.locator('.kiosk-table thead').textContent()).resolves.toContain(zh['console.kiosks.col-sound']);

    // Nobody has touched either kiosk: the sound was never tried.
    await soundShows(page, rowOf(first), zh['console.kiosks.sound.unchecked']);
    await soundShows(page, rowOf(second), zh['console.kiosks.sound.unchecked']);

    // A child taps each screen: the first starts its sound, the second cannot.
    await playing.locator('[data-screen="home"]').click({ position: { x: 640, y: 400 } });
    await silent.locator('[data-screen="home"]').click({ position: { x: 640, y: 400 } });
    await silent.getByText(zh['kiosk.audio.none']).waitFor();
    await soundShows(page, rowOf(first), zh['console.kiosks.sound.ok']);
    await soundShows(page, rowOf(second), zh['console.kiosks.sound.none']);
    expect(await rowOf(second).locator('.kiosk-sound').getAttribute('data-sound')).toBe('no-output');
    expect(await rowOf(first).locator('.kiosk-sound').getAttribute('data-sound')).toBe('ok');
    expect(await rowOf(second).locator('.kiosk-sound span').first().getAttribute('title')).toMatch(/\d{1,2}:\d{2}/);
    const color = await rowOf(second)
      .locator('.kiosk-sound-none')
      .evaluate((el) => getComputedStyle(el).color);
    expect(color).not.toBe(
      await rowOf(first)
        .locator('.kiosk-sound-ok')
        .evaluate((el) => getComputedStyle(el).color),
    );

    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-kiosks-sound-1366')).toEqual([]);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-kiosks-sound-1024')).toEqual([]);
  }, 600_000);
});

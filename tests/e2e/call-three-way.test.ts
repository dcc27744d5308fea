import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { schema } from '@affection/db';
import type { ApiResponse } from '@affection/server/contract';
import {
  type CallWorld,
  type ChromiumSession,
  type ContactSummary,
  DEMO_ADMIN,
  enrolKioskPage,
  type HouseholdDetail,
  hasNoSideScroll,
  type KioskSummary,
  launchChromium,
  makeHomeForQuickCalls,
  ScreenAudit,
  type StaffClient,
  signInParentPage,
  startCallWorld,
} from '@affection/test-support';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const SECOND = 1000;
const KIOSK_VIEWPORT = { width: 1280, height: 800 };
const PHONE_VIEWPORT = { width: 360, height: 740 };
/** A call of two minutes: its last minute, and the goodbye cue, come within the test. */
const SLOT_MINUTES = 2;
/** Booked this far ahead: time for the kiosk and both parents to get in before it starts. */
const LEAD_MS = 45 * SECOND;

interface Booking {
  id: string;
  start: string;
  end: string;
  kioskId: string;
}

/** Frames the `<video data-testid=…>` has decoded so far (0 while it is missing). */
function decodedFrames(page: Page, testId: string): Promise<number> {
  return page.evaluate(
    (id) =>
      (document.querySelector(`[data-testid="${id}"]`) as HTMLVideoElement | null)?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0,
    testId,
  );
}

/** Waits until the page's `<video data-testid=…>` decodes frames, and more again afterwards (it keeps playing). */
async function waitForDecoding(page: Page, testId: string): Promise<{ first: number; later: number }> {
  await page.waitForFunction(
    (id) =>
      ((document.querySelector(`[data-testid="${id}"]`) as HTMLVideoElement | null)?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0) > 0,
    testId,
    { timeout: 30_000 },
  );
  const first = await decodedFrames(page, testId);
  await page.waitForFunction(
    ([id, seen]) =>
      ((document.querySelector(`[data-testid="${id}"]`) as HTMLVideoElement | null)?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0) >
      Number(seen) + 10,
    [testId, first] as const,
    { timeout: 30_000 },
  );
  return { first, later: await decodedFrames(page, testId) };
}

describe('a three-way call: the kiosk and two parents on the real server and LiveKit', () => {
  let world: CallWorld;
  let admin: StaffClient;
  let kiosk: KioskSummary;
  let household: HouseholdDetail;
  let child: HouseholdDetail['children'][number];
  let parents: [ContactSummary, ContactSummary];
  const sessions: ChromiumSession[] = [];
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld();
    admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    await makeHomeForQuickCalls(admin, SLOT_MINUTES);
    [kiosk] = (await admin.json<ApiResponse<'GET /api/kiosks'>>('/api/kiosks')).items as [KioskSummary];
    // A household whose mother and father both call by video from the Home's zone, approved.
    const contacts = (await admin.json<{ items: ContactSummary[] }>('/api/contacts?limit=200')).items;
    const byHousehold = new Map<string, ContactSummary[]>();
    for (const c of contacts) {
      if (c.status !== 'approved' || c.channel !== 'video' || c.timeZone !== 'Asia/Shanghai') continue;
      byHousehold.set(c.householdId, [...(byHousehold.get(c.householdId) ?? []), c]);
    }
    const pair = [...byHousehold.values()].find((list) => list.length >= 2);
    if (!pair) throw new Error('the demo Home has no household with two parents calling by video');
    parents = [pair[0]!, pair[1]!];
    household = await admin.json<HouseholdDetail>(`/api/households/${parents[0].householdId}`);
    const found = household.children.find((c) => c.archivedAt === null);
    if (!found) throw new Error('the household has no child at school');
    child = found;
  }, 240_000);

  afterAll(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
    await world?.close();
    await writeFile(
      path.join(artifacts, 'call-three-way-axe.json'),
      `${JSON.stringify(audit.records, null, 2)}\n`,
    ).catch(() => undefined);
  }, 120_000);

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const session = await launchChromium({ viewport });
    sessions.push(session);
    const page = await session.context.newPage();
    page.setDefaultTimeout(30_000);
    return page;
  }

  async function checkScreen(page: Page, name: string): Promise<void> {
    expect(await audit.check(page, name), `axe-core on ${name}`).toEqual([]);
  }

  it('each side decodes the other two videos, both parents get the goodbye cue at one minute left, and the log names both', async () => {
    const kioskPage = await newPage(KIOSK_VIEWPORT);
    const motherPage = await newPage(PHONE_VIEWPORT);
    const fatherPage = await newPage(PHONE_VIEWPORT);
    await enrolKioskPage(world, admin, kiosk, kioskPage);
    await signInParentPage(admin, parents[0], motherPage);
    await signInParentPage(admin, parents[1], fatherPage);

    // The three-way call, booked by the teacher on the kiosk that is on (it has just asked for its calls).
    const from = new Date(Date.now() + LEAD_MS).toISOString();
    const query = new URLSearchParams({
      householdId: household.id,
      contactId: parents[0].id,
      anyTime: 'true',
      from,
      to: new Date(Date.now() + LEAD_MS + 10 * 60 * SECOND).toISOString(),
    });
    const { slots } = await admin.json<{ slots: { start: string }[] }>(`/api/bookings/available-slots?${query}`);
    const slot = slots.find((s) => Date.parse(s.start) >= Date.parse(from));
    if (!slot) throw new Error('no free slot in the next ten minutes');
    const booking = await admin.json<Booking>('/api/bookings', {
      method: 'POST',
      json: {
        householdId: household.id,
        contactId: parents[0].id,
        secondContactId: parents[1].id,
        childIds: [child.id],
        kioskId: kiosk.id,
        start: slot.start,
      },
      status: 201,
    });
    const end = Date.parse(booking.end);

    // The child joins first, then one parent: that parent fills the kiosk's screen.
    await kioskPage.reload();
    await kioskPage.locator(`.tile[data-child="${child.id}"]`).click();
    await kioskPage.locator('.call-button').click();
    await kioskPage.locator('[data-screen="call"][data-phase="connected"]').waitFor();
    for (const page of [motherPage, fatherPage]) {
      await page.reload();
      await page.locator('[data-screen="home"] .open-now').waitFor();
    }
    await motherPage.getByRole('button', { name: '进入通话' }).click();
    await motherPage.locator('[data-screen="call"][data-status="connected"]').waitFor();
    await kioskPage.locator('[data-screen="call"][data-parents="1"][data-parent="video"]').waitFor();
    await waitForDecoding(kioskPage, 'remote-video');
    await checkScreen(kioskPage, 'kiosk-three-way-1-one-parent');
    expect(await kioskPage.locator('.call__parent').count()).toBe(1);

    // The second parent comes: the two side by side, each half of the screen.
    await fatherPage.getByRole('button', { name: '进入通话' }).click();
    await fatherPage.locator('[data-screen="call"][data-status="connected"]').waitFor();
    await kioskPage.locator('[data-screen="call"][data-parents="2"]').waitFor();
    const decoded = await Promise.all([
      waitForDecoding(kioskPage, 'remote-video'),
      waitForDecoding(kioskPage, 'remote-video-2'),
      waitForDecoding(motherPage, 'remote-video'),
      waitForDecoding(motherPage, 'other-parent-video'),
      waitForDecoding(fatherPage, 'remote-video'),
      waitForDecoding(fatherPage, 'other-parent-video'),
    ]);
    for (const frames of decoded) expect(frames.later).toBeGreaterThan(frames.first);
    const halves = await kioskPage
      .locator('.call__parent')
      .evaluateAll((tiles) => tiles.map((tile) => tile.getBoundingClientRect().width));
    expect(halves).toHaveLength(2);
    for (const width of halves) {
      expect(width).toBeGreaterThan(KIOSK_VIEWPORT.width * 0.45);
      expect(width).toBeLessThanOrEqual(KIOSK_VIEWPORT.width / 2);
    }
    await checkScreen(kioskPage, 'kiosk-three-way-2-both-parents');
    await checkScreen(motherPage, 'family-three-way-call');

    // No goodbye before the last minute; at one minute left both parents see it, large, and hear the chime.
    expect(end - Date.now()).toBeGreaterThan(60 * SECOND + 5 * SECOND);
    expect(await motherPage.getByTestId('goodbye').count()).toBe(0);
    const lastMinute = end - 60 * SECOND;
    const cueWait = { timeout: end - Date.now() };
    await Promise.all([
      motherPage.locator('[data-testid="goodbye"][data-chime="played"]').waitFor(cueWait),
      fatherPage.locator('[data-testid="goodbye"][data-chime="played"]').waitFor(cueWait),
      kioskPage.locator('.call__warning').waitFor(cueWait),
    ]);
    const cueSeenAt = Date.now();
    expect(cueSeenAt).toBeGreaterThanOrEqual(lastMinute - 2 * SECOND);
    expect(cueSeenAt).toBeLessThan(lastMinute + 5 * SECOND);
    // The kiosk's own cue names both parents who are in.
    const word = { mother: '妈妈', father: '爸爸' } as Record<string, string>;
    expect(await kioskPage.locator('.call__warning').textContent()).toBe(
      `还有一分钟，跟${word[parents[0].relation]}和${word[parents[1].relation]}说再见吧`,
    );
    const cue = motherPage.getByTestId('goodbye');
    expect(await cue.textContent()).toBe(`还有一分钟，跟${child.givenName}说再见吧`);
    const fontPx = await cue.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(24);
    expect(await hasNoSideScroll(motherPage)).toBe(true);
    await checkScreen(motherPage, 'family-goodbye-1-mother');
    await checkScreen(fatherPage, 'family-goodbye-2-father');
    await checkScreen(kioskPage, 'kiosk-three-way-3-goodbye');

    // The slot ends; the call log names the child and both parents.
    const untilEnd = end - Date.now() + 30 * SECOND;
    await Promise.all([
      kioskPage.locator('[data-screen="mood"]').waitFor({ timeout: untilEnd }),
      motherPage.locator('[data-screen="home"]').waitFor({ timeout: untilEnd }),
      fatherPage.locator('[data-screen="home"]').waitFor({ timeout: untilEnd }),
    ]);
    const db = world.server.services.database.db;
    const deadline = Date.now() + 180 * SECOND;
    let identities: string[] = [];
    let outcome: string | null = null;
    while (Date.now() < deadline) {
      const [log] = await db
        .select({ outcome: schema.callLogs.outcome, participants: schema.callLogs.participants })
        .from(schema.callLogs)
        .where(eq(schema.callLogs.bookingId, booking.id));
      identities = ((log?.participants as { identity?: string }[] | undefined) ?? []).flatMap((p) =>
        p.identity ? [p.identity] : [],
      );
      outcome = log?.outcome ?? null;
      if (outcome) break;
      // Each try is a new read while the workers decide the outcome.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(outcome).toBe('completed');
    expect(identities.some((id) => id.startsWith(`parent:${parents[0].id}`))).toBe(true);
    expect(identities.some((id) => id.startsWith(`parent:${parents[1].id}`))).toBe(true);
    expect(identities.some((id) => id.startsWith('kid:'))).toBe(true);
  }, 600_000);
});

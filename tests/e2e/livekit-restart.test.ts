import path from 'node:path';
import { schema } from '@affection/db';
import { COMPLETED_OVERLAP_SECONDS } from '@affection/jobs';
import type { ApiResponse } from '@affection/server/contract';
import {
  type CallParty,
  type CallWorld,
  type ChromiumSession,
  DEMO_ADMIN,
  enrolKioskPage,
  findVideoParties,
  hasNoSideScroll,
  type KioskSummary,
  launchChromium,
  makeHomeForQuickCalls,
  ScreenAudit,
  type StaffClient,
  signInParentPage,
  startCallWorld,
  waitUntil,
} from '@affection/test-support';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts/livekit-restart');
const SECOND = 1000;
/** A cheap Android phone. */
const SMALL_PHONE_VIEWPORT = { width: 360, height: 740 };
/** Time for both to get in before the one-minute slot starts (as in the call journey). */
const LEAD_MS = 40 * SECOND;
/** Both pages must be back in the call this soon after LiveKit is running again. */
const REJOIN_LIMIT_MS = 30 * SECOND;

interface Booking {
  id: string;
  start: string;
  end: string;
}
interface ChildCall {
  bookingId: string;
  bookingStatus: string;
  outcome: string | null;
  overlapSeconds: number;
}
interface LoggedParticipant {
  identity: string;
  role: string;
  periods: { joinedAt: string; leftAt: string | null }[];
}

/** The number of frames the page's remote `<video>` has decoded so far. */
function decodedFrames(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (document.querySelector('[data-testid="remote-video"]') as HTMLVideoElement | null)?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0,
  );
}

/** Waits until the page's remote video decodes more frames than `seen`. */
async function waitForMoreFrames(page: Page, seen: number): Promise<void> {
  await page.waitForFunction(
    (before) =>
      ((document.querySelector('[data-testid="remote-video"]') as HTMLVideoElement | null)?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0) >
      before + 10,
    seen,
    { timeout: 30_000 },
  );
}

describe('LiveKit restarted mid-call: the kiosk and the parent page come back by themselves', () => {
  let world: CallWorld;
  let admin: StaffClient;
  let kiosk: KioskSummary;
  let party: CallParty;
  const sessions: ChromiumSession[] = [];
  const audit = new ScreenAudit(artifacts);

  beforeAll(async () => {
    world = await startCallWorld();
    admin = await world.signIn(DEMO_ADMIN.login, DEMO_ADMIN.password);
    await makeHomeForQuickCalls(admin);
    kiosk = (await admin.json<ApiResponse<'GET /api/kiosks'>>('/api/kiosks')).items[0]!;
    [party] = (await findVideoParties(admin, 1)) as [CallParty];
  }, 240_000);
  afterAll(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
    await world?.close();
  }, 120_000);

  async function newBrowserPage(viewport: { width: number; height: number }): Promise<Page> {
    const session = await launchChromium({ viewport });
    sessions.push(session);
    const page = await session.context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function bookSoon(): Promise<Booking> {
    const from = new Date(Date.now() + LEAD_MS).toISOString();
    const to = new Date(Date.now() + LEAD_MS + 10 * 60 * SECOND).toISOString();
    const query = new URLSearchParams({
      householdId: party.household.id,
      contactId: party.contact.id,
      anyTime: 'true',
      from,
      to,
    });
    const { slots } = await admin.json<{ slots: { start: string }[] }>(`/api/bookings/available-slots?${query}`);
    const slot = slots.find((s) => Date.parse(s.start) >= Date.parse(from));
    if (!slot) throw new Error('no free slot in the next ten minutes');
    return admin.json<Booking>('/api/bookings', {
      json: {
        householdId: party.household.id,
        contactId: party.contact.id,
        childIds: [party.child.id],
        kioskId: kiosk.id,
        start: slot.start,
      },
      status: 201,
    });
  }

  it('both rejoin within 30 s, the call log shows the gap and the call is still completed', async () => {
    const kioskPage = await newBrowserPage({ width: 1280, height: 800 });
    const parentPage = await newBrowserPage(SMALL_PHONE_VIEWPORT);
    await enrolKioskPage(world, admin, kiosk, kioskPage);
    await signInParentPage(admin, party.contact, parentPage);
    const booking = await bookSoon();

    await kioskPage.reload();
    await kioskPage.locator(`.tile[data-child="${party.child.id}"]`).click();
    await kioskPage.locator('[data-screen="ready"] .call-button').click();
    await kioskPage.locator('[data-screen="call"][data-phase="connected"]').waitFor();
    await parentPage.reload();
    await parentPage.getByRole('button', { name: '进入通话' }).click();
    await parentPage.locator('[data-screen="call"][data-status="connected"]').waitFor();
    await kioskPage.locator('[data-screen="call"][data-parent="video"]').waitFor();
    await Promise.all([waitForMoreFrames(kioskPage, 0), waitForMoreFrames(parentPage, 0)]);

    // LiveKit dies (no goodbyes, no webhooks) and is started again on the same ports.
    const killedAt = Date.now();
    process.kill(world.livekit.pid!, 'SIGKILL');
    await world.livekit.waitForExit();
    await Promise.all([
      kioskPage.locator('[data-screen="call"][data-phase="reconnecting"]').waitFor(),
      parentPage.locator('[data-screen="call"][data-status="reconnecting"]').waitFor(),
    ]);
    await audit.check(kioskPage, 'kiosk-reconnecting');
    await audit.check(parentPage, 'family-reconnecting-360');
    expect(await parentPage.locator('[data-screen="call"]').textContent()).toContain('正在重新连接…');
    expect(await hasNoSideScroll(parentPage)).toBe(true);
    await world.livekit.restart();
    const restartedAt = Date.now();

    const [kioskBackMs, parentBackMs] = await Promise.all(
      [
        { page: kioskPage, back: '[data-screen="call"][data-phase="connected"][data-parent="video"]' },
        { page: parentPage, back: '[data-screen="call"][data-status="connected"]' },
      ].map(async ({ page, back }) => {
        await page.locator(back).waitFor({ timeout: REJOIN_LIMIT_MS });
        await waitForMoreFrames(page, await decodedFrames(page));
        return Date.now() - restartedAt;
      }),
    );
    await audit.check(kioskPage, 'kiosk-back-after-restart');
    await audit.check(parentPage, 'family-back-after-restart-360');
    expect(Math.max(kioskBackMs!, parentBackMs!)).toBeLessThan(REJOIN_LIMIT_MS);

    // The slot ends: both leave by themselves, and the workers decide the call.
    const untilEnd = Date.parse(booking.end) - Date.now() + 20 * SECOND;
    await Promise.all([
      kioskPage.locator('[data-screen="mood"]').waitFor({ timeout: untilEnd }),
      parentPage.locator('[data-screen="home"] .notice').waitFor({ timeout: untilEnd }),
    ]);
    const db = world.server.services.database.db;
    let logged: { outcome: string | null; overlapSeconds: number; participants: unknown } | undefined;
    await waitUntil(
      async () => {
        [logged] = await db
          .select({
            outcome: schema.callLogs.outcome,
            overlapSeconds: schema.callLogs.overlapSeconds,
            participants: schema.callLogs.participants,
          })
          .from(schema.callLogs)
          .where(eq(schema.callLogs.bookingId, booking.id));
        return Boolean(logged?.outcome);
      },
      { timeoutMs: 120_000, everyMs: 500, what: `the outcome of ${booking.id}` },
    );
    const participants = (logged!.participants as LoggedParticipant[]).filter((p) => p.role !== undefined);
    const child = participants.find((p) => p.identity.startsWith('kid:'))!;
    const parent = participants.find((p) => p.identity.startsWith('parent:'))!;
    // The gap: the child has two stays, the first ending when the kiosk lost the room (its own report: LiveKit said
    // no goodbye) and the second starting when it was back. The parent's page reports nothing of its own: LiveKit's
    // two stays of the parent read as one.
    expect(child.periods, JSON.stringify(participants)).toHaveLength(2);
    const [first, second] = child.periods as [LoggedParticipant['periods'][0], LoggedParticipant['periods'][0]];
    const lostAt = Date.parse(first.leftAt!);
    const backAt = Date.parse(second.joinedAt);
    expect(lostAt).toBeGreaterThanOrEqual(killedAt - SECOND);
    expect(lostAt).toBeLessThanOrEqual(restartedAt);
    expect(backAt).toBeGreaterThanOrEqual(restartedAt - SECOND);
    expect(parent.periods.length).toBeGreaterThanOrEqual(1);
    // Minutes together leave the gap out: at most the child's two stays.
    const childSeconds = child.periods.reduce(
      (sum, p) => sum + (Date.parse(p.leftAt!) - Date.parse(p.joinedAt)) / SECOND,
      0,
    );
    expect(logged!.overlapSeconds).toBeLessThanOrEqual(Math.ceil(childSeconds));
    expect(logged!.outcome).toBe('completed');
    expect(logged!.overlapSeconds).toBeGreaterThanOrEqual(COMPLETED_OVERLAP_SECONDS);
    const call = (await admin.json<{ items: ChildCall[] }>(`/api/children/${party.child.id}/calls`)).items.find(
      (c) => c.bookingId === booking.id,
    );
    expect(call).toMatchObject({ outcome: 'completed', bookingStatus: 'completed' });
    console.log(
      `livekit restart: ${JSON.stringify({
        livekitDownMs: restartedAt - killedAt,
        kioskBackAfterRestartMs: kioskBackMs,
        parentBackAfterRestartMs: parentBackMs,
        gapInCallLogMs: backAt - lostAt,
        overlapSeconds: logged!.overlapSeconds,
      })}`,
    );
  }, 300_000);
});

import type { ApiResponse } from '@affection/server/contract';
import type { Page } from 'playwright-core';
import type { CallWorld, StaffClient } from './call-world.ts';

/** A kiosk as `GET /api/kiosks` lists it. */
export type KioskSummary = ApiResponse<'GET /api/kiosks'>['items'][number];

/** A contact as `GET /api/contacts` lists it (number masked). */
export type ContactSummary = ApiResponse<'GET /api/contacts'>['items'][number];

/** A household as the booking search (`GET /api/bookings/household-search`) finds it. */
export type BookableHousehold = ApiResponse<'GET /api/bookings/household-search'>['items'][number];

/** A household as `GET /api/households/{id}` shows it. */
export type HouseholdDetail = ApiResponse<'GET /api/households/{id}'>;

/** A child of a household and an approved contact of theirs who calls by video from the Home's zone. */
export interface CallParty {
  household: HouseholdDetail;
  child: HouseholdDetail['children'][number];
  contact: ContactSummary;
}

/**
 * Makes the signed-in admin's Home one where a call can be booked for the next minute and really ends within a
 * test: one-minute slots (or `slotMinutes`), no buffer, no minimum notice, a generous weekly quota, open every day
 * 00:00–23:59. Through the API, as an admin would.
 */
export async function makeHomeForQuickCalls(admin: StaffClient, slotMinutes = 1): Promise<void> {
  await admin.json('/api/home', {
    method: 'PATCH',
    json: { slotMinutes, bufferMinutes: 0, minNoticeMinutes: 0, weeklyQuotaPerChild: 14 },
  });
  await admin.json('/api/opening/rules', {
    method: 'PUT',
    json: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '00:00', endTime: '23:59' })),
  });
}

/** `count` parties of different households, read through the API. Throws when the Home has fewer. */
export async function findVideoParties(staff: StaffClient, count: number): Promise<CallParty[]> {
  const contacts = (await staff.json<ApiResponse<'GET /api/contacts'>>('/api/contacts?limit=200')).items;
  const parties: CallParty[] = [];
  for (const contact of contacts) {
    if (parties.length === count) break;
    const isCandidate =
      contact.status === 'approved' &&
      contact.channel === 'video' &&
      contact.timeZone === 'Asia/Shanghai' &&
      !parties.some((p) => p.household.id === contact.householdId);
    if (!isCandidate) continue;
    const household = await staff.json<HouseholdDetail>(`/api/households/${contact.householdId}`);
    const child = household.children.find((c) => c.archivedAt === null);
    if (child) parties.push({ household, child, contact });
  }
  if (parties.length < count) throw new Error(`the Home has fewer than ${count} households calling by video`);
  return parties;
}

/** Monday (`YYYY-MM-DD`) of next week in Shanghai (the demo Home's zone), and that date + n days. */
export function shanghaiNextWeek(n: number): string {
  const shanghai = new Date(Date.now() + 8 * 3600_000);
  const weekday = shanghai.getUTCDay() === 0 ? 7 : shanghai.getUTCDay();
  const monday = Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() + 8 - weekday);
  return new Date(monday + n * 86_400_000).toISOString().slice(0, 10);
}

/** The instant (ISO) of a Shanghai wall-clock time (`12:00`) on day n (0 = Monday) of next week. */
export function shanghaiNextWeekAt(day: number, time: string): string {
  return new Date(`${shanghaiNextWeek(day)}T${time}:00+08:00`).toISOString();
}

/**
 * Up to `count` demo households the staff member can book (an approved contact, active children), found as the
 * console finds them: by a search on a child's name.
 */
export async function bookableHouseholds(staff: StaffClient, count: number): Promise<BookableHousehold[]> {
  const children = await staff.json<ApiResponse<'GET /api/children'>>('/api/children?limit=60');
  const found: BookableHousehold[] = [];
  for (const child of children.items) {
    if (found.length >= count) break;
    if (found.some((h) => h.id === child.householdId)) continue;
    const search = encodeURIComponent(`${child.familyName}${child.givenName}`);
    const { items } = await staff.json<ApiResponse<'GET /api/bookings/household-search'>>(
      `/api/bookings/household-search?search=${search}`,
    );
    const household = items.find((h) => h.id === child.householdId);
    if (household?.contacts.some((c) => c.approved) && household.children.length > 0) found.push(household);
  }
  return found;
}

/** The full name of a bookable household's first child (what the console's search is typed with). */
export function firstChildName(household: BookableHousehold): string {
  return `${household.children[0]!.familyName}${household.children[0]!.givenName}`;
}

/** Called on each screen a page helper passes through (screenshots, accessibility checks). */
export type OnScreen = (page: Page, name: string) => Promise<void>;

/** Enrols the kiosk browser `page` as `kiosk` with a one-time code from the admin; ends on the photo wall. */
export async function enrolKioskPage(
  world: CallWorld,
  admin: StaffClient,
  kiosk: KioskSummary,
  page: Page,
  onScreen?: OnScreen,
): Promise<void> {
  const { enrolmentCode } = await admin.json<ApiResponse<'POST /api/kiosks/{id}/enrolment-code'>>(
    `/api/kiosks/${kiosk.id}/enrolment-code`,
    {
      method: 'POST',
      status: 200,
    },
  );
  await enrolKioskWithCode(page, world.webUrl, enrolmentCode, onScreen);
}

/**
 * Opens the kiosk app of the server at `webUrl` in `page` and types the one-time `code` on its number pad (as a
 * teacher reads it off the console: anything but digits is skipped), then 激活; ends on the photo wall.
 */
export async function enrolKioskWithCode(page: Page, webUrl: string, code: string, onScreen?: OnScreen): Promise<void> {
  await page.goto(`${webUrl}/kiosk/`);
  await page.locator('[data-screen="enrol"]').waitFor();
  for (const digit of code.replace(/\D/g, '')) {
    await page.locator('.pad__key', { hasText: new RegExp(`^${digit}$`) }).click();
  }
  await onScreen?.(page, 'enrol');
  await page.getByRole('button', { name: '激活' }).click();
  await page.locator('[data-screen="home"]').waitFor();
}

/** A new enrolment link (the contact card's QR) for the contact, from the admin. */
export async function enrolmentLinkFor(admin: StaffClient, contactId: string): Promise<string> {
  const { url } = await admin.json<ApiResponse<'POST /api/contacts/{id}/enrolment-link'>>(
    `/api/contacts/${contactId}/enrolment-link`,
    {
      method: 'POST',
      json: {},
      status: 201,
    },
  );
  return url;
}

/** Opens a contact card's link `url` on the parent's phone `page`: the 已登录 screen, 好的，继续, the family page's home. */
export async function openParentLink(page: Page, url: string, onScreen?: OnScreen): Promise<void> {
  await page.goto(url);
  await page.locator('[data-screen="enrolled"]').waitFor();
  await onScreen?.(page, 'enrolled');
  await page.getByRole('button', { name: '好的，继续' }).click();
  await page.locator('[data-screen="home"]').waitFor();
}

/** Signs the parent's phone `page` in with a new link of the contact card from the admin; ends on the home. */
export async function signInParentPage(
  admin: StaffClient,
  contact: ContactSummary,
  page: Page,
  onScreen?: OnScreen,
): Promise<void> {
  await openParentLink(page, await enrolmentLinkFor(admin, contact.id), onScreen);
}

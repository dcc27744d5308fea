import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createBooking,
  createDiaryEntry,
  listAuditForSubject,
  rebuildCallLog,
  saveChildMood,
  schema,
  seedHome,
  setCallOutcome,
} from '@affection/db';
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
import { parse } from 'csv-parse/sync';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const zh = CATALOGS['zh-CN'];
/** An A4 page at 96 dpi, for a look at the print layout. */
const A4 = { width: 794, height: 1123 };
const DAY_MS = 86_400_000;

/** The text of each page of a PDF, read back with pdf.js, without the spaces and breaks layout puts in. */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const task = getDocument({ data: new Uint8Array(pdf), useSystemFonts: true });
  const document = await task.promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n += 1) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .join('')
        .replace(/\s+/g, ''),
    );
  }
  await task.destroy();
  return pages;
}

/** The big number a total shows (`[data-total=booked]`). */
function totalOf(page: Page, name: string) {
  return page.locator(`[data-total="${name}"] .report-total-value`).innerText();
}

/** How many pixels of a canvas are drawn (not transparent). */
function drawnPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate((css) => {
    const canvas = document.querySelector<HTMLCanvasElement>(css);
    if (!canvas) return 0;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) drawn += 1;
    return drawn;
  }, selector);
}

describe('console: reports and the ledgers (台账), printed and downloaded', () => {
  let world: CallWorld;
  let browser: ChromiumSession;
  let page: Page;
  const audit = new ScreenAudit(artifacts);
  /** Set by the first test: the month of the calls and the child who had them (Home A's). */
  let lastMonth = '';
  let reachedChildId = '';

  beforeAll(async () => {
    world = await startCallWorld({ apps: ['console'] });
    browser = await launchChromium({ viewport: CONSOLE_PC });
    page = await browser.context.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it("counts last month's calls from the rows made, draws the charts, prints the call book and downloads the roster", async () => {
    const db = world.server.services.database.db;
    const [home] = await db.select().from(schema.homes);
    expect(home?.timeZone).toBe('Asia/Shanghai');
    const homeId = home!.id;
    // The demo Home was seeded a moment ago: its children and pairings go back four months, so last month is a
    // whole month in which every child was on the roll.
    const longAgo = new Date(Date.now() - 120 * DAY_MS);
    await db.update(schema.children).set({ createdAt: longAgo }).where(eq(schema.children.homeId, homeId));
    await db.update(schema.pairings).set({ createdAt: longAgo }).where(eq(schema.pairings.homeId, homeId));
    const children = await db
      .select()
      .from(schema.children)
      .where(and(eq(schema.children.homeId, homeId), isNull(schema.children.archivedAt)))
      .orderBy(asc(schema.children.id));
    const contacts = await db
      .select()
      .from(schema.contacts)
      .where(and(eq(schema.contacts.homeId, homeId), isNull(schema.contacts.revokedAt)))
      .orderBy(asc(schema.contacts.id));
    const [kiosk] = await db.select().from(schema.kiosks).where(eq(schema.kiosks.homeId, homeId));
    const contactOf = (householdId: string) => contacts.find((c) => c.householdId === householdId)!;
    // How a ledger writes a whole number: a mainland one without +86, any other as it is stored.
    const wholeOf = (phone: string) => (phone.startsWith('+86') ? phone.slice(3) : phone);

    // Last month in Beijing time (UTC+8 all year): calls at 12:15 on given days.
    const beijingNow = new Date(Date.now() + 8 * 3_600_000);
    const year = beijingNow.getUTCMonth() === 0 ? beijingNow.getUTCFullYear() - 1 : beijingNow.getUTCFullYear();
    const month = (beijingNow.getUTCMonth() + 11) % 12; // 0-based
    const monthCode = `${year}-${String(month + 1).padStart(2, '0')}`;
    const at = (day: number) => new Date(Date.UTC(year, month, day, 4, 15));

    // Three children of three households: X talks with family twice (11 and 8 minutes), Y's parent misses the call,
    // Z's call is cancelled. Everyone else has no call at all.
    const households = [...new Set(children.map((c) => c.householdId))].filter((h) =>
      contacts.some((c) => c.householdId === h),
    );
    // One child of each of three households, with three different names (the seeded names may repeat).
    const picked: (typeof children)[number][] = [];
    for (const household of households) {
      const child = children.find((c) => c.householdId === household)!;
      if (!picked.some((p) => p.familyName + p.givenName === child.familyName + child.givenName)) picked.push(child);
    }
    const [childX, childY, childZ] = picked;
    lastMonth = monthCode;
    reachedChildId = childX!.id;
    type Seeded = {
      child: (typeof children)[number];
      day: number;
      status: 'completed' | 'missed' | 'cancelled';
      outcome: 'completed' | 'parent-no-show' | 'child-no-show' | null;
      seconds: number;
      mood: number | null;
    };
    const calls: Seeded[] = [
      { child: childX!, day: 3, status: 'completed', outcome: 'completed', seconds: 11 * 60, mood: 5 },
      { child: childX!, day: 17, status: 'completed', outcome: 'completed', seconds: 8 * 60, mood: 4 },
      { child: childY!, day: 10, status: 'missed', outcome: 'parent-no-show', seconds: 0, mood: null },
      { child: childZ!, day: 11, status: 'cancelled', outcome: null, seconds: 0, mood: null },
    ];
    const now = new Date();
    for (const call of calls) {
      const start = at(call.day);
      const booked = await createBooking(db, {
        homeId,
        kioskId: kiosk!.id,
        householdId: call.child.householdId,
        contactId: contactOf(call.child.householdId).id,
        childIds: [call.child.id],
        start,
        end: new Date(start.getTime() + 15 * 60_000),
        status: call.status,
        source: 'teacher',
        now,
      });
      if (!booked.ok) throw new Error(`booking refused: ${booked.reason}`);
      if (!call.outcome) continue;
      const bookingId = booked.booking.id;
      await rebuildCallLog(db, { homeId, bookingId, now }, () => ({
        participants: [],
        startedAt: new Date(start.getTime() + 30_000),
        endedAt: new Date(start.getTime() + 30_000 + call.seconds * 1000),
        overlapSeconds: call.seconds,
      }));
      await setCallOutcome(db, { homeId, bookingId, outcome: call.outcome, now });
      if (call.mood) await saveChildMood(db, { homeId, bookingId, childId: call.child.id, mood: call.mood, now });
    }
    // A paired teacher's growth diary note in that month.
    const pairingsA = await db.select().from(schema.pairings).where(eq(schema.pairings.homeId, homeId));
    const pairedChild = children.find((c) => c.id === pairingsA[0]!.childId);
    const note = '和妈妈通话后很开心，作文写了“我的妈妈”。';
    await createDiaryEntry(
      db,
      homeId,
      pairedChild!.id,
      pairingsA[0]!.staffId,
      { entryDate: `${monthCode}-05`, text: note, mood: 4, tags: ['family'] },
      now,
    );
    // The expectations, from the rows above: the cancelled call is not counted; X's calls are two weeks apart.
    const counted = calls.filter((c) => c.status !== 'cancelled');
    const made = counted.filter((c) => c.outcome === 'completed');
    const expected = {
      booked: counted.length,
      completed: made.length,
      noShows: counted.filter((c) => c.outcome === 'parent-no-show' || c.outcome === 'child-no-show').length,
      minutes: Math.round(made.reduce((sum, c) => sum + c.seconds, 0) / 60),
      reached: new Set(made.map((c) => c.child.id)).size,
      children: children.length,
      weeks: (17 - 3) / 7,
    };

    // The admin opens the reports and chooses last month.
    await page.goto(`${world.webUrl}/console/#/reports`);
    await signInToConsole(page, DEMO_ADMIN);
    await page.getByRole('link', { name: zh['console.nav.reports'] }).click();
    await page.getByRole('button', { name: zh['console.reports.preset.last-month'] }).click();
    await page.waitForURL(new RegExp(`period=${monthCode}`));
    await page.locator('[data-total="booked"]').waitFor();
    await expect.poll(() => totalOf(page, 'booked')).toBe(String(expected.booked));
    expect(await totalOf(page, 'completed')).toBe(String(expected.completed));
    expect(await totalOf(page, 'no-shows')).toBe(String(expected.noShows));
    expect(await totalOf(page, 'minutes')).toBe(String(expected.minutes));
    expect(await totalOf(page, 'reached')).toBe(String(expected.reached));
    expect(await page.locator('[data-total="reached"]').innerText()).toContain(`共 ${expected.children} 个孩子`);
    expect(await totalOf(page, 'gap')).toBe(`${expected.weeks} 周`);

    // Both charts are drawn on their canvas; their numbers are in a table for screen readers.
    await page.locator('.report-chart .uplot canvas').nth(1).waitFor();
    await expect.poll(() => drawnPixels(page, '.report-chart .uplot canvas')).toBeGreaterThan(500);
    const moodTable = page.locator('.report-chart table.report-chart-table').nth(1);
    expect(await moodTable.locator('tbody tr').nth(4).innerText()).toContain('1');
    expect(await moodTable.locator('tbody tr').nth(4).innerText()).toContain(zh['console.record.mood-5']);
    const callsTable = page.locator('.report-chart table.report-chart-table').first();
    // A month's chart is by week, Monday to Sunday: the week of each call holds it.
    const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const weekStarts = [...Array(daysInMonth).keys()]
      .map((i) => i + 1)
      .filter((day) => day === 1 || new Date(Date.UTC(year, month, day)).getUTCDay() === 1);
    await expect.poll(() => callsTable.locator('tbody tr').count()).toBe(weekStarts.length);
    const weekRows = (await callsTable.locator('tbody tr').allInnerTexts()).map((row) => row.split('\t'));
    const weekOf = (day: number) => weekStarts.filter((start) => start <= day).length - 1;
    for (const [index, row] of weekRows.entries()) {
      const inWeek = counted.filter((c) => weekOf(c.day) === index);
      expect(row.slice(1).map(Number)).toEqual([inWeek.length, inWeek.filter((c) => c.outcome === 'completed').length]);
    }

    // The four ledgers (the headmaster's month-end task) come before the long list of children with no call.
    const unreached = page.locator('section.unreached');
    const nameOf = (c: { familyName: string; givenName: string }) => `${c.familyName}${c.givenName}`;
    const unreachedCount = expected.children - expected.reached;
    await unreached.getByText(`共 ${unreachedCount} 个孩子`).waitFor();
    expect(
      await page.evaluate(() => {
        const ledgers = document.querySelector('section.ledgers');
        const list = document.querySelector('section.unreached');
        return !!ledgers && !!list && (ledgers.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      }),
    ).toBe(true);
    expect(await page.locator('[data-ledger]').count()).toBe(4);
    // The list shows the first 10 at first.
    expect(unreachedCount).toBeGreaterThan(10);
    expect(await unreached.locator('tbody tr').count()).toBe(10);
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-reports')).toEqual([]);
    await page.setViewportSize(CONSOLE_TABLET);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-reports-1024')).toEqual([]);
    await page.setViewportSize(CONSOLE_PC);

    // "更多" adds the next 50 under them, until every child is listed and the button goes.
    const moreButton = unreached.getByRole('button', { name: zh['console.reports.more'] });
    let shown = 10;
    while (shown < unreachedCount) {
      await moreButton.click();
      shown = Math.min(shown + 50, unreachedCount);
      await expect.poll(() => unreached.locator('tbody tr').count()).toBe(shown);
    }
    // Y (missed) and Z (cancelled) are there, X is not; each child once.
    expect(await unreached.locator(`a[href="#/children/${childY!.id}"]`).count()).toBe(1);
    expect(await unreached.locator(`a[href="#/children/${childZ!.id}"]`).count()).toBe(1);
    expect(await unreached.locator(`a[href="#/children/${childX!.id}"]`).count()).toBe(0);
    const listedIds = await unreached
      .locator('tbody a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(new Set(listedIds).size).toBe(unreachedCount);
    expect(await moreButton.count()).toBe(0);
    expect(await hasNoSideScroll(page)).toBe(true);

    // A child's name opens the record, to book a call.
    await unreached.locator(`a[href="#/children/${childY!.id}"]`).click();
    await page.waitForURL(new RegExp(`#/children/${childY!.id}`));
    await page.goBack();
    await page.locator('[data-total="booked"]').waitFor();

    // Download the roster as CSV: a byte order mark, Chinese headers, names intact, phones masked.
    const roster = page.locator('[data-ledger="roster"]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      roster
        .getByRole('link', { name: `${zh['console.reports.download']}：${zh['console.reports.ledger.roster']}` })
        .click(),
    ]);
    const csv = await readFile((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(csv.subarray(3).toString('utf8'), { relax_column_count: true }) as string[][];
    expect(rows[0]).toEqual(['序号', '姓名', '班级', '家庭', '家长姓名', '关系', '所在城市', '电话']);
    // A child a number (a child with two parents takes two lines); two children may share a name.
    expect(new Set(rows.slice(1).map((row) => row[0])).size).toBe(expected.children);
    expect(rows.slice(1).map((row) => row[1])).toContain(nameOf(childX!));
    const phones = rows
      .slice(1)
      .map((row) => row[7]!)
      .filter((phone) => phone !== '');
    expect(phones.length).toBeGreaterThan(0);
    for (const phone of phones) expect(phone).toMatch(/\*{4}\d{4}$/);
    for (const contact of contacts) expect(csv.toString('utf8')).not.toContain(wholeOf(contact.phone));

    // Print the call record book: the Home, the title and the period on top, the known calls in the rows.
    await page
      .locator('[data-ledger="call-book"]')
      .getByRole('link', { name: `${zh['console.reports.print']}：${zh['console.reports.ledger.call-book']}` })
      .click();
    await page.waitForURL(/#\/reports\/print\/call-book/);
    const sheet = page.locator('.ledger-sheet');
    await sheet.locator('table.ledger-table tbody tr').first().waitFor();
    expect(await sheet.locator('tbody tr').count()).toBe(counted.length);
    expect(await audit.check(page, 'console-reports-print-screen')).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize(A4);
    await page.screenshot({ path: path.join(artifacts, 'console-reports-print.png'), fullPage: true });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: zh['console.reports.print'] }).isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await writeFile(path.join(artifacts, 'console-reports-call-book.pdf'), pdf);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(CONSOLE_PC);
    const printed = (await pdfPages(pdf)).join('');
    const monthWords = `${year}年${month + 1}月`;
    expect(printed).toContain(home!.name);
    expect(printed).toContain(zh['console.reports.ledger.call-book']);
    expect(printed).toContain(`${monthWords}（${monthWords}1日至`);
    expect(printed.indexOf(home!.name)).toBeLessThan(printed.indexOf(nameOf(childX!)));
    expect(printed).toContain(nameOf(childX!));
    expect(printed).toContain(nameOf(childY!));
    expect(printed).not.toContain(nameOf(childZ!));
    expect(printed).toContain(`${monthWords}3日12:15${nameOf(childX!)}`);
    expect(printed).toContain(`${monthWords}17日12:15${nameOf(childX!)}`);
    expect(printed).toContain(zh['console.board.outcome.parent-no-show']);
    expect(printed).not.toContain(zh['console.reports.print.back']);
    expect(printed).not.toContain(zh['console.nav.today']);

    // The monthly summary prints the month's row from the same calls; the pairing records hold a teacher's note.
    await page.goto(`${world.webUrl}/console/#/reports/print/monthly?period=${monthCode}`);
    const monthRow = page.locator('.ledger-sheet tbody tr').first();
    await monthRow.waitFor();
    const percent = Math.round((expected.reached / expected.children) * 1000) / 10;
    expect((await monthRow.innerText()).split('\t').map((cell) => cell.trim())).toEqual([
      monthWords,
      String(expected.children),
      String(expected.reached),
      `${percent}%`,
      String(expected.booked),
      String(expected.completed),
      String(expected.minutes),
      String(expected.noShows),
    ]);
    expect(await audit.check(page, 'console-reports-print-monthly')).toEqual([]);
    await page.goto(`${world.webUrl}/console/#/reports/print/pairings?period=${monthCode}`);
    const noted = page.locator('.ledger-sheet tbody tr', { hasText: note });
    await noted.waitFor();
    expect(await noted.innerText()).toContain(nameOf(pairedChild!));
    expect(await noted.innerText()).toContain(`${monthWords}5日`);
    expect(await page.locator('.ledger-sheet tbody tr').count()).toBe(pairingsA.length);
    expect(await audit.check(page, 'console-reports-print-pairings')).toEqual([]);

    // The term holding that month counts the same calls, month by month (autumn: September to January).
    const termOfMonth = month + 1 >= 9 || month + 1 === 1 ? 'autumn' : 'spring';
    const termYear = month + 1 === 1 ? year - 1 : year;
    const beijingMonth = beijingNow.getUTCMonth() + 1;
    const todayTerm = beijingMonth >= 9 || beijingMonth === 1 ? 'autumn' : 'spring';
    const todayTermYear = beijingMonth === 1 ? beijingNow.getUTCFullYear() - 1 : beijingNow.getUTCFullYear();
    const isThisTerm = termOfMonth === todayTerm && termYear === todayTermYear;
    await page.goto(`${world.webUrl}/console/#/reports?period=${monthCode}`);
    await page
      .getByRole('button', {
        name: zh[isThisTerm ? 'console.reports.preset.this-term' : 'console.reports.preset.last-term'],
      })
      .click();
    await page.waitForURL(new RegExp(`period=${termYear}-${termOfMonth}`));
    await expect
      .poll(() => page.locator('.report-chart table.report-chart-table').first().locator('tbody tr').count())
      .toBe(termOfMonth === 'autumn' ? 5 : 7);
    await expect.poll(() => totalOf(page, 'booked')).toBe(String(expected.booked));
    expect(await totalOf(page, 'minutes')).toBe(String(expected.minutes));
    expect(await page.locator('.reports-period-days').innerText()).toContain(
      termOfMonth === 'autumn'
        ? `${termYear}年9月1日 至 ${termYear + 1}年1月31日`
        : `${termYear}年2月1日 至 ${termYear}年8月31日`,
    );

    // The month before has none of these calls.
    await page.goto(`${world.webUrl}/console/#/reports?period=${monthCode}`);
    const before = `${month === 0 ? year - 1 : year}-${String(month === 0 ? 12 : month).padStart(2, '0')}`;
    await page.getByLabel(zh['console.reports.pick-month']).selectOption(before);
    await page.waitForURL(new RegExp(`period=${before}`));
    await expect
      .poll(() => page.locator('.reports-showing').innerText())
      .toContain(`${month === 0 ? year - 1 : year}年${month === 0 ? 12 : month}月`);
    await expect.poll(() => totalOf(page, 'booked')).toBe('0');
    expect(await totalOf(page, 'reached')).toBe('0');

    // The roster printed with whole numbers (the admin's choice) is audited as an export.
    await page.goto(`${world.webUrl}/console/#/reports?period=${monthCode}`);
    await roster.getByRole('checkbox', { name: zh['console.reports.whole-phones'] }).check();
    await roster
      .getByRole('link', { name: `${zh['console.reports.print']}：${zh['console.reports.ledger.roster']}` })
      .click();
    await page.waitForURL(/phones=whole/);
    await sheet.locator('tbody tr').first().waitFor();
    expect(await sheet.locator('tbody tr').count()).toBe(expected.children);
    expect(await sheet.innerText()).toContain(wholeOf(contactOf(childX!.householdId).phone));
    // On paper it takes several A4 pages, each starting with the running head and the column headers.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize(A4);
    await page.screenshot({ path: path.join(artifacts, 'console-reports-print-roster.png'), fullPage: true });
    await page.setViewportSize(CONSOLE_PC);
    const rosterPdf = await page.pdf({ format: 'A4', printBackground: true });
    await writeFile(path.join(artifacts, 'console-reports-roster.pdf'), rosterPdf);
    await page.emulateMedia({ media: 'screen' });
    const rosterPages = await pdfPages(rosterPdf);
    expect(rosterPages.length).toBeGreaterThan(1);
    const headers = ['序号', '姓名', '班级', '家庭', '家长', '关系', '所在城市', '电话'].join('');
    for (const text of rosterPages) {
      expect(text).toContain(`${home!.name}·${zh['console.reports.ledger.roster']}·${monthWords}`);
      expect(text).toContain(headers);
    }
    const trail = await listAuditForSubject(db, 'home', homeId);
    expect(trail.map((event) => event.action)).toContain('report.roster-export');

    // A teacher: their paired children only, and no whole-number choice (asked through the address: refused).
    await page.getByRole('button', { name: zh['console.shell.sign-out'] }).click();
    await signInToConsole(page, DEMO_TEACHER);
    const [teacher] = await db.select().from(schema.staff).where(eq(schema.staff.username, DEMO_TEACHER.login));
    const paired = await db.select().from(schema.pairings).where(eq(schema.pairings.staffId, teacher!.id));
    expect(paired.length).toBeGreaterThan(0);
    await page.goto(`${world.webUrl}/console/#/reports?period=${monthCode}&scope=teacher`);
    await page.locator('[data-total="reached"]').waitFor();
    await expect.poll(() => page.locator('[data-total="reached"]').innerText()).toContain(`共 ${paired.length} 个孩子`);
    expect(await page.getByRole('checkbox', { name: zh['console.reports.whole-phones'] }).count()).toBe(0);
    // One child: the teacher chooses among their paired children only.
    await page.getByLabel(zh['console.reports.scope'], { exact: true }).selectOption('child');
    const childPicker = page.getByLabel(zh['console.reports.child'], { exact: true });
    await expect.poll(() => childPicker.locator('option').count()).toBe(paired.length + 1);
    const pairedIds = paired.map((p) => p.childId).sort();
    const offered = await childPicker
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(offered.sort()).toEqual(pairedIds);
    await childPicker.selectOption(pairedIds[0]!);
    await page.waitForURL(new RegExp(`child=${pairedIds[0]}`));
    await expect.poll(() => page.locator('[data-total="reached"]').innerText()).toContain('共 1 个孩子');
    await page.getByLabel(zh['console.reports.scope'], { exact: true }).selectOption('teacher');
    await expect.poll(() => page.locator('[data-total="reached"]').innerText()).toContain(`共 ${paired.length} 个孩子`);
    expect(await audit.check(page, 'console-reports-teacher')).toEqual([]);
    // In English at 1024 px: the same numbers, no sideways scroll.
    const en = CATALOGS.en;
    await page.getByRole('button', { name: zh['console.shell.language-switch'] }).click();
    await page.getByRole('heading', { level: 1, name: en['console.nav.reports'] }).waitFor();
    await page.setViewportSize(CONSOLE_TABLET);
    await expect
      .poll(() => page.locator('[data-total="reached"]').innerText())
      .toContain(`of ${paired.length} children`);
    expect(await hasNoSideScroll(page)).toBe(true);
    expect(await audit.check(page, 'console-reports-teacher-en-1024')).toEqual([]);
    await page.getByRole('button', { name: en['console.shell.language-switch'] }).click();
    await page.getByRole('heading', { level: 1, name: zh['console.nav.reports'] }).waitFor();
    await page.setViewportSize(CONSOLE_PC);
    await page.goto(`${world.webUrl}/console/#/reports/print/roster?period=${monthCode}&phones=whole`);
    await page.locator('.ledger-print .banner').waitFor();
    expect(await page.locator('.ledger-sheet').count()).toBe(0);
  }, 600_000);
  it("shows another Home's admin none of the first Home's calls, children or ledgers", async () => {
    const db = world.server.services.database.db;
    expect(lastMonth).not.toBe('');
    // Home B, seeded beside the demo Home; its admin signs in with the demo admin's password (same hash).
    const [adminA] = await db.select().from(schema.staff).where(eq(schema.staff.username, DEMO_ADMIN.login));
    const homeB = await seedHome(db, {
      name: '白云村小学留守儿童之家',
      children: 8,
      kiosks: 1,
      teachers: 2,
      hashPassword: async () => adminA!.passwordHash,
      adminLogin: { username: 'admin-b', password: DEMO_ADMIN.password },
      teacherPassword: DEMO_ADMIN.password,
      teacherUsernamePrefix: 'b-teacher',
      now: new Date(Date.now() - 120 * DAY_MS),
      seed: 7,
    });
    const longAgo = new Date(Date.now() - 120 * DAY_MS);
    await db.update(schema.children).set({ createdAt: longAgo }).where(eq(schema.children.homeId, homeB.homeId));
    const childrenB = await db.select().from(schema.children).where(eq(schema.children.homeId, homeB.homeId));
    expect(childrenB.length).toBe(8);

    await page.goto(`${world.webUrl}/console/#/reports?period=${lastMonth}`);
    if (await page.getByRole('button', { name: zh['console.shell.sign-out'] }).count()) {
      await page.getByRole('button', { name: zh['console.shell.sign-out'] }).click();
    }
    await signInToConsole(page, { login: 'admin-b', password: DEMO_ADMIN.password });
    await page.goto(`${world.webUrl}/console/#/reports?period=${lastMonth}`);
    await page.locator('[data-total="booked"]').waitFor();
    expect(await totalOf(page, 'booked')).toBe('0');
    expect(await page.locator('[data-total="reached"]').innerText()).toContain(`共 ${childrenB.length} 个孩子`);
    const unreached = page.locator('section.unreached');
    await unreached.getByText(`共 ${childrenB.length} 个孩子`).waitFor();
    const listed = await unreached
      .locator('tbody a')
      .evaluateAll((links) => links.map((a) => (a.getAttribute('href') ?? '').replace('#/children/', '')));
    expect(listed.sort()).toEqual(childrenB.map((c) => c.id).sort());

    // Home A's child in the address: the server refuses, and no numbers stay on the screen.
    await page.goto(`${world.webUrl}/console/#/reports?period=${lastMonth}&scope=child&child=${reachedChildId}`);
    await page.locator('.reports-screen .banner').waitFor();
    expect(await page.locator('[data-total]').count()).toBe(0);
    expect(await audit.check(page, 'console-reports-home-b-refused')).toEqual([]);

    // Home B's call book of that month is empty, under Home B's own name.
    await page.goto(`${world.webUrl}/console/#/reports/print/call-book?period=${lastMonth}`);
    await page.locator('.ledger-empty').waitFor();
    expect(await page.locator('.ledger-home').innerText()).toBe('白云村小学留守儿童之家');
    expect(await audit.check(page, 'console-reports-home-b-print')).toEqual([]);
  }, 600_000);
});

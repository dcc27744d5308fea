import { createId, schema } from '@affection/db';
import {
  type ApiWorld,
  createApiWorld,
  generateCallHistory,
  type HistoryCall,
  insertHistoryCalls,
  loadHistoryHouseholds,
  type TestDatabaseKind,
} from '@affection/test-support';
import { parse } from 'csv-parse/sync';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../apps/server/src/contract.ts';

/**
 * The reports and ledgers against the raw rows of a generated term: every expected number is computed here, in plain
 * TypeScript, from the calls the generator wrote and the children rows — never by the report code.
 */

const TERM = { from: '2026-09-01', to: '2027-01-31' };
const BOOKED = new Set(['confirmed', 'in-progress', 'completed', 'missed']);
const WEEK_MS = 7 * 86_400_000;

/** The Homes of the test world are in Asia/Shanghai (UTC+8 all year): a day starts at 16:00 UTC the day before. */
function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
function localDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
function localTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
}
function monthsOf(from: string, to: string): { month: string; from: string; to: string }[] {
  const months: { month: string; from: string; to: string }[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const first = `${year}-${String(month).padStart(2, '0')}-01`;
    if (first > to) break;
    const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    months.push({ month: first.slice(0, 7), from: first < from ? from : first, to: last > to ? to : last });
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

interface KidRow {
  id: string;
  familyName: string;
  givenName: string;
  className: string | null;
  createdAt: Date;
  archivedAt: Date | null;
}

/** What the reports must say, from the raw rows. */
function expectedCounts(kids: KidRow[], calls: HistoryCall[], from: string, to: string, scope: Set<string> | null) {
  const start = dayStartMs(from);
  const end = dayStartMs(nextDay(to));
  const inScope = kids.filter((kid) => scope === null || scope.has(kid.id));
  const scopeIds = new Set(inScope.map((kid) => kid.id));
  const onRoll = inScope.filter(
    (kid) => kid.createdAt.getTime() < end && (kid.archivedAt === null || kid.archivedAt.getTime() >= start),
  );
  const periodCalls = calls.filter(
    (call) =>
      BOOKED.has(call.status) &&
      call.startAt.getTime() >= start &&
      call.startAt.getTime() < end &&
      (scope === null || call.childIds.some((id) => scopeIds.has(id))),
  );
  const completed = periodCalls.filter((call) => call.status === 'completed');
  const reachedIds = new Set(completed.flatMap((call) => call.childIds));
  const childrenReached = onRoll.filter((kid) => reachedIds.has(kid.id)).length;
  const seconds = periodCalls.reduce((sum, call) => sum + (call.log?.overlapSeconds ?? 0), 0);
  return {
    children: onRoll.length,
    callsBooked: periodCalls.length,
    callsCompleted: completed.length,
    parentNoShows: periodCalls.filter((c) => c.status === 'missed' && c.log?.outcome === 'parent-no-show').length,
    childNoShows: periodCalls.filter((c) => c.status === 'missed' && c.log?.outcome === 'child-no-show').length,
    minutes: Math.round(seconds / 60),
    childrenReached,
    reachedPercent: onRoll.length === 0 ? null : Math.round((childrenReached * 1000) / onRoll.length) / 10,
  };
}

function expectedAverageWeeks(
  kids: KidRow[],
  calls: HistoryCall[],
  from: string,
  to: string,
  scope: Set<string> | null,
) {
  const start = dayStartMs(from);
  const end = dayStartMs(nextDay(to));
  const gaps: number[] = [];
  for (const kid of kids) {
    if (scope !== null && !scope.has(kid.id)) continue;
    const starts = calls
      .filter(
        (c) =>
          c.status === 'completed' &&
          c.childIds.includes(kid.id) &&
          c.startAt.getTime() >= start &&
          c.startAt.getTime() < end,
      )
      .map((c) => c.startAt.getTime())
      .sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i += 1) gaps.push((starts[i] as number) - (starts[i - 1] as number));
  }
  if (gaps.length === 0) return null;
  return Math.round((gaps.reduce((a, b) => a + b, 0) / gaps.length / WEEK_MS) * 10) / 10;
}

function expectedMoods(kids: KidRow[], calls: HistoryCall[], from: string, to: string, scope: Set<string> | null) {
  const start = dayStartMs(from);
  const end = dayStartMs(nextDay(to));
  const ids = new Set(kids.filter((kid) => scope === null || scope.has(kid.id)).map((kid) => kid.id));
  const counts = [0, 0, 0, 0, 0];
  for (const call of calls) {
    if (!BOOKED.has(call.status) || call.startAt.getTime() < start || call.startAt.getTime() >= end) continue;
    for (const [childId, mood] of Object.entries(call.log?.moods ?? {})) {
      if (mood !== null && ids.has(childId)) counts[mood - 1] = (counts[mood - 1] as number) + 1;
    }
  }
  return counts.map((count, i) => ({ mood: i + 1, count }));
}

function expectedUnreached(kids: KidRow[], calls: HistoryCall[], from: string, to: string, scope: Set<string> | null) {
  const start = dayStartMs(from);
  const end = dayStartMs(nextDay(to));
  return kids
    .filter((kid) => scope === null || scope.has(kid.id))
    .filter((kid) => kid.createdAt.getTime() < end && (kid.archivedAt === null || kid.archivedAt.getTime() >= start))
    .filter(
      (kid) =>
        !calls.some(
          (c) =>
            c.status === 'completed' &&
            c.childIds.includes(kid.id) &&
            c.startAt.getTime() >= start &&
            c.startAt.getTime() < end,
        ),
    )
    .map((kid) => {
      const before = calls
        .filter((c) => c.status === 'completed' && c.childIds.includes(kid.id) && c.startAt.getTime() < end)
        .map((c) => c.startAt.getTime());
      return {
        childId: kid.id,
        archived: kid.archivedAt !== null,
        lastCallDate: before.length === 0 ? null : localDay(new Date(Math.max(...before))),
      };
    });
}

function outcomeOf(call: HistoryCall): string {
  if (call.status === 'completed') return 'completed';
  if (call.status === 'missed') return call.log?.outcome ?? 'failed';
  return 'pending';
}

type Summary = ApiResponse<'GET /api/reports/summary'>;
type CallBookPage = ApiResponse<'GET /api/reports/call-book'>;
type RosterPage = ApiResponse<'GET /api/reports/roster'>;
type PairingPage = ApiResponse<'GET /api/reports/pairings'>;
type Monthly = ApiResponse<'GET /api/reports/monthly'>;

/** Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection), full-width forms included. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Every cell of a parsed CSV file opens as text or a number: none starts the way a formula does. */
function expectNoFormulaCells(records: string[][]): void {
  for (const record of records)
    for (const cell of record) expect(cell, JSON.stringify(record)).not.toMatch(FORMULA_START);
}

/** A mainland mobile number in its national groups, as the ledgers write it (`139 1000 0000`). */
function nationalGroups(e164: string): string {
  const national = e164.replace('+86', '');
  return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
}

describe.each<TestDatabaseKind>(['postgres', 'pglite'])('reports and ledgers on a generated term (%s)', (kind) => {
  let world: ApiWorld;
  let kidsA: KidRow[];
  let kidsB: KidRow[];
  let callsA: HistoryCall[];
  let callsB: HistoryCall[];
  let paired: Set<string>;
  let otherTeacherId: string;
  let archivedChildId: string;
  let lateChildId: string;
  let oddChildId: string;
  const handMade: Record<string, string> = {};

  async function loadKids(homeId: string): Promise<KidRow[]> {
    const rows = await world.database.db
      .select({
        id: schema.children.id,
        familyName: schema.children.familyName,
        givenName: schema.children.givenName,
        className: schema.children.className,
        createdAt: schema.children.createdAt,
        archivedAt: schema.children.archivedAt,
      })
      .from(schema.children)
      .where(eq(schema.children.homeId, homeId));
    return rows;
  }

  async function getJson<T>(path: string, as: 'adminA' | 'teacherA' | 'teacherB' = 'adminA'): Promise<T> {
    const response = await world.request(path, { as });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    world = await createApiWorld(kind);
    const db = world.database.db;
    const { a, b } = world;
    expect(a.home.timeZone).toBe('Asia/Shanghai');
    const termStart = new Date('2026-08-20T00:00:00Z');
    // Home A: 24 more households, some with two children and two contacts; names with quotes and commas.
    const households: (typeof schema.households.$inferInsert)[] = [];
    const children: (typeof schema.children.$inferInsert)[] = [];
    const contacts: (typeof schema.contacts.$inferInsert)[] = [];
    for (let h = 0; h < 24; h += 1) {
      const householdId = createId('household');
      const familyName = ['张', '李', '欧阳', '赵'][h % 4] as string;
      // A household and cities whose names a spreadsheet would run as a formula.
      const householdName = h === 9 ? '=HYPERLINK("http://example.com/x","点我")' : `${familyName}家${h}`;
      households.push({ id: householdId, homeId: a.home.id, name: householdName, createdAt: termStart });
      for (let s = 0; s < (h % 3 === 0 ? 2 : 1); s += 1) {
        children.push({
          id: createId('child'),
          homeId: a.home.id,
          householdId,
          familyName,
          givenName: h === 5 && s === 0 ? '小"明,二' : `孩${h}-${s}`,
          className: h % 2 === 0 ? '三年级一班' : '四年级(2)班, 东楼',
          createdAt: termStart,
        });
      }
      for (let p = 0; p < (h % 2 === 0 ? 2 : 1); p += 1) {
        contacts.push({
          id: createId('contact'),
          homeId: a.home.id,
          householdId,
          name: p === 0 ? `${familyName}妈妈${h}` : `${familyName}爸爸${h}`,
          relation: p === 0 ? 'mother' : 'father',
          // One mother abroad (Spain); the others on mainland mobile numbers.
          phone: h === 11 ? '+34612345678' : `+86139${String(10_000_000 + h * 10 + p).slice(-8)}`,
          city: h === 7 ? '深圳, 南山' : h === 9 ? '@南山' : h === 11 ? '-东莞' : '广州',
          approvedBy: a.admin.id,
          approvedAt: termStart,
        });
      }
    }
    await db.insert(schema.households).values(households);
    await db.insert(schema.children).values(children);
    await db.insert(schema.contacts).values(contacts);
    oddChildId = children.find((child) => child.givenName === '小"明,二')?.id as string;

    // Pairings: teacher A with three children, another teacher with two others.
    const other = await db
      .insert(schema.staff)
      .values({
        id: createId('staff'),
        homeId: a.home.id,
        role: 'teacher',
        displayName: '周老师',
        username: `zhou-${a.home.id}`,
        passwordHash: 'x',
      })
      .returning();
    otherTeacherId = other[0]?.id as string;
    const pairedIds = children.slice(0, 3).map((child) => child.id as string);
    paired = new Set(pairedIds);
    await db.insert(schema.pairings).values([
      ...pairedIds.map((childId) => ({
        id: createId('pairing'),
        homeId: a.home.id,
        staffId: a.teacher.id,
        childId,
        createdAt: termStart,
      })),
      ...children.slice(3, 5).map((child) => ({
        id: createId('pairing'),
        homeId: a.home.id,
        staffId: otherTeacherId,
        childId: child.id as string,
        createdAt: termStart,
      })),
    ]);
    await db.insert(schema.diaryEntries).values([
      {
        id: createId('diaryEntry'),
        homeId: a.home.id,
        childId: pairedIds[0] as string,
        staffId: a.teacher.id,
        entryDate: '2026-09-15',
        text: '和妈妈聊了学习, "很开心"',
        mood: 5,
        tags: ['study'],
      },
      {
        id: createId('diaryEntry'),
        homeId: a.home.id,
        childId: pairedIds[0] as string,
        staffId: a.teacher.id,
        entryDate: '2026-08-15',
        text: '暑假的记录',
        mood: 4,
        tags: [],
      },
      {
        id: createId('diaryEntry'),
        homeId: a.home.id,
        childId: pairedIds[0] as string,
        staffId: otherTeacherId,
        entryDate: '2026-10-01',
        text: '别的老师写的',
        mood: 3,
        tags: [],
      },
      {
        id: createId('diaryEntry'),
        homeId: a.home.id,
        childId: pairedIds[1] as string,
        staffId: a.teacher.id,
        entryDate: '2027-01-31',
        // A note written as a list item: a spreadsheet would read the dash as a minus.
        text: '-期末：和奶奶谈了寒假作业',
        mood: null,
        tags: ['family'],
      },
    ]);

    // A term of history in each Home.
    callsA = await generateCallHistory(db, {
      homeId: a.home.id,
      timeZone: a.home.timeZone,
      kioskIds: [a.kiosk.id],
      households: await loadHistoryHouseholds(db, a.home.id),
      ...TERM,
      seed: 7,
    });
    callsB = await generateCallHistory(db, {
      homeId: b.home.id,
      timeZone: b.home.timeZone,
      kioskIds: [b.kiosk.id],
      households: await loadHistoryHouseholds(db, b.home.id),
      ...TERM,
      seed: 8,
      weeklyChance: 1,
    });

    // Hand-made edge cases in Home A (evenings: the generated calls are in opening hours).
    const first = children[0] as { id: string; householdId: string };
    const twoContacts = contacts.filter((c) => c.householdId === first.householdId).map((c) => c.id as string);
    const call = (
      key: string,
      start: string,
      minutes: number,
      status: HistoryCall['status'],
      log: HistoryCall['log'],
      second: string | null = null,
    ): HistoryCall => {
      const startAt = new Date(start);
      const made: HistoryCall = {
        bookingId: createId('booking'),
        homeId: a.home.id,
        kioskId: a.kiosk.id,
        householdId: first.householdId,
        childIds: children.filter((c) => c.householdId === first.householdId).map((c) => c.id as string),
        contactId: twoContacts[0] as string,
        secondContactId: second,
        startAt,
        endAt: new Date(startAt.getTime() + minutes * 60_000),
        status,
        log,
      };
      handMade[key] = made.bookingId;
      return made;
    };
    const edge = [
      // 30 September 23:50 to 1 October 00:10 in Beijing: September's.
      call('acrossMonthEnd', '2026-09-30T15:50:00Z', 20, 'completed', {
        outcome: 'completed',
        overlapSeconds: 1130,
        moods: {},
      }),
      // 1 October 00:20 in Beijing is still 30 September in UTC: October's.
      call('afterMidnight', '2026-09-30T16:20:00Z', 15, 'missed', {
        outcome: 'parent-no-show',
        overlapSeconds: 0,
        moods: {},
      }),
      // A three-way call: mother and father with the children.
      call(
        'threeWay',
        '2026-11-02T11:00:00Z',
        15,
        'completed',
        { outcome: 'completed', overlapSeconds: 700, moods: { [first.id]: 2 } },
        twoContacts[1] as string,
      ),
      // Cancelled: never counted.
      call('cancelled', '2026-11-03T11:00:00Z', 15, 'cancelled', null),
    ];
    await insertHistoryCalls(db, edge);
    callsA = [...callsA, ...edge];

    // A child who left mid-term (after some calls) and one who came mid-term.
    const withCalls = children.find(
      (child) =>
        !paired.has(child.id as string) &&
        callsA.some((c) => c.status === 'completed' && c.childIds.includes(child.id as string)),
    );
    archivedChildId = withCalls?.id as string;
    await db
      .update(schema.children)
      .set({ archivedAt: new Date('2026-11-20T02:00:00Z') })
      .where(eq(schema.children.id, archivedChildId));
    lateChildId = children[children.length - 1]?.id as string;
    await db
      .update(schema.children)
      .set({ createdAt: new Date('2026-10-15T02:00:00Z') })
      .where(eq(schema.children.id, lateChildId));
    kidsA = await loadKids(a.home.id);
    kidsB = await loadKids(b.home.id);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('the generated term holds every kind of call the reports must tell apart', () => {
    const statuses = new Set(callsA.map((c) => c.status));
    for (const status of ['completed', 'missed', 'cancelled', 'declined', 'confirmed'])
      expect(statuses).toContain(status);
    expect(callsA.some((c) => c.status === 'completed' && c.log === null)).toBe(true);
    expect(callsA.some((c) => c.secondContactId !== null)).toBe(true);
    expect(callsA.some((c) => c.childIds.length === 2)).toBe(true);
    expect(callsB.length).toBeGreaterThan(10);
  });

  it('counts the term for the Home: totals, each month, moods, weeks between calls', async () => {
    const summary = await getJson<Summary>(`/api/reports/summary?from=${TERM.from}&to=${TERM.to}`);
    expect(summary.home).toEqual({ id: world.a.home.id, name: world.a.home.name, timeZone: 'Asia/Shanghai' });
    expect(summary.period).toEqual(TERM);
    expect(summary.scope.kind).toBe('home');
    const { averageWeeksBetweenCalls, ...totals } = summary.totals;
    expect(totals).toEqual(expectedCounts(kidsA, callsA, TERM.from, TERM.to, null));
    expect(averageWeeksBetweenCalls).toBe(expectedAverageWeeks(kidsA, callsA, TERM.from, TERM.to, null));
    expect(averageWeeksBetweenCalls).not.toBeNull();
    expect(summary.months).toEqual(
      monthsOf(TERM.from, TERM.to).map((m) => ({ ...m, ...expectedCounts(kidsA, callsA, m.from, m.to, null) })),
    );
    expect(summary.months.map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    expect(summary.moods).toEqual(expectedMoods(kidsA, callsA, TERM.from, TERM.to, null));
    // Home B's calls are never Home A's.
    const bBooked = callsB.filter((c) => BOOKED.has(c.status)).length;
    expect(bBooked).toBeGreaterThan(0);
    expect(summary.totals.callsBooked).toBe(callsA.filter((c) => BOOKED.has(c.status)).length);
  });

  it('counts a month week by week on asking, Monday to Sunday, the first and last week cut at its ends', async () => {
    const november = { from: '2026-11-01', to: '2026-11-30' };
    const summary = await getJson<Summary>(
      `/api/reports/summary?from=${november.from}&to=${november.to}&includeWeeks=true&limit=1`,
    );
    // 1 November 2026 is a Sunday; 30 November a Monday.
    const weeks = [
      { from: '2026-11-01', to: '2026-11-01' },
      { from: '2026-11-02', to: '2026-11-08' },
      { from: '2026-11-09', to: '2026-11-15' },
      { from: '2026-11-16', to: '2026-11-22' },
      { from: '2026-11-23', to: '2026-11-29' },
      { from: '2026-11-30', to: '2026-11-30' },
    ];
    expect(summary.weeks).toEqual(weeks.map((w) => ({ ...w, ...expectedCounts(kidsA, callsA, w.from, w.to, null) })));
    expect(summary.weeks.reduce((sum, w) => sum + w.callsBooked, 0)).toBe(summary.totals.callsBooked);
    expect(summary.weeks.some((w) => w.callsCompleted > 0)).toBe(true);
    // The totals and months are the same with or without the weeks; without asking, there are none.
    const plain = await getJson<Summary>(`/api/reports/summary?from=${november.from}&to=${november.to}&limit=1`);
    expect(plain.weeks).toEqual([]);
    expect(plain.totals).toEqual(summary.totals);
    expect(plain.months).toEqual(summary.months);
    // February 2027 starts on a Monday and has four whole weeks.
    const february = await getJson<Summary>('/api/reports/summary?from=2027-02-01&to=2027-02-28&includeWeeks=true');
    expect(february.weeks.map((w) => [w.from, w.to])).toEqual([
      ['2027-02-01', '2027-02-07'],
      ['2027-02-08', '2027-02-14'],
      ['2027-02-15', '2027-02-21'],
      ['2027-02-22', '2027-02-28'],
    ]);
  });

  it('puts a call in the month its slot starts in, in the Home’s zone; a cancelled one nowhere', async () => {
    const september = await getJson<Summary>('/api/reports/summary?from=2026-09-30&to=2026-09-30');
    const october = await getJson<Summary>('/api/reports/summary?from=2026-10-01&to=2026-10-01');
    const bookOf = async (day: string) =>
      (await getJson<CallBookPage>(`/api/reports/call-book?from=${day}&to=${day}&limit=500`)).items.map(
        (i) => i.bookingId,
      );
    expect(await bookOf('2026-09-30')).toContain(handMade.acrossMonthEnd);
    expect(await bookOf('2026-10-01')).toContain(handMade.afterMidnight);
    expect(await bookOf('2026-10-01')).not.toContain(handMade.acrossMonthEnd);
    expect(september.totals.callsCompleted).toBe(
      expectedCounts(kidsA, callsA, '2026-09-30', '2026-09-30', null).callsCompleted,
    );
    expect(september.totals.callsCompleted).toBeGreaterThanOrEqual(1);
    expect(october.totals.parentNoShows).toBeGreaterThanOrEqual(1);
    expect(october.totals).toMatchObject(expectedCounts(kidsA, callsA, '2026-10-01', '2026-10-01', null));
    const novemberThird = await bookOf('2026-11-03');
    expect(novemberThird).not.toContain(handMade.cancelled);
  });

  it('counts a child who left mid-term until they left, and one who came mid-term from when they came', async () => {
    const september = await getJson<Summary>('/api/reports/summary?from=2026-09-01&to=2026-09-30');
    const december = await getJson<Summary>('/api/reports/summary?from=2026-12-01&to=2026-12-31');
    expect(september.totals.children).toBe(expectedCounts(kidsA, callsA, '2026-09-01', '2026-09-30', null).children);
    expect(december.totals.children).toBe(expectedCounts(kidsA, callsA, '2026-12-01', '2026-12-31', null).children);
    const pages = async (from: string, to: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Summary = await getJson<Summary>(
          `/api/reports/summary?from=${from}&to=${to}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        ids.push(...page.unreached.items.map((i) => i.childId));
        cursor = page.unreached.nextCursor;
      } while (cursor);
      return ids;
    };
    const decUnreached = await pages('2026-12-01', '2026-12-31');
    expect(decUnreached).not.toContain(archivedChildId);
    const sepUnreached = await pages('2026-09-01', '2026-09-30');
    expect(sepUnreached).not.toContain(lateChildId);
  });

  it('lists the children with no call, paged, with the day of their last call', async () => {
    for (const period of [TERM, { from: '2026-12-01', to: '2026-12-31' }, { from: '2027-01-20', to: '2027-01-31' }]) {
      const expected = expectedUnreached(kidsA, callsA, period.from, period.to, null);
      const got: Summary['unreached']['items'] = [];
      let cursor: string | null = null;
      let total = -1;
      do {
        const page: Summary = await getJson<Summary>(
          `/api/reports/summary?from=${period.from}&to=${period.to}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        );
        got.push(...page.unreached.items);
        total = page.unreached.total;
        cursor = page.unreached.nextCursor;
      } while (cursor);
      expect(total).toBe(expected.length);
      expect(
        got
          .map(({ childId, archived, lastCallDate }) => ({ childId, archived, lastCallDate }))
          .sort((x, y) => x.childId.localeCompare(y.childId)),
      ).toEqual([...expected].sort((x, y) => x.childId.localeCompare(y.childId)));
    }
    const late = await getJson<Summary>('/api/reports/summary?from=2027-01-20&to=2027-01-31&limit=500');
    expect(late.unreached.items.length).toBeGreaterThan(0);
  });

  it('a teacher sees their paired children only; another teacher’s or an unpaired child’s report is refused', async () => {
    const mine = await getJson<Summary>(
      `/api/reports/summary?from=${TERM.from}&to=${TERM.to}&scope=teacher`,
      'teacherA',
    );
    expect(mine.scope).toMatchObject({ kind: 'teacher', staffId: world.a.teacher.id });
    const { averageWeeksBetweenCalls, ...totals } = mine.totals;
    expect(totals).toEqual(expectedCounts(kidsA, callsA, TERM.from, TERM.to, paired));
    expect(totals.children).toBe(3);
    expect(averageWeeksBetweenCalls).toBe(expectedAverageWeeks(kidsA, callsA, TERM.from, TERM.to, paired));
    expect(mine.moods).toEqual(expectedMoods(kidsA, callsA, TERM.from, TERM.to, paired));
    expect(mine.months).toEqual(
      monthsOf(TERM.from, TERM.to).map((m) => ({ ...m, ...expectedCounts(kidsA, callsA, m.from, m.to, paired) })),
    );
    const reads = await world.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'report.summary-read'));
    const mineRead = reads.find((row) => row.actorId === world.a.teacher.id);
    expect(mineRead?.details).toEqual({
      scope: 'teacher',
      staffId: world.a.teacher.id,
      childId: null,
      from: TERM.from,
      to: TERM.to,
    });
    const child = [...paired][0] as string;
    const one = await getJson<Summary>(
      `/api/reports/summary?from=${TERM.from}&to=${TERM.to}&scope=child&childId=${child}`,
      'teacherA',
    );
    expect(one.totals).toMatchObject(expectedCounts(kidsA, callsA, TERM.from, TERM.to, new Set([child])));
    expect(one.scope.childName).toBeTruthy();

    const q = `from=${TERM.from}&to=${TERM.to}`;
    expect(
      (await world.request(`/api/reports/summary?${q}&scope=teacher&staffId=${otherTeacherId}`, { as: 'teacherA' }))
        .status,
    ).toBe(403);
    expect(
      (await world.request(`/api/reports/summary?${q}&scope=child&childId=${archivedChildId}`, { as: 'teacherA' }))
        .status,
    ).toBe(403);
    // The admin may see any teacher of the Home; nobody sees another Home's people.
    const theirs = await getJson<Summary>(`/api/reports/summary?${q}&scope=teacher&staffId=${otherTeacherId}`);
    expect(theirs.totals.children).toBe(2);
    expect(
      (await world.request(`/api/reports/summary?${q}&scope=teacher&staffId=${world.b.teacher.id}`, { as: 'adminA' }))
        .status,
    ).toBe(404);
    expect(
      (await world.request(`/api/reports/summary?${q}&scope=child&childId=${child}`, { as: 'teacherB' })).status,
    ).toBe(404);
  });

  it('Home B’s teacher counts Home B only', async () => {
    const summary = await getJson<Summary>(`/api/reports/summary?from=${TERM.from}&to=${TERM.to}`, 'teacherB');
    expect(summary.home.id).toBe(world.b.home.id);
    const { averageWeeksBetweenCalls: _weeks, ...totals } = summary.totals;
    expect(totals).toEqual(expectedCounts(kidsB, callsB, TERM.from, TERM.to, null));
    const book = await getJson<CallBookPage>(
      `/api/reports/call-book?from=${TERM.from}&to=${TERM.to}&limit=500`,
      'teacherB',
    );
    const aIds = new Set(callsA.map((c) => c.bookingId));
    expect(book.items.length).toBeGreaterThan(0);
    expect(book.items.some((row) => aIds.has(row.bookingId))).toBe(false);
  });

  it('the call book lists every booked call of the period in order, paged, as the rows say', async () => {
    const start = dayStartMs(TERM.from);
    const end = dayStartMs(nextDay(TERM.to));
    const expected = callsA
      .filter((c) => BOOKED.has(c.status) && c.startAt.getTime() >= start && c.startAt.getTime() < end)
      .sort((x, y) => x.startAt.getTime() - y.startAt.getTime() || (x.bookingId < y.bookingId ? -1 : 1));
    const rows: CallBookPage['items'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: CallBookPage = await getJson<CallBookPage>(
        `/api/reports/call-book?from=${TERM.from}&to=${TERM.to}&limit=37${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.total).toBe(expected.length);
      rows.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(expected.length / 37));
    expect(rows.map((r) => r.bookingId)).toEqual(expected.map((c) => c.bookingId));
    for (const [i, row] of rows.entries()) {
      const call = expected[i] as HistoryCall;
      expect(row.date).toBe(localDay(call.startAt));
      expect(row.time).toBe(localTime(call.startAt));
      expect(row.children.map((c) => c.childId).sort()).toEqual([...call.childIds].sort());
      expect(row.contacts.map((c) => c.contactId)).toEqual([
        call.contactId,
        ...(call.secondContactId ? [call.secondContactId] : []),
      ]);
      expect(row.seconds).toBe(call.log?.overlapSeconds ?? 0);
      expect(row.minutes).toBe(Math.round((call.log?.overlapSeconds ?? 0) / 60));
      expect(row.outcome).toBe(outcomeOf(call));
      for (const child of row.children) expect(child.mood).toBe(call.log?.moods[child.childId] ?? null);
    }
    const threeWay = rows.find((r) => r.bookingId === handMade.threeWay);
    expect(threeWay?.contacts.map((c) => c.relation)).toEqual(['mother', 'father']);
    expect(rows.some((r) => r.bookingId === handMade.cancelled)).toBe(false);
  });

  it('the call book as CSV: BOM, CRLF, Chinese header, every call, names with quotes and commas intact', async () => {
    const response = await world.request(`/api/reports/call-book/csv?from=${TERM.from}&to=${TERM.to}`, {
      as: 'teacherA',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const disposition = response.headers.get('content-disposition') ?? '';
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? '';
    expect(decodeURIComponent(encoded)).toBe(`亲情通话记录簿-${TERM.from}至${TERM.to}.csv`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.includes('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '').includes('\n')).toBe(false);
    const records = parse(text, { bom: true }) as string[][];
    expect(records[0]).toEqual(['序号', '日期', '时间', '孩子', '班级', '通话对象', '通话分钟', '结果', '心情（1-5）']);
    const start = dayStartMs(TERM.from);
    const end = dayStartMs(nextDay(TERM.to));
    const expected = callsA.filter(
      (c) => BOOKED.has(c.status) && c.startAt.getTime() >= start && c.startAt.getTime() < end,
    );
    expect(records.length - 1).toBe(expected.length);
    const odd = kidsA.find((k) => k.id === oddChildId) as KidRow;
    const oddCalls = expected.filter((c) => c.childIds.includes(oddChildId));
    expect(oddCalls.length).toBeGreaterThan(0);
    expect(records.filter((r) => (r[3] ?? '').includes(`${odd.familyName}${odd.givenName}`)).length).toBe(
      oddCalls.length,
    );
    expect(records.filter((r) => r[7] === '已通话').length).toBe(
      expected.filter((c) => c.status === 'completed').length,
    );
    expect(records.filter((r) => r[7] === '家长未接通').length).toBe(
      expected.filter((c) => c.status === 'missed' && c.log?.outcome === 'parent-no-show').length,
    );
    expectNoFormulaCells(records);
    const audit = await world.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'report.call-book-export'));
    expect(audit.some((row) => row.actorId === world.a.teacher.id && row.homeId === world.a.home.id)).toBe(true);
  });

  it('the roster masks numbers; whole numbers are the admin’s only, audited with field names', async () => {
    const masked: RosterPage['items'] = [];
    let cursor: string | null = null;
    do {
      const page: RosterPage = await getJson<RosterPage>(
        `/api/reports/roster?limit=5${cursor ? `&cursor=${cursor}` : ''}`,
        'teacherA',
      );
      masked.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const current = kidsA.filter((k) => k.archivedAt === null);
    expect(masked.map((r) => r.childId).sort()).toEqual(current.map((k) => k.id).sort());
    const phones = masked.flatMap((r) => r.contacts.map((c) => c.phone));
    expect(phones.length).toBeGreaterThan(0);
    // Mainland numbers without +86, the one abroad with its country code; never a whole number.
    for (const phone of phones) expect(phone).toMatch(/^(1\d{2}|\+34 612)\*{4}\d{4}$/);
    expect(phones.filter((phone) => phone.startsWith('+34'))).toEqual(['+34 612****5678']);

    const term = await getJson<RosterPage>(`/api/reports/roster?from=${TERM.from}&to=${TERM.to}&limit=500`, 'teacherA');
    expect(term.period).toEqual(TERM);
    expect(term.items.find((r) => r.childId === archivedChildId)?.archived).toBe(true);
    expect(masked.some((r) => r.childId === archivedChildId)).toBe(false);
    expect((await world.request('/api/reports/roster?phones=whole', { as: 'teacherA' })).status).toBe(403);
    expect((await world.request('/api/reports/roster/csv?phones=whole', { as: 'teacherA' })).status).toBe(403);

    const whole = await getJson<RosterPage>('/api/reports/roster?phones=whole&limit=500');
    const raw = await world.database.db
      .select({ id: schema.contacts.id, name: schema.contacts.name, phone: schema.contacts.phone })
      .from(schema.contacts)
      .where(eq(schema.contacts.homeId, world.a.home.id));
    const rawPhone = new Map(raw.map((r) => [r.id, r.phone]));
    for (const row of whole.items) {
      for (const contact of row.contacts) {
        const e164 = rawPhone.get(contact.contactId) as string;
        expect(contact.phone).toBe(e164.startsWith('+86') ? e164.slice(3) : e164);
      }
    }
    // The JSON answer holds the names as they are: the formula guard is for the CSV files only.
    expect(whole.items.some((r) => r.householdName === '=HYPERLINK("http://example.com/x","点我")')).toBe(true);
    const csv = await world.request('/api/reports/roster/csv?phones=whole', { as: 'adminA' });
    expect(csv.status).toBe(200);
    const records = parse(await csv.text(), { bom: true }) as string[][];
    expect(records[0]).toEqual(['序号', '姓名', '班级', '家庭', '家长姓名', '关系', '所在城市', '电话']);
    const odd = kidsA.find((k) => k.id === oddChildId) as KidRow;
    const oddRows = records.filter((r) => r[1] === `${odd.familyName}${odd.givenName}`);
    expect(oddRows.length).toBeGreaterThan(0);
    expect(oddRows[0]?.[2]).toBe(odd.className);
    expect(records.some((r) => r[6] === '深圳, 南山')).toBe(true);
    // Names a spreadsheet would run as a formula come back with the guard, whole otherwise.
    expect(records.filter((r) => r[3] === `'=HYPERLINK("http://example.com/x","点我")`).length).toBeGreaterThan(0);
    expect(records.some((r) => r[6] === "'@南山")).toBe(true);
    expect(records.some((r) => r[6] === "'-东莞")).toBe(true);
    expectNoFormulaCells(records);
    // Whole numbers in a form a spreadsheet keeps as text: a mainland one in its national groups (no +86, never a
    // bare run of digits that becomes 1.39E+10), the one abroad in its international form behind the guard.
    const byName = new Map(raw.map((r) => [r.name, r.phone]));
    expect(byName.size).toBe(raw.length);
    const contactRows = records.slice(1).filter((r) => r[4] !== '');
    expect(contactRows.filter((r) => r[7]?.startsWith("'+34")).length).toBe(1);
    for (const row of contactRows) {
      const e164 = byName.get(row[4] as string) as string;
      expect(e164, row[4]).toBeDefined();
      if (e164.startsWith('+86')) {
        expect(row[7]).toBe(nationalGroups(e164));
        expect(row[7]).toMatch(/^1\d{2} \d{4} \d{4}$/);
      } else {
        expect(row[7]).toBe("'+34 612 34 56 78");
      }
    }
    // Masked numbers keep their mask; the one abroad starts with + and so gets the guard.
    const maskedCsv = await world.request('/api/reports/roster/csv', { as: 'teacherA' });
    const maskedRecords = parse(await maskedCsv.text(), { bom: true }) as string[][];
    const maskedPhones = maskedRecords
      .slice(1)
      .map((r) => r[7] as string)
      .filter((phone) => phone !== '');
    expect(maskedPhones.length).toBe(contactRows.length);
    for (const phone of maskedPhones) expect(phone).toMatch(/^(1\d{2}|'\+34 612)\*{4}\d{4}$/);
    expectNoFormulaCells(maskedRecords);

    const exports = await world.database.db
      .select()
      .from(schema.auditEvents)
      .where(inArray(schema.auditEvents.action, ['report.roster-export']));
    const byAdmin = exports.filter((row) => row.actorId === world.a.admin.id);
    expect(byAdmin.length).toBe(2);
    const details = JSON.stringify(byAdmin.map((row) => row.details));
    expect(details).toContain('contact.phone');
    for (const phone of raw.map((r) => r.phone)) expect(details).not.toContain(phone.slice(3));
    expect(details).not.toContain(odd.givenName);
  });

  it('the pairing records hold each pairing with its teacher’s diary entries of the period', async () => {
    const page = await getJson<PairingPage>(`/api/reports/pairings?from=${TERM.from}&to=${TERM.to}&limit=500`);
    expect(page.total).toBe(5);
    const mine = page.items.filter((row) => row.staffId === world.a.teacher.id);
    expect(mine.map((r) => r.childId).sort()).toEqual([...paired].sort());
    const diaries = mine.flatMap((row) => row.diary.map((d) => ({ child: row.childId, date: d.date, text: d.text })));
    expect(diaries.map((d) => d.date).sort()).toEqual(['2026-09-15', '2027-01-31']);
    expect(diaries.some((d) => d.text === '别的老师写的')).toBe(false);
    const csv = await world.request(`/api/reports/pairings/csv?from=${TERM.from}&to=${TERM.to}`, { as: 'teacherA' });
    const records = parse(await csv.text(), { bom: true }) as string[][];
    expect(records.some((r) => r[5] === '和妈妈聊了学习, "很开心"')).toBe(true);
    expect(records.some((r) => r[5] === "'-期末：和奶奶谈了寒假作业")).toBe(true);
    expect(page.items.some((row) => row.diary.some((d) => d.text === '-期末：和奶奶谈了寒假作业'))).toBe(true);
    expectNoFormulaCells(records);
    // One row per diary entry, one for a pairing with none.
    expect(records.length - 1).toBe(page.items.reduce((n, row) => n + Math.max(1, row.diary.length), 0));
  });

  it('the monthly summary and its CSV say what the rows say', async () => {
    const monthly = await getJson<Monthly>(`/api/reports/monthly?from=${TERM.from}&to=${TERM.to}`);
    expect(monthly.items).toEqual(
      monthsOf(TERM.from, TERM.to).map((m) => ({ ...m, ...expectedCounts(kidsA, callsA, m.from, m.to, null) })),
    );
    expect(monthly.totals).toEqual(expectedCounts(kidsA, callsA, TERM.from, TERM.to, null));
    const csv = await world.request(`/api/reports/monthly/csv?from=${TERM.from}&to=${TERM.to}`, { as: 'teacherA' });
    const records = parse(await csv.text(), { bom: true }) as string[][];
    expect(records.map((r) => r[0])).toEqual(['月份', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '合计']);
    expectNoFormulaCells(records);
    const october = expectedCounts(kidsA, callsA, '2026-10-01', '2026-10-31', null);
    expect(records[2]).toEqual([
      '2026-10',
      String(october.children),
      String(october.childrenReached),
      `${october.reachedPercent}%`,
      String(october.callsBooked),
      String(october.callsCompleted),
      String(october.minutes),
      String(october.parentNoShows),
      String(october.childNoShows),
    ]);
  });

  it('refuses bad periods, pages and scopes with a 400 that names the field', async () => {
    const reasonOf = async (path: string) => {
      const response = await world.request(path, { as: 'adminA' });
      const body = (await response.json()) as { error: { details?: { fields?: { path: string; key: string }[] } } };
      return { status: response.status, fields: body.error.details?.fields?.map((f) => `${f.path}:${f.key}`) ?? [] };
    };
    expect(await reasonOf('/api/reports/summary?from=2026-02-30&to=2026-03-31')).toEqual({
      status: 400,
      fields: ['from:validation.date'],
    });
    expect(await reasonOf('/api/reports/summary?from=2026-10-01&to=2026-09-30')).toEqual({
      status: 400,
      fields: ['to:validation.time_order'],
    });
    expect(await reasonOf('/api/reports/call-book?from=2026-09-01&to=2027-09-01')).toEqual({
      status: 400,
      fields: ['to:validation.period_too_long'],
    });
    expect((await world.request('/api/reports/call-book?from=2026-09-01&to=2027-08-31', { as: 'adminA' })).status).toBe(
      200,
    );
    expect((await reasonOf('/api/reports/summary?from=2026-09-01&to=2026-09-30&scope=child')).fields).toEqual([
      'childId:validation.required',
    ]);
    expect((await reasonOf('/api/reports/call-book?from=2026-09-01&to=2026-09-30&cursor=bm9wZQ')).status).toBe(400);
    expect((await reasonOf('/api/reports/roster?cursor=eyJvIjotMX0')).status).toBe(400);
    expect((await reasonOf('/api/reports/call-book?from=2026-09-01&to=2026-09-30&limit=501')).status).toBe(400);
    expect((await reasonOf('/api/reports/monthly')).status).toBe(400);
  });

  it('answers query text that is not a day, on every report route and CSV, with a 400 naming the field, never a 500', async () => {
    const routes = [
      '/api/reports/summary',
      '/api/reports/roster',
      '/api/reports/call-book',
      '/api/reports/pairings',
      '/api/reports/monthly',
      '/api/reports/roster/csv',
      '/api/reports/call-book/csv',
      '/api/reports/pairings/csv',
      '/api/reports/monthly/csv',
    ];
    const queries: [string, string[]][] = [
      // An id where a day belongs and a time that does not exist, with bytes that are not UTF-8 after them.
      ['from=kio_p5t5x69x1v1z6w44&to=25%3A61&q=%c0%80', ['from:validation.date', 'to:validation.date']],
      ['from=2026-09-01&to=25%3A61', ['to:validation.date']],
      ['from=NaN&to=2026-09-30', ['from:validation.date']],
      ['from=&to=', ['from:validation.date', 'to:validation.date']],
      ['from=2026-9-1&to=2027-01-31', ['from:validation.date']],
    ];
    for (const route of routes) {
      for (const [query, fields] of queries) {
        const response = await world.request(`${route}?${query}`, { as: 'teacherA' });
        expect(response.status, `${route}?${query}: ${await response.clone().text()}`).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/json');
        const body = (await response.json()) as {
          error: {
            code: string;
            details?: { fields?: { path: string; key: string; message: { 'zh-CN': string; en: string } }[] };
          };
        };
        expect(body.error.code).toBe('validation-failed');
        const problems = body.error.details?.fields ?? [];
        expect(problems.map((f) => `${f.path}:${f.key}`)).toEqual(fields);
        for (const problem of problems) {
          expect(problem.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
          expect(problem.message.en.length).toBeGreaterThan(0);
        }
      }
    }
    // A call book cursor holding an instant no date can hold is refused, not passed on to the database.
    const farCursor = Buffer.from(JSON.stringify({ t: 1e300, b: 'bkg_0000000000000000' })).toString('base64url');
    const far = await world.request(`/api/reports/call-book?from=2026-09-01&to=2026-09-30&cursor=${farCursor}`, {
      as: 'teacherA',
    });
    expect(far.status).toBe(400);
    const farBody = (await far.json()) as { error: { details?: { fields?: { path: string }[] } } };
    expect(farBody.error.details?.fields?.map((f) => f.path)).toEqual(['cursor']);
    // Nothing of a refused request is audited as read.
    const reads = await world.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'report.monthly-export'));
    expect(reads.every((row) => (row.details as { from?: string }).from === TERM.from)).toBe(true);
  });
});

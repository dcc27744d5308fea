import { performance } from 'node:perf_hooks';
import { createStaffSession, schema, seedHome } from '@affection/db';
import {
  createApiWorld,
  generateCallHistory,
  loadHistoryHouseholds,
  type TestDatabaseKind,
} from '@affection/test-support';
import { and, eq } from 'drizzle-orm';
import { STAFF_COOKIE } from '../../apps/server/src/auth/session-settings.ts';
import { hashToken, newToken } from '../../apps/server/src/auth/tokens.ts';

/** The autumn term the history covers, and the month measured alone. */
const TERM = { from: '2026-09-01', to: '2027-01-31' };
const MONTH = { from: '2026-11-01', to: '2026-11-30' };

/**
 * The reports of the synthetic Home (1,000 children, 4 kiosks, seeded by `seedHome`) with a generated autumn term of
 * call history (each household offered a call a week, as far as the kiosks' slots go), through the real app
 * (`app.request`, the admin's session): `monthMs` is the summary of one month, `termMs` the summary of the term,
 * `ledgerCsvMs` the term's whole call record book as CSV — each the median of `runs=` runs (default 7) after one
 * warm-up. Target ≤ 1000 ms each. Options: `db=postgres|pglite|both` (default postgres), `children=<n>` (1000).
 * @example npm run bench -- reports db=both
 */
export default async function reportsBench(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: string) =>
    args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
  const which = option('db', 'postgres');
  const runs = Number(option('runs', '7'));
  const children = Number(option('children', '1000'));
  if (!['postgres', 'pglite', 'both'].includes(which)) throw new RangeError(`db= is postgres, pglite or both`);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs= needs a positive whole number`);
  const kinds = (which === 'both' ? ['pglite', 'postgres'] : [which]) as TestDatabaseKind[];
  let last: Record<string, unknown> = {};
  for (const kind of kinds) {
    last = await benchOne(kind, runs, children);
    if (kind !== kinds.at(-1)) console.log(JSON.stringify({ bench: 'reports', ...last }));
  }
  return last;
}

async function benchOne(kind: TestDatabaseKind, runs: number, size: number): Promise<Record<string, unknown>> {
  const world = await createApiWorld(kind);
  try {
    const db = world.database.db;
    const seedStarted = performance.now();
    const seeded = await seedHome(db, {
      name: '基准之家',
      children: size,
      kiosks: Math.max(1, Math.ceil((4 * size) / 1000)),
      teachers: 20,
      hashPassword: async (password) => `not-hashed-${password.length}`,
      adminLogin: { username: 'bench-admin', password: 'bench-admin-password' },
      teacherPassword: 'bench-teacher-password',
      teacherUsernamePrefix: 'bench-teacher-',
      now: new Date('2026-08-25T00:00:00Z'),
      seed: 1,
    });
    // The Home was set up before the term: its children are on the roll from the first day.
    await db
      .update(schema.children)
      .set({ createdAt: new Date('2026-08-25T00:00:00Z') })
      .where(eq(schema.children.homeId, seeded.homeId));
    const calls = await generateCallHistory(db, {
      homeId: seeded.homeId,
      timeZone: 'Asia/Shanghai',
      kioskIds: seeded.kioskIds,
      households: await loadHistoryHouseholds(db, seeded.homeId),
      ...TERM,
      seed: 2,
    });
    const seedMs = Math.round(performance.now() - seedStarted);

    const [admin] = await db
      .select({ id: schema.staff.id })
      .from(schema.staff)
      .where(and(eq(schema.staff.homeId, seeded.homeId), eq(schema.staff.role, 'admin')));
    if (!admin) throw new Error('The synthetic Home has no admin.');
    const token = newToken();
    const now = new Date();
    await createStaffSession(db, {
      staffId: admin.id,
      tokenHash: hashToken(token),
      csrfToken: newToken(),
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    const headers = { cookie: `${STAFF_COOKIE}=${token}` };

    const time = async (path: string, check: (response: Response, body: string) => void) => {
      const samples: number[] = [];
      for (let i = 0; i <= runs; i += 1) {
        const started = performance.now();
        const response = await world.app.request(path, { headers });
        const body = await response.text();
        const ms = performance.now() - started;
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 300)}`);
        check(response, body);
        if (i > 0) samples.push(ms);
      }
      return { median: Math.round(median(samples)), samples: samples.map((ms) => Math.round(ms)) };
    };

    let termSummary: { totals: Record<string, unknown>; unreached: { total: number } } | null = null;
    const month = await time(`/api/reports/summary?from=${MONTH.from}&to=${MONTH.to}&limit=500`, () => {});
    const term = await time(`/api/reports/summary?from=${TERM.from}&to=${TERM.to}&limit=500`, (_response, body) => {
      termSummary = JSON.parse(body);
    });
    let csvRows = 0;
    const csv = await time(`/api/reports/call-book/csv?from=${TERM.from}&to=${TERM.to}`, (_response, body) => {
      csvRows = body.split('\r\n').filter((line) => line.length > 0).length - 1;
    });
    const summary = termSummary as { totals: Record<string, unknown>; unreached: { total: number } } | null;
    const lines = [
      `${kind}: Home of ${seeded.childCount} children (${seeded.householdCount} households), ${seeded.kioskIds.length} kiosks; ` +
        `term ${TERM.from}–${TERM.to}: ${calls.length} calls generated, seeded in ${seedMs} ms`,
      `term totals: ${JSON.stringify(summary?.totals)}; children with no call: ${summary?.unreached.total}`,
      `month summary (${MONTH.from}–${MONTH.to}): median ${month.median} ms of ${JSON.stringify(month.samples)}`,
      `term summary: median ${term.median} ms of ${JSON.stringify(term.samples)}`,
      `term call book CSV (${csvRows} rows): median ${csv.median} ms of ${JSON.stringify(csv.samples)}`,
      'target ≤ 1000 ms each',
    ];
    for (const line of lines) console.log(line);
    return {
      db: kind,
      children: seeded.childCount,
      calls: calls.length,
      callBookRows: csvRows,
      monthMs: month.median,
      termMs: term.median,
      ledgerCsvMs: csv.median,
    };
  } finally {
    await world.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

import { performance } from 'node:perf_hooks';
import { selectRows } from '@affection/db';
import { createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { sql } from 'drizzle-orm';
import { createServerMetrics } from '../../apps/server/src/metrics/server-metrics.ts';

const STATUSES = ['pending', 'sent', 'delivered', 'failed', 'cancelled'];

/**
 * What a Prometheus scrape costs the database: `sms=` SMS rows (default 500,000, about two years of a county's
 * reminders) spread over the two Homes of the test world, then the metrics rendered with no cache (`uncachedMs`: the
 * grouped query over SMS, call logs and bookings, plus Redis's queue counts), and within the cache's 15 s
 * (`cachedMs`: Redis only) — medians of `runs=` (default 7) after one warm-up. Options: `db=postgres|pglite`
 * (default postgres).
 * @example npm run bench -- metrics sms=1000000
 */
export default async function metricsBench(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: string) =>
    args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
  const kind = option('db', 'postgres') as TestDatabaseKind;
  const sms = Number(option('sms', '500000'));
  const runs = Number(option('runs', '7'));
  if (!['postgres', 'pglite'].includes(kind)) throw new RangeError('db= is postgres or pglite');
  if (!Number.isInteger(sms) || sms < 1) throw new RangeError('sms= needs a positive whole number');
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError('runs= needs a positive whole number');
  const world = await createApiWorld(kind);
  try {
    const db = world.database.db;
    const seedStarted = performance.now();
    await selectRows(
      db,
      sql`insert into sms_messages (id, home_id, direction, to_phone, body, status)
          select 'sms_' || lpad(g::text, 16, '0'),
                 case when g % 2 = 0 then ${world.a.home.id} else ${world.b.home.id} end,
                 'out', '+8613800000000', '提醒',
                 (${sql.raw(`array[${STATUSES.map((s) => `'${s}'`).join(',')}]`)})[1 + g % ${STATUSES.length}]
            from generate_series(1, ${sms}) g`,
    );
    await selectRows(db, sql`analyze sms_messages`);
    const seedMs = Math.round(performance.now() - seedStarted);

    const median = async (render: () => Promise<string>) => {
      await render();
      const times: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const started = performance.now();
        const text = await render();
        times.push(performance.now() - started);
        if (!text.includes('affection_sms_messages{')) throw new Error('the scrape lacks the SMS counts');
      }
      times.sort((x, y) => x - y);
      return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
    };
    const uncached = createServerMetrics(world.services, { databaseCacheMs: 0, sourceTimeoutMs: 60_000 });
    const cached = createServerMetrics(world.services, { sourceTimeoutMs: 60_000 });
    return {
      db: kind,
      smsRows: sms,
      seedMs,
      uncachedMs: await median(() => uncached.render()),
      cachedMs: await median(() => cached.render()),
    };
  } finally {
    await world.close();
  }
}

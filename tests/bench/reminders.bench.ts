import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { type Db, migrateDatabase, openDatabase, selectRows } from '@affection/db';
import { enqueueSmsBatch, QUEUE_NAMES } from '@affection/jobs';
import {
  countSmsByStatus,
  createTestPostgres,
  dedupeKeyOfBody,
  isSmsPipelineIdle,
  type RunningProcess,
  spawnSmsWorker,
  startFakeTwilio,
  startRedis,
  stopProcess,
  storeReminders,
  waitUntil,
} from '@affection/test-support';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { postgresCpuMs, processCpuMs } from './process-cpu.ts';

const FULL_COUNT = 100_000;
const FULL_WINDOW_MS = 5 * 60_000;

function argValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : args.find((a) => a.startsWith(`${name}=`))?.split('=')[1];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

/** Peak resident memory of a process (VmHWM), in MB; NaN where /proc is not there. */
async function peakRssMb(pid: number | undefined): Promise<number> {
  if (!pid) return Number.NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

/** CPU milliseconds Redis has used so far (`INFO cpu`). */
async function redisCpuMs(redis: Redis): Promise<number> {
  const cpu = String(await redis.info('cpu'));
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(cpu)?.[1]);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1_000;
}

/** The CPU every process of the pipeline has used so far, in ms. */
async function pipelineCpuMs(workers: RunningProcess[], redis: Redis, database: string, db: Db) {
  const bench = process.cpuUsage();
  const [stats] = await selectRows<{ commits: string }>(
    db,
    sql`select xact_commit::text as commits from pg_stat_database where datname = current_database()`,
  );
  return {
    commits: Number(stats?.commits),
    workers: workers.reduce((sum, worker) => sum + processCpuMs(worker.child.pid), 0),
    bench: (bench.user + bench.system) / 1_000,
    redis: await redisCpuMs(redis),
    postgres: postgresCpuMs(database),
  };
}

/**
 * `npm run bench -- reminders [--count N] [--window S] [--workers W] [--concurrency C] [--rate R] [--hog [H]]
 * [--profile-worker DIR]`: N reminders (default 100 000) due within a window of S seconds (default
 * 5 min × N / 100 000), stored as rows and enqueued, then sent by the real worker — W processes
 * (default 1), limiter off (`--rate`: R messages a second at most, all workers together, as a provider's
 * limit would ask), C jobs in parallel (default 200, so that a worker starved for a few
 * seconds catches up) — to the fake Twilio API in this process. `--hog` runs H processes (default 1)
 * spinning beside the pipeline for the whole run: a busy machine. `workerRssMb` is the largest
 * worker's peak. Lateness is the fake's receive time minus the reminder's due time. The `window…`
 * figures are CPU per message from the window's opening to the last receipt, by process.
 */
export default async function remindersBench(args: string[]): Promise<Record<string, unknown>> {
  const count = Number(argValue(args, '--count') ?? FULL_COUNT);
  const concurrency = Number(argValue(args, '--concurrency') ?? 200);
  const workerCount = Number(argValue(args, '--workers') ?? 1);
  // The provider's rate limit, kept by the workers' limiter (all of them together); none by default.
  const rateArg = argValue(args, '--rate');
  const ratePerSecond = rateArg === undefined ? null : Number(rateArg);
  if (ratePerSecond !== null && !(ratePerSecond > 0))
    throw new Error('--rate must be a positive number of messages a second');
  if (!Number.isInteger(count) || count <= 0) throw new Error('--count must be a positive whole number');
  const windowArg = argValue(args, '--window');
  const windowMs =
    windowArg !== undefined
      ? Math.round(Number(windowArg) * 1_000)
      : Math.max(1_000, Math.round((FULL_WINDOW_MS * count) / FULL_COUNT));
  if (!Number.isFinite(windowMs) || windowMs < 1_000) throw new Error('--window must be at least 1 (seconds)');
  const hogIndex = args.findIndex((a) => a === '--hog' || a.startsWith('--hog='));
  const hogArg = hogIndex >= 0 ? (argValue(args, '--hog') ?? '1') : '0';
  const hogCount = /^\d+$/.test(hogArg) ? Number(hogArg) : 1;

  const redis = await startRedis();
  const server = await createTestPostgres();
  const database = await openDatabase({ kind: 'postgres', url: server.url, maxConnections: 10 });
  await migrateDatabase(database);
  const fake = await startFakeTwilio({ seed: 1 });
  const producer = new Redis(redis.url, { maxRetriesPerRequest: null });
  const smsQueue = new Queue(QUEUE_NAMES.sms, { connection: producer });
  const profileDir = argValue(args, '--profile-worker');
  const workers: RunningProcess[] = [];
  for (let i = 0; i < workerCount; i += 1) {
    workers.push(
      await spawnSmsWorker(
        {
          workerId: `bench-${i + 1}`,
          redisUrl: redis.url,
          databaseUrl: server.url,
          twilio: {
            accountSid: fake.accountSid,
            authToken: fake.authToken,
            from: '+15005550006',
            apiBaseUrl: fake.url,
            timeoutMs: 15_000,
          },
          sms: {
            ...(ratePerSecond === null ? { limiterOff: true } : { perSecond: ratePerSecond }),
            concurrency,
            statusCallbackUrl: 'http://127.0.0.1:9/webhooks/twilio/status',
          },
          maxConnections: 20,
        },
        profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      ),
    );
  }
  // The CPU hog: processes that spin at full speed beside the pipeline (a busy machine: another
  // service, a backup, a build), from the end of the preparation to the last receipt.
  const hogs: ChildProcess[] = [];
  try {
    // Warm-up, not counted: a running worker has its connections open and its code compiled; a cold
    // one would pay for that at the window's first second. 1% of the count (50 to 1 000), due over 3 s.
    const warmUpCount = Math.min(1_000, Math.max(50, Math.round(count / 100)));
    const warmUp = await storeReminders(database.db, {
      count: warmUpCount,
      firstDueAt: new Date(Date.now() + 1_000),
      spreadMs: 3_000,
      prefix: 'w',
      seed: 7,
    });
    await enqueueSmsBatch(smsQueue, warmUp, { now: new Date() });
    await fake.waitForMessages(warmUpCount, { timeoutMs: 120_000 });
    const warmUpKeys = new Set(warmUp.map((r) => r.dedupeKey));

    // Rows first, then jobs; the window opens once both are in (70 s of lead at full size).
    const prepareStarted = Date.now();
    const leadMs = 10_000 + Math.round(count * 0.6);
    const firstDueAt = new Date(prepareStarted + leadMs);
    const reminders = await storeReminders(database.db, { count, firstDueAt, spreadMs: windowMs, seed: 2026 });
    const storedMs = Date.now() - prepareStarted;
    // Four pipelines of batches at a time; each job's delay counts from its own timestamp.
    const slice = Math.ceil(reminders.length / 4);
    await Promise.all(
      [0, 1, 2, 3].map((i) =>
        enqueueSmsBatch(smsQueue, reminders.slice(i * slice, (i + 1) * slice), { now: new Date() }),
      ),
    );
    const preparedMs = Date.now() - prepareStarted;
    console.log(`warm-up: ${warmUpCount} reminders sent before the window (not counted)`);
    console.log(
      `${count} reminders due over ${windowMs / 1000} s: stored in ${storedMs} ms, enqueued in ${preparedMs - storedMs} ms; the window opens ${Math.round((firstDueAt.getTime() - Date.now()) / 1000)} s from now`,
    );
    if (preparedMs > leadMs) console.log(`warning: preparing took longer than the ${leadMs} ms lead`);
    for (let i = 0; i < hogCount; i += 1) {
      hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
    if (hogCount > 0) console.log(`${hogCount} CPU hog${hogCount > 1 ? 's' : ''} spinning until the last receipt`);

    // CPU of each process over the window: from its opening (nothing is due before it) to the last receipt.
    await waitUntil(async () => Date.now() >= firstDueAt.getTime() - 200, {
      timeoutMs: leadMs + 60_000,
      everyMs: 50,
      what: 'the window to open',
    });
    const cpuAtOpen = await pipelineCpuMs(workers, producer, server.name, database.db);
    await fake.waitForMessages(warmUpCount + count, { timeoutMs: leadMs + windowMs + 10 * 60_000 });
    const cpuAtEnd = await pipelineCpuMs(workers, producer, server.name, database.db);
    for (const hog of hogs) hog.kill('SIGKILL');
    await waitUntil(() => isSmsPipelineIdle(database.db, smsQueue), {
      timeoutMs: 5 * 60_000,
      everyMs: 1_000,
      what: 'every message settled',
      describe: async () => JSON.stringify(await countSmsByStatus(database.db)),
    });
    const rss = await Promise.all(workers.map((worker) => peakRssMb(worker.child.pid)));
    const workerRssMb = Math.max(...rss);
    let cpu: { userMs: number; systemMs: number } | null = { userMs: 0, systemMs: 0 };
    for (const worker of workers) {
      await stopProcess(worker, 'SIGTERM', 30_000);
      const line = worker.output.find((l) => l.startsWith('sms worker cpu '));
      const used = line
        ? (JSON.parse(line.slice('sms worker cpu '.length)) as { userMs: number; systemMs: number })
        : null;
      cpu = cpu && used ? { userMs: cpu.userMs + used.userMs, systemMs: cpu.systemMs + used.systemMs } : null;
    }
    const persistence = String(await producer.info('persistence'));
    const stats = String(await producer.info('stats'));
    const infoNumber = (text: string, field: string) => Number(new RegExp(`${field}:(\\d+)`).exec(text)?.[1]);
    const memory = String(await producer.info('memory'));
    const redisMb = Math.round((Number(/used_memory_peak:(\d+)/.exec(memory)?.[1]) / 1024 / 1024) * 10) / 10;

    const dueByKey = new Map(reminders.map((r) => [r.dedupeKey, r.dueAt.getTime()]));
    const firstReceipt = new Map<string, number>();
    const acceptedPerKey = new Map<string, number>();
    for (const request of fake.requests) {
      if (request.method !== 'POST' || request.responseStatus !== 201) continue;
      const key = dedupeKeyOfBody(request.form.Body ?? '');
      if (!key) continue;
      // Duplicates count the warm-up too; lateness only the measured window.
      acceptedPerKey.set(key, (acceptedPerKey.get(key) ?? 0) + 1);
      if (!warmUpKeys.has(key) && !firstReceipt.has(key)) firstReceipt.set(key, request.receivedAt);
    }
    // The most send requests the provider received in any one second (by the second of arrival).
    const sendsPerSecond = new Map<number, number>();
    for (const request of fake.requests) {
      if (request.method !== 'POST') continue;
      const second = Math.floor(request.receivedAt / 1_000);
      sendsPerSecond.set(second, (sendsPerSecond.get(second) ?? 0) + 1);
    }
    const lateness = [...firstReceipt].map(([key, at]) => at - (dueByKey.get(key) ?? at)).sort((a, b) => a - b);
    const duplicates = [...acceptedPerKey.values()].reduce((sum, n) => sum + (n - 1), 0);
    const receipts = [...firstReceipt.values()];
    const lastReceipt = Math.max(...receipts);
    const perMessage = (ms: number) => Math.round((1_000 * ms) / count) / 1_000;
    const windowCpu = {
      windowWorkerCpuMs: perMessage(cpuAtEnd.workers - cpuAtOpen.workers),
      windowBenchCpuMs: perMessage(cpuAtEnd.bench - cpuAtOpen.bench),
      windowRedisCpuMs: perMessage(cpuAtEnd.redis - cpuAtOpen.redis),
      windowPostgresCpuMs: perMessage(cpuAtEnd.postgres - cpuAtOpen.postgres),
      // Transactions PostgreSQL committed per message (claims and records shared by many messages count once).
      windowPostgresCommits: perMessage(cpuAtEnd.commits - cpuAtOpen.commits),
      windowTotalCpuMs: perMessage(
        cpuAtEnd.workers +
          cpuAtEnd.bench +
          cpuAtEnd.redis +
          cpuAtEnd.postgres -
          (cpuAtOpen.workers + cpuAtOpen.bench + cpuAtOpen.redis + cpuAtOpen.postgres),
      ),
    };
    const figures = {
      scheduled: count,
      windowSeconds: windowMs / 1_000,
      workers: workerCount,
      hogs: hogCount,
      delivered: firstReceipt.size,
      duplicates,
      p50Ms: quantile(lateness, 0.5),
      p99Ms: quantile(lateness, 0.99),
      maxMs: lateness.at(-1) ?? Number.NaN,
      perSecond: Math.round(firstReceipt.size / ((lastReceipt - firstDueAt.getTime()) / 1000)),
      // The provider-side rate limit the workers kept (null: none of our own) and the busiest second at the provider.
      rateLimitPerSecond: ratePerSecond,
      peakSendsPerSecond: Math.max(...sendsPerSecond.values()),
      workerRssMb,
      redisMb,
      // CPU time of the worker processes per message (start-up included), for the sizing bench.
      workerCpuMsPerMessage: cpu ? Math.round((100 * (cpu.userMs + cpu.systemMs)) / count) / 100 : null,
      // CPU per message over the window, by process: the workers, the bench (the fake provider's HTTP
      // server and its bookkeeping), Redis, PostgreSQL's backends for this database; and their sum.
      ...windowCpu,
      // The machine's 1-minute load average at the end (the hogs included while they ran).
      loadAverage: Math.round((loadavg()[0] ?? Number.NaN) * 100) / 100,
    };
    const early = lateness.filter((ms) => ms < 0).length;
    // When in the window the late ones were due, in seconds from its start: says whether lateness was
    // a steady backlog or a stall.
    const lateDue = [...firstReceipt]
      .filter(([key, at]) => at - (dueByKey.get(key) ?? at) > 1_000)
      .map(([key]) => Math.round(((dueByKey.get(key) ?? 0) - firstDueAt.getTime()) / 1000))
      .sort((a, b) => a - b);
    if (lateDue.length > 0) {
      const bySecond = new Map<number, number>();
      for (const second of lateDue) bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
      console.log(
        `${lateDue.length} more than 1 s late, due at (s into the window: count) ${[...bySecond].map(([sec, n]) => `${sec}:${n}`).join(' ')}`,
      );
    }
    console.log(
      `redis: ${infoNumber(persistence, 'aof_rewrites')} AOF rewrites, ${infoNumber(persistence, 'aof_delayed_fsync')} delayed fsyncs, last fork ${infoNumber(stats, 'latest_fork_usec')} µs`,
    );
    if (cpu) {
      const perMessage = (cpu.userMs + cpu.systemMs) / count;
      console.log(
        `worker CPU (${workerCount} process${workerCount > 1 ? 'es' : ''}): ${Math.round(cpu.userMs)} ms user + ${Math.round(cpu.systemMs)} ms system (${perMessage.toFixed(2)} ms a message, start-up included); peak RSS ${rss.join(' / ')} MB`,
      );
    }
    console.log(
      `CPU over the window, per message: workers ${windowCpu.windowWorkerCpuMs} ms, bench and fake provider ${windowCpu.windowBenchCpuMs} ms, Redis ${windowCpu.windowRedisCpuMs} ms, PostgreSQL ${windowCpu.windowPostgresCpuMs} ms; ${windowCpu.windowTotalCpuMs} ms in all (${Math.round(((windowCpu.windowTotalCpuMs * count) / windowMs) * 100) / 100} cores at the offered rate)`,
    );
    console.log(
      `delivered ${figures.delivered}/${count}, ${duplicates} duplicates, ${early} early; lateness p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms; ${figures.perSecond}/s; worker peak RSS ${workerRssMb} MB, Redis peak ${redisMb} MB`,
    );
    if (figures.delivered !== count || duplicates > 0 || figures.p99Ms > 1_000) {
      console.log('target missed: delivered = scheduled, 0 duplicates, p99 ≤ 1 000 ms');
    }
    return figures;
  } finally {
    for (const hog of hogs) hog.kill('SIGKILL');
    for (const worker of workers) await stopProcess(worker, 'SIGTERM', 30_000);
    await smsQueue.close();
    producer.disconnect();
    await fake.close();
    await database.close();
    await server.drop();
    await redis.stop();
  }
}

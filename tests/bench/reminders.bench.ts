import { readFile } from 'node:fs/promises';
import { migrateDatabase, openDatabase } from '@affection/db';
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
import { Redis } from 'ioredis';

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

/**
 * `npm run bench -- reminders [--count N] [--workers W] [--concurrency C] [--profile-worker DIR]`: N
 * reminders (default 100 000) due within a window of 5 min × N / 100 000, stored as rows and enqueued,
 * then sent by the real worker — W processes (default 1), limiter off, C jobs in parallel (default
 * 200, so that a worker starved for a few seconds catches up) — to the fake Twilio API in this
 * process. `workerRssMb` is the largest worker's peak. Lateness is the fake's
 * receive time minus the reminder's due time.
 */
export default async function remindersBench(args: string[]): Promise<Record<string, unknown>> {
  const count = Number(argValue(args, '--count') ?? FULL_COUNT);
  const concurrency = Number(argValue(args, '--concurrency') ?? 200);
  const workerCount = Number(argValue(args, '--workers') ?? 1);
  if (!Number.isInteger(count) || count <= 0) throw new Error('--count must be a positive whole number');
  const windowMs = Math.max(1_000, Math.round((FULL_WINDOW_MS * count) / FULL_COUNT));

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
          sms: { limiterOff: true, concurrency, statusCallbackUrl: 'http://127.0.0.1:9/webhooks/twilio/status' },
          maxConnections: 20,
        },
        profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      ),
    );
  }
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

    await fake.waitForMessages(warmUpCount + count, { timeoutMs: leadMs + windowMs + 10 * 60_000 });
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
    const lateness = [...firstReceipt].map(([key, at]) => at - (dueByKey.get(key) ?? at)).sort((a, b) => a - b);
    const duplicates = [...acceptedPerKey.values()].reduce((sum, n) => sum + (n - 1), 0);
    const receipts = [...firstReceipt.values()];
    const lastReceipt = Math.max(...receipts);
    const figures = {
      scheduled: count,
      delivered: firstReceipt.size,
      duplicates,
      p50Ms: quantile(lateness, 0.5),
      p99Ms: quantile(lateness, 0.99),
      maxMs: lateness.at(-1) ?? Number.NaN,
      perSecond: Math.round(firstReceipt.size / ((lastReceipt - firstDueAt.getTime()) / 1000)),
      workerRssMb,
      redisMb,
      // CPU time of the worker processes per message (start-up included), for the sizing bench.
      workerCpuMsPerMessage: cpu ? Math.round((100 * (cpu.userMs + cpu.systemMs)) / count) / 100 : null,
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
      `delivered ${figures.delivered}/${count}, ${duplicates} duplicates, ${early} early; lateness p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms; ${figures.perSecond}/s; worker peak RSS ${workerRssMb} MB, Redis peak ${redisMb} MB`,
    );
    if (figures.delivered !== count || duplicates > 0 || figures.p99Ms > 1_000) {
      console.log('target missed: delivered = scheduled, 0 duplicates, p99 ≤ 1 000 ms');
    }
    return figures;
  } finally {
    for (const worker of workers) await stopProcess(worker, 'SIGTERM', 30_000);
    await smsQueue.close();
    producer.disconnect();
    await fake.close();
    await database.close();
    await server.drop();
    await redis.stop();
  }
}

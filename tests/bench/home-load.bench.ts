import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@affection/config';
import { createFamilyDevice, createId, createStaffSession, schema, seedDemoHome } from '@affection/db';
import { createBookingLifecycleProducer, enqueueCallEvent } from '@affection/jobs';
import { createLogger, createRuntime, getFreeTcpPort, openConfiguredDatabase, startRedis } from '@affection/runtime';
import { firstApprovedContacts } from '@affection/test-support';
import { and, eq } from 'drizzle-orm';
import { STAFF_COOKIE } from '../../apps/server/src/auth/session-settings.ts';
import { hashToken, newToken } from '../../apps/server/src/auth/tokens.ts';
import { hashPassword, startServer } from '../../apps/server/src/main.ts';
import { boardReadsOf } from '../../apps/server/src/routes/board/shared-board-reads.ts';
import { startWorker } from '../../apps/worker/src/main.ts';
import { EMBEDDED_NODE_FLAGS } from '../../scripts/node-memory-flags.ts';

/**
 * One Home's real load on the embedded default: the server and the workers in one process on PGlite in a folder on
 * disk, composed as `npm start` composes them (its Node flags, its database settings, its Redis change feed, the
 * demo Home it seeds: 60 children in about 45 households, 2 kiosks, 6 teachers), forked from this file; the people
 * of one Home at once in this process, each doing what its front end does:
 *
 * - 3 teachers on the console: each holds the board's stream open (`GET /api/board/stream`) and loads a page every
 *   4 s in turn — the board (`GET /api/board/today`), the week's calendar (`GET /api/bookings/calendar`), the
 *   children's list (`GET /api/children`) — and, as the console does, loads the board again at a random moment
 *   within 750 ms of a `changed` event of its stream (one load for the events heard until then);
 * - 10 parents on the family page: each holds the family stream open (`GET /api/family/stream`) and goes round its
 *   page one step every 3 s: `GET /api/family/me`, `GET /api/family/bookings`, `GET /api/family/contacts`,
 *   `GET /api/family/available-slots` (with `exceptBookingId` when it moves its call), then books a slot
 *   (`POST /api/family/bookings`) or, when it has a call, moves it (`POST /api/family/bookings/{id}/move`), and
 *   reads its calls again; each `changed` event of its stream loads `GET /api/family/me` again at once, as the
 *   page does;
 * - 2 kiosks: each polls `GET /api/kiosk/calls` every 15 s, as the kiosk's home screen does.
 *
 * That is about 6 requests a second and a booking or move every 2 seconds, several times a Home's busiest hour
 * (60 bookings in an hour). Requests go at their planned times whether or not the last one has answered (an open
 * loop), and latency counts from the planned time, so a slow answer is not hidden by the next request waiting.
 *
 * Options: `seconds=<n>` measured (default 60, after `warmup=<n>` s, default 10), `scale=<n>` multiplies the people
 * (default 1; `scale=4` is 12 teachers, 40 parents — one per household with an approved contact at most — and 8
 * kiosks, two sharing each kiosk's token), `flags=embedded|none` (default embedded: the
 * server runs with `npm start`'s Node flags, {@link EMBEDDED_NODE_FLAGS}; `none` without them), `profile=yes` (the
 * server's CPU is profiled over the measured run; the bench prints where it went), `spread=<ms>` (default 750: each
 * console reloads the board at a random moment within this of a change, as the console does), `reload=debounced`
 * (the console as it was before: the board 250 ms after the last of a run of changes plus a random share of
 * `spread`, which then defaults to 0 — all the consoles at once, as in the first figures of docs/deploy.md).
 * Prints p50/p99 per kind of request and overall, the server's CPU per request, its event-loop delay
 * (`monitorEventLoopDelay`, p50/p99/max over the measured run) and RSS (under tsx, so more than `npm start`'s
 * built bundle; `npm run bench -- memory` measures that) and how many board reads the server made for the board
 * requests (a Home's board requests that arrive while its board is being read share the next read); then each kind
 * of read alone, one request at a time, with its CPU per request. The target is p99 ≤ 100 ms overall.
 */
export default async function homeLoadBench(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: string) =>
    args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
  const seconds = Number(option('seconds', '60'));
  const scale = Number(option('scale', '1'));
  const flags = option('flags', 'embedded') === 'none' ? [] : [...EMBEDDED_NODE_FLAGS];
  const warmupSeconds = Number(option('warmup', '10'));
  const debounced = option('reload', 'spread') === 'debounced';
  const spreadMs = Number(option('spread', debounced ? '0' : '750'));

  const profileDir =
    option('profile', 'no') === 'yes' ? await mkdtemp(path.join(os.tmpdir(), 'home-load-prof-')) : null;
  const child = fork(fileURLToPath(import.meta.url), ['--serve', String(scale), profileDir ?? ''], {
    stdio: 'inherit',
    execArgv: [...process.execArgv, ...flags],
  });
  try {
    const ready = await new Promise<ServerReady>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ServerReady));
      child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
    });
    const loadAverage = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    console.log(
      `home-load: demo Home seeded in ${ready.seedMs} ms; ${ready.teachers.length} teachers, ${ready.parents.length} ` +
        `parents, ${ready.kiosks.length} kiosks; server flags: ${flags.join(' ') || '(none)'}; load average ` +
        `${loadAverage()} on ${os.cpus().length} cores`,
    );

    const load = new Load(ready.url, { debounced, spreadMs });
    const stop = load.start(ready);
    await pause(warmupSeconds * 1000);
    load.reset();
    await ask(child, 'reset');
    await pause(seconds * 1000);
    const server = (await ask(child, 'figures')) as ServerFigures;
    const measured = load.snapshot();
    await stop();
    const loadAfter = loadAverage();
    const solo = await soloCosts(child, ready);

    const all = Object.values(measured.latencies).flat();
    const requests = all.length;
    const kinds = Object.entries(measured.latencies).sort(([a], [b]) => a.localeCompare(b));
    for (const [kind, latencies] of kinds) {
      console.log(
        `home-load: ${kind.padEnd(22)} ${String(latencies.length).padStart(5)} requests, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${percentile(latencies, 100)} ms`,
      );
    }
    const p99 = percentile(all, 99);
    const boardRequests =
      (measured.latencies.board?.length ?? 0) + (measured.latencies['board (after change)']?.length ?? 0);
    const cpuPerRequest = Math.round((100 * server.cpuMs) / Math.max(1, requests)) / 100;
    console.log(
      `home-load: overall ${requests} requests in ${seconds} s (${(requests / seconds).toFixed(1)} req/s), p50 ${percentile(all, 50)} ms, p99 ${p99} ms: ${p99 <= 100 ? 'within' : 'MISSES'} the 100 ms target`,
    );
    console.log(
      `home-load: statuses ${JSON.stringify(measured.statuses)}; bookings ${measured.booked} made, ${measured.moved} moved, ${measured.refused} refused (${JSON.stringify(measured.reasons)}); ${measured.changedEvents} changed events`,
    );
    console.log(
      `home-load: server CPU ${server.cpuMs} ms in all, ${cpuPerRequest} ms per request (${Math.round((100 * server.cpuMs) / (seconds * 1000))} % of a core); ` +
        `event-loop delay p50 ${server.eventLoopDelay.p50} ms, p99 ${server.eventLoopDelay.p99} ms, max ${server.eventLoopDelay.max} ms; RSS ${server.rssMb} MB (under tsx, not npm start's figure); load average after ${loadAfter}`,
    );
    console.log(
      `home-load: board reads ${server.boardReads} for ${boardRequests} board requests (${Math.round((100 * server.boardReads) / Math.max(1, boardRequests)) / 100} a request)`,
    );
    console.log(
      `home-load: the event loop's thread waited ${server.runQueueWaitMs ?? '?'} ms in all for a core (${server.runQueueWaitMs === null ? '?' : Math.round((10 * server.runQueueWaitMs) / Math.max(1, requests)) / 10} ms per request) while the machine ran other work`,
    );
    for (const [kind, cost] of Object.entries(solo)) {
      console.log(
        `home-load: alone, one at a time: ${kind.padEnd(16)} server CPU ${cost.cpuMs} ms per request, p50 ${cost.p50} ms`,
      );
    }
    const profile = profileDir ? await summarizeProfile(profileDir) : undefined;
    return {
      scale,
      reload: debounced ? 'debounced' : 'spread',
      spreadMs,
      flags: flags.join(' ') || 'none',
      seconds,
      requests,
      rps: Math.round((10 * requests) / seconds) / 10,
      p50Ms: percentile(all, 50),
      p99Ms: p99,
      byKind: Object.fromEntries(
        kinds.map(([kind, latencies]) => [
          kind,
          { n: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
        ]),
      ),
      errors: measured.errors,
      serverCpuMsPerReq: cpuPerRequest,
      boardRequests,
      boardReads: server.boardReads,
      serverCpuShare: Math.round((100 * server.cpuMs) / (seconds * 1000)) / 100,
      eventLoopDelayP99Ms: server.eventLoopDelay.p99,
      eventLoopDelayMaxMs: server.eventLoopDelay.max,
      // Under tsx, with the sources compiled in memory: not npm start's figure (`npm run bench -- memory` measures that).
      tsxServerRssMb: server.rssMb,
      runQueueWaitMsPerReq:
        server.runQueueWaitMs === null ? null : Math.round((10 * server.runQueueWaitMs) / Math.max(1, requests)) / 10,
      loadAverage: loadAfter,
      soloCpuMsPerReq: Object.fromEntries(Object.entries(solo).map(([kind, cost]) => [kind, cost.cpuMs])),
      ...(profile ? { profileShares: profile } : {}),
    };
  } finally {
    await stopServer(child);
  }
}

/**
 * Each kind of read alone, one request after the other (20 of each, after 5 unmeasured): the server's CPU per
 * request of that kind, which is also how long it holds the one event loop (and PGlite's one connection).
 */
async function soloCosts(
  child: ChildProcess,
  ready: ServerReady,
): Promise<Record<string, { cpuMs: number; p50: number }>> {
  const teacher = { cookie: ready.teachers[0]!.cookie };
  const parent = { authorization: ready.parents[0]!.authorization };
  const kiosk = { authorization: ready.kiosks[0]!.authorization };
  const from = new Date();
  const week = `from=${from.toISOString()}&to=${new Date(from.getTime() + 7 * 86_400_000).toISOString()}`;
  const kinds: [string, string, Record<string, string>][] = [
    ['board', '/api/board/today', teacher],
    ['calendar', `/api/bookings/calendar?${week}`, teacher],
    ['children', '/api/children', teacher],
    ['family me', '/api/family/me', parent],
    ['family bookings', '/api/family/bookings', parent],
    ['family contacts', '/api/family/contacts', parent],
    ['family slots', '/api/family/available-slots', parent],
    ['kiosk calls', '/api/kiosk/calls', kiosk],
  ];
  const costs: Record<string, { cpuMs: number; p50: number }> = {};
  for (const [kind, pathname, headers] of kinds) {
    const once = async () => {
      const started = performance.now();
      const response = await fetch(`${ready.url}${pathname}`, { headers });
      await response.text();
      if (!response.ok) throw new Error(`${pathname} answered ${response.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 5; i += 1) await once();
    const before = (await ask(child, 'cpu')) as number;
    const latencies: number[] = [];
    for (let i = 0; i < 20; i += 1) latencies.push(await once());
    const after = (await ask(child, 'cpu')) as number;
    costs[kind] = { cpuMs: Math.round((10 * (after - before)) / 20) / 10, p50: percentile(latencies, 50) };
  }
  return costs;
}

/**
 * Where the server's CPU went in its profile of the measured run: each sample's time goes to PGlite when a frame of its
 * stack is PGlite's (to PostgreSQL when the sample is in its WebAssembly, else to PGlite's JavaScript and the file
 * system calls it makes), else to the sample's own frame's package. Prints the shares and the functions with the most self time; answers the shares.
 */
async function summarizeProfile(dir: string): Promise<Record<string, number>> {
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile in ${dir}`);
  const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const isPglite = (id: number) => {
    const { url } = byId.get(id)!.callFrame;
    return url.startsWith('wasm://') || url.includes('pglite');
  };
  const categoryOf = new Map<number, string>();
  const category = (id: number): string => {
    const known = categoryOf.get(id);
    if (known) return known;
    let found: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (isPglite(at)) {
        found = byId.get(id)!.callFrame.url.startsWith('wasm://')
          ? 'PGlite: PostgreSQL (WebAssembly)'
          : 'PGlite: its JavaScript and the file calls it makes';
        break;
      }
    }
    if (!found) {
      const { functionName, url } = byId.get(id)!.callFrame;
      const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
      found = functionName.startsWith('(')
        ? functionName
        : pkg
          ? pkg
          : url.startsWith('node:') || !url
            ? 'Node.js itself'
            : 'our code';
    }
    categoryOf.set(id, found);
    return found;
  };
  const byCategory = new Map<string, number>();
  const bySelf = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const kind = category(id);
    if (kind === '(idle)') return;
    total += us;
    byCategory.set(kind, (byCategory.get(kind) ?? 0) + us);
    const { functionName, url } = byId.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.startsWith('wasm://') ? '[wasm]' : path.basename(url)}`;
    bySelf.set(name, (bySelf.get(name) ?? 0) + us);
  });
  const shares: Record<string, number> = {};
  for (const [kind, us] of [...byCategory].sort((a, b) => b[1] - a[1])) {
    if (us < total / 200) continue;
    shares[kind] = Math.round((1000 * us) / total) / 10;
    console.log(`home-load: profile: ${String(shares[kind]).padStart(5)} % ${kind}`);
  }
  console.log(`home-load: the profile (for Chrome DevTools' Performance panel): ${path.join(dir, file)}`);
  for (const [name, us] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`home-load: profile self time: ${((100 * us) / total).toFixed(1).padStart(5)} % ${name}`);
  }
  return shares;
}

/** What the server process tells the load generator once it listens. */
interface ServerReady {
  url: string;
  seedMs: number;
  /** Staff session cookies, one per teacher. */
  teachers: { cookie: string }[];
  /** Family device authorizations, one per parent (an approved contact of its own household). */
  parents: { authorization: string }[];
  /** Kiosk device authorizations. */
  kiosks: { authorization: string }[];
  /** The Home's time zone, for the calendar's week. */
  timeZone: string;
}

/** What the server process measured since the last `reset`. */
interface ServerFigures {
  cpuMs: number;
  eventLoopDelay: { p50: number; p99: number; max: number };
  rssMb: number;
  /**
   * How long the event loop's thread was ready to run but waited for a core (Linux `/proc/thread-self/schedstat`;
   * null elsewhere): the part of the latency the other processes of the machine caused.
   */
  runQueueWaitMs: number | null;
  /** Board reads the server made over the measured run (its requests share them: see `boardReadsOf`). */
  boardReads: number;
}

/** Nanoseconds the calling thread has waited on a run queue so far (Linux), or null. */
function runQueueWaitNs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
  } catch {
    return null;
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function ask(child: ChildProcess, message: string): Promise<unknown> {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index]! * 10) / 10;
}

/** The people's requests, their latencies by kind and what came of the bookings. */
class Load {
  latencies: Record<string, number[]> = {};
  statuses: Record<string, number> = {};
  errors = 0;
  booked = 0;
  moved = 0;
  refused = 0;
  reasons: Record<string, number> = {};
  changedEvents = 0;
  private stopped = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly streams: AbortController[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  /**
   * @param reload how a console reloads its board after a change: at a random moment within `spreadMs` of the first
   *   change, one load for the changes heard until then (the console now); `debounced`: 250 ms after the last of a
   *   run of changes plus a random share of `spreadMs` (the console before, with `spreadMs` 0).
   */
  constructor(
    private readonly base: string,
    private readonly reload: { debounced: boolean; spreadMs: number },
  ) {}

  reset(): void {
    this.latencies = {};
    this.statuses = {};
    this.errors = 0;
    this.booked = 0;
    this.moved = 0;
    this.refused = 0;
    this.reasons = {};
    this.changedEvents = 0;
  }

  snapshot() {
    return {
      latencies: this.latencies,
      statuses: { ...this.statuses },
      errors: this.errors,
      booked: this.booked,
      moved: this.moved,
      refused: this.refused,
      reasons: { ...this.reasons },
      changedEvents: this.changedEvents,
    };
  }

  /** One request of `kind`, planned at `plannedAt` (performance.now()); its latency counts from then. */
  async request(
    kind: string,
    pathname: string,
    headers: Record<string, string>,
    init: { method?: string; body?: unknown } = {},
    plannedAt = performance.now(),
  ): Promise<{ status: number; body: unknown }> {
    const run = (async () => {
      try {
        const response = await fetch(`${this.base}${pathname}`, {
          method: init.method ?? 'GET',
          headers: init.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        });
        const text = await response.text();
        const ms = performance.now() - plannedAt;
        if (!this.stopped) {
          const list = this.latencies[kind] ?? [];
          list.push(ms);
          this.latencies[kind] = list;
          this.statuses[response.status] = (this.statuses[response.status] ?? 0) + 1;
        }
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {}
        return { status: response.status, body };
      } catch (error) {
        if (!this.stopped) this.errors += 1;
        return { status: 0, body: String(error) };
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** Calls `step` every `everyMs`, the first after `offsetMs`, on a fixed schedule (not after the last answer). */
  every(everyMs: number, offsetMs: number, step: (plannedAt: number) => void): void {
    let next = performance.now() + offsetMs;
    const tick = () => {
      if (this.stopped) return;
      const plannedAt = next;
      next += everyMs;
      step(plannedAt);
      const timer = setTimeout(tick, Math.max(0, next - performance.now()));
      this.timers.add(timer);
    };
    const timer = setTimeout(tick, offsetMs);
    this.timers.add(timer);
  }

  /**
   * Holds a server-sent event stream open and calls `onChanged` for each `changed` event: at once when `waitMs`
   * gives 0; else that long after the last of a run of events when `debounced`, or that long after the first event
   * with the events until then coalesced into the one call.
   */
  stream(
    pathname: string,
    headers: Record<string, string>,
    after: { waitMs: () => number; debounced: boolean },
    onChanged: () => void,
  ): void {
    const controller = new AbortController();
    this.streams.push(controller);
    let planned: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      try {
        const response = await fetch(`${this.base}${pathname}`, { headers, signal: controller.signal });
        if (!response.ok || !response.body) throw new Error(`${pathname} answered ${response.status}`);
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of response.body) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            if (!/^event: changed$/m.test(event)) continue;
            this.changedEvents += 1;
            const wait = after.waitMs();
            if (wait === 0) {
              onChanged();
              continue;
            }
            if (after.debounced) clearTimeout(planned);
            else if (planned !== undefined) continue;
            planned = setTimeout(() => {
              planned = undefined;
              if (!this.stopped) onChanged();
            }, wait);
          }
        }
      } catch (error) {
        if (!this.stopped) {
          console.error(`home-load: stream ${pathname} failed: ${String(error)}`);
          this.errors += 1;
        }
      }
    })();
  }

  start(ready: ServerReady): () => Promise<void> {
    const week = () => {
      const from = new Date(Date.now() - ((new Date().getUTCDay() + 6) % 7) * 86_400_000);
      from.setUTCHours(0, 0, 0, 0);
      return `from=${from.toISOString()}&to=${new Date(from.getTime() + 7 * 86_400_000).toISOString()}`;
    };
    ready.teachers.forEach((teacher, i) => {
      const headers = { cookie: teacher.cookie };
      this.stream(
        '/api/board/stream',
        headers,
        {
          waitMs: () => (this.reload.debounced ? 250 : 0) + Math.random() * this.reload.spreadMs,
          debounced: this.reload.debounced,
        },
        () => void this.request('board (after change)', '/api/board/today', headers),
      );
      const pages = [
        ['board', '/api/board/today'],
        ['calendar', () => `/api/bookings/calendar?${week()}`],
        ['children', '/api/children'],
      ] as const;
      let page = i % pages.length;
      this.every(4000, (4000 * i) / ready.teachers.length, (plannedAt) => {
        const [kind, pathname] = pages[page++ % pages.length]!;
        void this.request(kind, typeof pathname === 'string' ? pathname : pathname(), headers, {}, plannedAt);
      });
    });
    ready.parents.forEach((parent, i) => {
      const headers = { authorization: parent.authorization };
      this.stream(
        '/api/family/stream',
        headers,
        { waitMs: () => 0, debounced: false },
        () => void this.request('family me (after change)', '/api/family/me', headers),
      );
      let step = 0;
      let mine: { id: string; version: number; start: string } | null = null;
      let slots: { start: string }[] = [];
      this.every(3000, (3000 * i) / ready.parents.length, (plannedAt) => {
        switch (step++ % 6) {
          case 0:
            void this.request('family me', '/api/family/me', headers, {}, plannedAt);
            break;
          case 1:
          case 5:
            void this.request('family bookings', '/api/family/bookings', headers, {}, plannedAt).then(({ body }) => {
              const items = (body as { items?: { id: string; version: number; start: string; status: string }[] })
                ?.items;
              mine =
                items?.find((b) => ['proposed', 'confirmed'].includes(b.status) && Date.parse(b.start) > Date.now()) ??
                null;
            });
            break;
          case 2:
            void this.request('family contacts', '/api/family/contacts', headers, {}, plannedAt);
            break;
          case 3: {
            const query = mine ? `?exceptBookingId=${mine.id}` : '';
            void this.request('family slots', `/api/family/available-slots${query}`, headers, {}, plannedAt).then(
              ({ body }) => {
                slots = (body as { slots?: { start: string }[] })?.slots ?? [];
              },
            );
            break;
          }
          case 4: {
            const candidates = slots.filter((s) => s.start !== mine?.start);
            const slot = candidates[Math.floor(Math.random() * candidates.length)];
            if (!slot) break;
            const moving = mine;
            const done = ({ status, body }: { status: number; body: unknown }) => {
              if (status === 200 || status === 201) {
                if (moving) this.moved += 1;
                else this.booked += 1;
                return;
              }
              this.refused += 1;
              const error = (body as { error?: { code?: string; details?: { reason?: string } } })?.error;
              const reason = `${status} ${error?.details?.reason ?? error?.code ?? ''}`.trim();
              this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
            };
            if (moving) {
              void this.request(
                'family move',
                `/api/family/bookings/${moving.id}/move`,
                headers,
                { method: 'POST', body: { start: slot.start, version: moving.version } },
                plannedAt,
              ).then(done);
            } else {
              void this.request(
                'family book',
                '/api/family/bookings',
                headers,
                { method: 'POST', body: { start: slot.start } },
                plannedAt,
              ).then(done);
            }
            break;
          }
        }
      });
    });
    ready.kiosks.forEach((kiosk, i) => {
      const headers = { authorization: kiosk.authorization };
      this.every(15_000, (15_000 * i) / ready.kiosks.length, (plannedAt) => {
        void this.request('kiosk calls', '/api/kiosk/calls', headers, {}, plannedAt);
      });
    });
    return async () => {
      this.stopped = true;
      for (const timer of this.timers) clearTimeout(timer);
      for (const controller of this.streams) controller.abort();
      await Promise.allSettled([...this.inFlight]);
    };
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

/**
 * The server process: what `npm start` runs (the demo Home seeded into an empty embedded database in a folder, the
 * workers and the server in one process on it, a Redis of their own), with sessions and device tokens written for the
 * bench's people. Logs are formatted as `npm start` formats them and dropped.
 */
async function serveForBench(scale: number, profileDir: string | null): Promise<void> {
  const seedStarted = performance.now();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-home-load-'));
  const redisServer = await startRedis();
  const config = loadConfig(
    {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      REDIS_URL: redisServer.url,
      PORT: String(await getFreeTcpPort()),
      HOST: '127.0.0.1',
      DATABASE_URL: '',
      LIVEKIT_URL: '',
      LOG_LEVEL: 'info',
    },
    process.cwd(),
  );
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ service: 'affection', level: config.logLevel, destination: sink });
  const database = await openConfiguredDatabase(config);
  const runtime = await createRuntime(config, { service: 'affection', logger, database, logDestination: sink });
  const now = runtime.now();
  const seeded = await seedDemoHome(database.db, { hashPassword, now });
  const worker = await startWorker(runtime);
  const lifecycle = createBookingLifecycleProducer({
    queues: worker.workers,
    db: database.db,
    now: runtime.now,
    logger,
    smsPolicies: runtime.smsPolicies,
  });
  const { callEventsQueue } = worker.workers;
  // The pages' files are not asked for (a browser keeps them): the server serves the API only.
  const server = await startServer(
    runtime,
    {
      onBookingChanged: lifecycle.onBookingChanged,
      onLivekitEvent: (_event, stored) => enqueueCallEvent(callEventsQueue, stored.webhookEventId),
    },
    { serveWeb: false },
  );

  const db = database.db;
  const later = (days: number) => new Date(now.getTime() + days * 86_400_000);
  const staff = await db
    .select({ id: schema.staff.id })
    .from(schema.staff)
    .where(and(eq(schema.staff.homeId, seeded.homeId), eq(schema.staff.role, 'teacher')))
    .orderBy(schema.staff.id);
  const teachers: ServerReady['teachers'] = [];
  for (let i = 0; i < 3 * scale; i += 1) {
    const token = newToken();
    await createStaffSession(db, {
      staffId: staff[i % staff.length]!.id,
      tokenHash: hashToken(token),
      csrfToken: newToken(),
      now,
      expiresAt: later(1),
    });
    teachers.push({ cookie: `${STAFF_COOKIE}=${token}` });
  }
  const chosen = await firstApprovedContacts(db, seeded.homeId);
  const parents: ServerReady['parents'] = [];
  for (const contact of chosen.slice(0, 10 * scale)) {
    const token = newToken();
    await createFamilyDevice(db, {
      id: createId('familyDevice'),
      contactId: contact.contactId,
      tokenHash: hashToken(token),
      via: 'enrolment',
      now,
      expiresAt: later(365),
    });
    parents.push({ authorization: `Family ${token}` });
  }
  const kiosks: ServerReady['kiosks'] = [];
  for (let i = 0; i < 2 * scale; i += 1) {
    const token = newToken();
    const id = seeded.kioskIds[i % seeded.kioskIds.length]!;
    if (i < seeded.kioskIds.length) {
      await db
        .update(schema.kiosks)
        .set({ revokedAt: null, enrolledAt: now, deviceTokenHash: hashToken(token) })
        .where(eq(schema.kiosks.id, id));
      kiosks.push({ authorization: `Kiosk ${token}` });
    } else {
      kiosks.push(kiosks[i % seeded.kioskIds.length]!);
    }
  }
  const [home] = await db
    .select({ timeZone: schema.homes.timeZone })
    .from(schema.homes)
    .where(eq(schema.homes.id, seeded.homeId));

  // The measured run only is profiled (`profile=yes`), through the inspector: no start-up, no seeding.
  const profiler = profileDir ? new Session() : null;
  profiler?.connect();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpuAtReset = process.cpuUsage();
  let waitAtReset = runQueueWaitNs();
  const boardReads = boardReadsOf(server.services);
  let boardReadsAtReset = boardReads.started;
  process.on('message', async (message) => {
    if (message === 'reset') {
      if (profiler) {
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
      }
      delay.reset();
      cpuAtReset = process.cpuUsage();
      waitAtReset = runQueueWaitNs();
      boardReadsAtReset = boardReads.started;
      process.send!('reset');
      return;
    }
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!((user + system) / 1000);
      return;
    }
    if (message === 'figures') {
      const cpu = process.cpuUsage(cpuAtReset);
      if (profiler && profileDir) {
        const { profile } = await profiler.post('Profiler.stop');
        await writeFile(path.join(profileDir, 'server.cpuprofile'), JSON.stringify(profile));
      }
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      const figures: ServerFigures = {
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        eventLoopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
        rssMb: Math.round(process.memoryUsage.rss() / 1e5) / 10,
        runQueueWaitMs: waitAtReset === null ? null : Math.round(((runQueueWaitNs() ?? 0) - waitAtReset) / 1e6),
        boardReads: boardReads.started - boardReadsAtReset,
      };
      process.send!(figures);
      return;
    }
    await server.close();
    for (const step of [...server.shutdownSteps(), ...worker.shutdownSteps()]) await step.run();
    await runtime.closeConnections();
    await database.close();
    await redisServer.stop();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
  const ready: ServerReady = {
    url: server.url,
    seedMs: Math.round(performance.now() - seedStarted),
    teachers,
    parents,
    kiosks,
    timeZone: home?.timeZone ?? 'Asia/Shanghai',
  };
  process.send!(ready);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--serve') {
  await serveForBench(Number(process.argv[3] ?? '1'), process.argv[4] || null);
}

import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createContact, updateContact } from '@affection/db';
import { createApiWorld } from '@affection/test-support';
import { serve } from '@hono/node-server';
import { settleFamilyCodeDeliveries } from '../../apps/server/src/routes/family/deliver-family-code.ts';

/**
 * `POST /api/family/code` over HTTP on loopback, for numbers an approved contact has and numbers nobody has,
 * requests alternating between the two: the answer must not tell them apart by its time. The server runs in
 * its own process (forked from this file), as an outside caller would see it. Each request comes from its own
 * address (`X-Forwarded-For` behind a trusted proxy) and each number is asked at most 5 times, so no limit is
 * reached. Options: `rounds=<n>` requests of each kind (default 50), `db=pglite|postgres` (default pglite).
 */
export default async function familyCodeBench(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: string) =>
    args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
  const rounds = Number(option('rounds', '50'));
  const kind = option('db', 'pglite') === 'postgres' ? 'postgres' : 'pglite';
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind, String(Math.ceil(rounds / 5))], {
    stdio: 'inherit',
  });
  try {
    const ready = await new Promise<ServerReady>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ServerReady));
      child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
    });
    let serial = 0;
    const timed = async (phone: string): Promise<number> => {
      serial += 1;
      const started = performance.now();
      const res = await fetch(ready.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': `10.${serial >> 16}.${(serial >> 8) & 255}.${serial & 255}`,
        },
        body: JSON.stringify({ phone }),
      });
      await res.arrayBuffer();
      const elapsed = performance.now() - started;
      if (res.status !== 202) throw new Error(`expected 202, got ${res.status}`);
      return elapsed;
    };
    // Warm-up, not counted.
    for (let i = 0; i < 3; i += 1) await timed(`+861340000000${i}`);
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    const numbers = ready.known.length;
    for (let i = 0; i < rounds; i += 1) {
      const k = ready.known[i % numbers]!;
      const u = ready.unknown[i % numbers]!;
      // Alternate which goes first, so that a code still being sent slows both alike.
      if (i % 2 === 0) {
        knownMs.push(await timed(k));
        unknownMs.push(await timed(u));
      } else {
        unknownMs.push(await timed(u));
        knownMs.push(await timed(k));
      }
    }
    const figures = {
      db: kind,
      rounds,
      knownMedianMs: round(quantile(knownMs, 0.5)),
      unknownMedianMs: round(quantile(unknownMs, 0.5)),
      knownP90Ms: round(quantile(knownMs, 0.9)),
      unknownP90Ms: round(quantile(unknownMs, 0.9)),
    };
    console.log(`known ${figures.knownMedianMs} ms, unknown ${figures.unknownMedianMs} ms (median of ${rounds} each)`);
    return figures;
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** What the server process tells the bench once it listens. */
interface ServerReady {
  url: string;
  known: string[];
  unknown: string[];
}

async function serveForBench(kind: 'pglite' | 'postgres', numbers: number): Promise<void> {
  const world = await createApiWorld(kind);
  world.services.settings.trustProxy = true;
  const known: string[] = [];
  const unknown: string[] = [];
  const now = world.services.now();
  for (let i = 0; i < numbers; i += 1) {
    const phone = `+8613600${String(200_000 + i).padStart(6, '0')}`;
    const contact = await createContact(world.database.db, world.a.home.id, {
      householdId: world.a.household.id,
      name: '王建国',
      relation: 'father',
      phone,
    });
    await updateContact(
      world.database.db,
      world.a.home.id,
      contact.id,
      { approvedBy: world.a.admin.id, approvedAt: now },
      now,
    );
    known.push(phone);
    unknown.push(`+8613500${String(200_000 + i).padStart(6, '0')}`);
  }
  const server = serve({ fetch: world.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  process.on('message', async () => {
    await settleFamilyCodeDeliveries(world.services);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    await world.close();
    process.exit(0);
  });
  const ready: ServerReady = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/family/code`,
    known,
    unknown,
  };
  process.send!(ready);
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--serve') {
  await serveForBench(process.argv[3] === 'postgres' ? 'postgres' : 'pglite', Number(process.argv[4] ?? '10'));
}

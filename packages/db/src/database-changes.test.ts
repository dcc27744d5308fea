import net from 'node:net';
import { createTestPostgres, type TestPostgres } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { createDatabaseChangeFeed, type DatabaseChangeEvent, parseDatabaseChange } from './database-changes.ts';
import { migrateDatabase } from './migrate-database.ts';

/**
 * A TCP proxy to PostgreSQL that passes everything but the server's NotificationResponse messages ('A'), as a
 * pooler in transaction mode behaves for LISTEN: the statement is accepted, nothing ever arrives.
 */
async function startNotificationEater(target: { host: string; port: number }) {
  const sockets: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.push(client, upstream);
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const kept: Buffer[] = [];
      while (pending.length >= 5) {
        const length = pending.readUInt32BE(1) + 1;
        if (pending.length < length) break;
        if (pending[0] !== 0x41) kept.push(pending.subarray(0, length));
        pending = pending.subarray(length);
      }
      if (kept.length > 0) client.write(Buffer.concat(kept));
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('the database change feed (PostgreSQL)', () => {
  let postgres: TestPostgres;
  let database: Database;

  beforeAll(async () => {
    postgres = await createTestPostgres();
    database = await openDatabase({ kind: 'postgres', url: postgres.url });
    await migrateDatabase(database);
  });
  afterAll(async () => {
    await database?.close();
    await postgres?.drop();
  });

  it('hands each committed change to its listeners once sync says so, and nothing of a rolled-back one', async () => {
    const changes = await createDatabaseChangeFeed(database);
    const heard: DatabaseChangeEvent[] = [];
    changes.subscribe((event) => heard.push(event));
    try {
      expect(await changes.sync()).toBe(true);
      heard.length = 0;
      await database.pool!.query(
        "insert into homes (id, name, time_zone) values ('hom_feed1', '一号之家', 'Asia/Shanghai')",
      );
      const client = await database.pool!.connect();
      try {
        await client.query('begin');
        await client.query("update homes set name = '改名' where id = 'hom_feed1'");
        await client.query('rollback');
      } finally {
        client.release();
      }
      expect(await changes.sync()).toBe(true);
      expect(heard).toEqual([{ kind: 'calendar', homeId: 'hom_feed1' }]);
    } finally {
      await changes.close();
    }
    expect(await changes.sync()).toBe(false);
  });

  it('never trusts a connection on which notifications do not arrive (a pooler in transaction mode)', async () => {
    const url = new URL(postgres.url);
    const eater = await startNotificationEater({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${eater.port}`;
    const throughEater = await openDatabase({ kind: 'postgres', url: url.toString() });
    const states: string[] = [];
    const changes = await createDatabaseChangeFeed(throughEater, {
      syncTimeoutMs: 200,
      retryMs: { first: 50, max: 100 },
      onState: (state, error) => states.push(`${state}${error ? `: ${error.message}` : ''}`),
    });
    try {
      // Plain statements pass the proxy; only the notifications are lost, and the feed says it cannot vouch.
      await throughEater.ping();
      expect(await changes.sync()).toBe(false);
      expect(states.filter((s) => s.startsWith('listening'))).toEqual([]);
      // Said once, with the reason, not at every attempt.
      expect(states).toEqual([
        'lost: a notification sent on another connection did not arrive: is DATABASE_URL a pooler in transaction mode?',
      ]);
    } finally {
      await changes.close();
      await throughEater.close();
      await eater.close();
    }
  });

  it('reads only the payloads the triggers send', () => {
    expect(parseDatabaseChange('b:hom_1:bkg_2')).toEqual({ kind: 'booking', homeId: 'hom_1', bookingId: 'bkg_2' });
    expect(parseDatabaseChange('h:hom_1:hsh_3')).toEqual({ kind: 'household', homeId: 'hom_1', householdId: 'hsh_3' });
    expect(parseDatabaseChange('s:stf_4')).toEqual({ kind: 'staff', staffId: 'stf_4' });
    expect(parseDatabaseChange('probe:1234')).toBeNull();
    expect(parseDatabaseChange('b:hom_1')).toBeNull();
    expect(parseDatabaseChange('')).toBeNull();
  });
});

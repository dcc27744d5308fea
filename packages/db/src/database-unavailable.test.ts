import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { isDatabaseUnavailable } from './database-errors.ts';

/** A TCP server that accepts connections and never answers, as a database host behind a broken network looks. */
async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a PostgreSQL server that is away', () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('fails a query within the connect timeout when the server never answers, as unavailable', async () => {
    const hole = await startBlackHole();
    try {
      database = await openDatabase({
        kind: 'postgres',
        url: `postgres://postgres@127.0.0.1:${hole.port}/affection`,
        connectTimeoutMs: 300,
      });
      const started = performance.now();
      const error = await database.ping().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await hole.close();
    }
  });

  it('fails a query at once when nothing listens, as unavailable; a wrong query is not', async () => {
    database = await openDatabase({ kind: 'postgres', url: `postgres://postgres@127.0.0.1:${await closedPort()}/x` });
    const error = await database.ping().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
    const wrong = Object.assign(new Error('relation "nope" does not exist'), { code: '42P01' });
    expect(isDatabaseUnavailable(new Error('Failed query: select * from nope', { cause: wrong }))).toBe(false);
  });
});

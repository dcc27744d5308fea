import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Database } from './database.ts';

/** The channel migration 0014's triggers announce changes on. */
export const CHANGES_CHANNEL = 'affection_changes';

/** The `application_name` of the listening connection (as `pg_stat_activity` shows it). */
export const LISTENER_NAME = 'affection-changes';

/**
 * A committed change to what the read models hold, as the database's triggers announce it (migration 0014): a
 * booking (or its children or contacts), a household (or its children, contacts or their windows), a Home's calendar
 * (settings, opening hours, exceptions, kiosks), a staff account or one of its sessions.
 */
export type DatabaseChange =
  | { kind: 'booking'; homeId: string; bookingId: string }
  | { kind: 'household'; homeId: string; householdId: string }
  | { kind: 'calendar'; homeId: string }
  | { kind: 'staff'; staffId: string };

/**
 * What a listener hears: a change, or `reset` — the feed (re)started listening and changes may have been missed
 * meanwhile, so everything held must be forgotten.
 */
export type DatabaseChangeEvent = DatabaseChange | { kind: 'reset' };

/**
 * A notification's payload as a change; null for anything else.
 *
 * @example parseDatabaseChange('b:hom_1:bkg_2') // { kind: 'booking', homeId: 'hom_1', bookingId: 'bkg_2' }
 */
export function parseDatabaseChange(payload: string): DatabaseChange | null {
  const [kind, first, second] = payload.split(':');
  if (!first) return null;
  if (kind === 'b' && second) return { kind: 'booking', homeId: first, bookingId: second };
  if (kind === 'h' && second) return { kind: 'household', homeId: first, householdId: second };
  if (kind === 'c') return { kind: 'calendar', homeId: first };
  if (kind === 's') return { kind: 'staff', staffId: first };
  return null;
}

/** One process's feed of the database's change notifications. */
export interface DatabaseChangeFeed {
  /**
   * Resolves true once every change committed before `since` (a `performance.now()` time; default: the call) has been
   * handed to the subscribers: on a PostgreSQL server, once a `select 1` sent on the listening connection at or after
   * `since` is answered (PostgreSQL delivers a listening session's notifications before it answers its next
   * statement); calls share one such statement where they can (a request's steps pass its start). False when the feed
   * cannot vouch for it (not listening, or no answer within `syncTimeoutMs`): read the database instead.
   */
  sync(since?: number): Promise<boolean>;
  /** Adds a listener of every change (all Homes); returns the removal. */
  subscribe(listener: (event: DatabaseChangeEvent) => void): () => void;
  /** Stops listening (closes the connection). */
  close(): Promise<void>;
}

/** Options of {@link createDatabaseChangeFeed}. */
export interface DatabaseChangeFeedOptions {
  /** How long a {@link DatabaseChangeFeed.sync} waits for its answer before giving up (false). Default 1 000 ms. */
  syncTimeoutMs?: number;
  /** How often an idle feed checks its connection with a sync (PostgreSQL server only). Default 2 000 ms. */
  heartbeatMs?: number;
  /** Waits before connecting again after losing the connection: 250 ms, doubling to 5 s. */
  retryMs?: { first: number; max: number };
  /** Told when the connection is lost or back (never throws). */
  onState?: (state: 'listening' | 'lost', error?: Error) => void;
}

/**
 * Listens to {@link CHANGES_CHANNEL} on the database and hands each change to the subscribers. On a PostgreSQL server
 * one connection outside the pool stays in `LISTEN`, and {@link DatabaseChangeFeed.sync} proves on it that nothing
 * committed earlier is still on its way. A lost connection (or one that stops answering) makes every sync false until
 * the feed listens again; then a `reset` tells the subscribers to forget what they hold. On PGlite the notifications
 * are delivered in the process as the committing statement returns, and sync is true at once.
 *
 * @example
 * const changes = await createDatabaseChangeFeed(database);
 * changes.subscribe((event) => { if (event.kind === 'reset') cache.clear(); });
 * if (await changes.sync()) serveFromMemory();
 */
export async function createDatabaseChangeFeed(
  database: Database,
  options: DatabaseChangeFeedOptions = {},
): Promise<DatabaseChangeFeed> {
  const listeners = new Set<(event: DatabaseChangeEvent) => void>();
  const emit = (event: DatabaseChangeEvent) => {
    for (const listener of [...listeners]) listener(event);
  };
  const onPayload = (payload: string | undefined) => {
    const change = parseDatabaseChange(payload ?? '');
    if (change) emit(change);
  };
  const subscribe = (listener: (event: DatabaseChangeEvent) => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  if (database.pglite) {
    const unlisten = await database.pglite.listen(CHANGES_CHANNEL, onPayload);
    return { sync: async () => true, subscribe, close: () => unlisten() };
  }
  const newClient = database.newClient;
  if (!newClient) throw new Error('this database cannot open a listening connection');
  return listenOnServer(newClient, onPayload, () => emit({ kind: 'reset' }), subscribe, options);
}

interface Barrier {
  promise: Promise<boolean>;
  resolve: (proven: boolean) => void;
}

function newBarrier(): Barrier {
  let resolve!: (proven: boolean) => void;
  const promise = new Promise<boolean>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function listenOnServer(
  newClient: (applicationName: string) => pg.Client,
  onPayload: (payload: string | undefined) => void,
  reset: () => void,
  subscribe: DatabaseChangeFeed['subscribe'],
  options: DatabaseChangeFeedOptions,
): DatabaseChangeFeed {
  const syncTimeoutMs = options.syncTimeoutMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const retry = options.retryMs ?? { first: 250, max: 5_000 };
  let closed = false;
  let current: pg.Client | null = null;
  /** The barrier waiting to be sent (callers since the last one left), and whether one is on the wire. */
  let waiting: Barrier | null = null;
  let onTheWire = false;
  /** The barrier on the wire and when it was sent. */
  let sent: { barrier: Barrier; at: number } | null = null;
  /** When the last answered barrier was sent: everything committed before it has been heard. */
  let provenAt = Number.NEGATIVE_INFINITY;
  let retryDelay = retry.first;
  let saidDown = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const lose = (client: pg.Client, error?: Error) => {
    if (current !== client && current !== null) return;
    const wasListening = current === client;
    current = null;
    provenAt = Number.NEGATIVE_INFINITY;
    client.removeAllListeners('notification');
    client.end().catch(() => {});
    waiting?.resolve(false);
    waiting = null;
    // Said once per outage: when listening stops, or when the first attempt fails.
    if (wasListening || !saidDown) options.onState?.('lost', error);
    saidDown = true;
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, retryDelay);
    reconnectTimer.unref();
    retryDelay = Math.min(retry.max, retryDelay * 2);
  };

  /** Sends the waiting barrier: its callers are answered true when `select 1` comes back. */
  const send = () => {
    const client = current;
    const barrier = waiting;
    if (!client || !barrier || onTheWire) return;
    waiting = null;
    onTheWire = true;
    const sentAt = performance.now();
    sent = { barrier, at: sentAt };
    const timer = setTimeout(() => {
      barrier.resolve(false);
      lose(client, new Error(`no answer on the listening connection within ${syncTimeoutMs} ms`));
    }, syncTimeoutMs);
    client.query('select 1').then(
      () => {
        clearTimeout(timer);
        onTheWire = false;
        if (current === client) provenAt = Math.max(provenAt, sentAt);
        barrier.resolve(current === client);
        send();
      },
      (error: Error) => {
        clearTimeout(timer);
        onTheWire = false;
        barrier.resolve(false);
        lose(client, error);
      },
    );
  };

  const sync = (since = performance.now()): Promise<boolean> => {
    if (!current) return Promise.resolve(false);
    if (provenAt >= since) return Promise.resolve(true);
    if (onTheWire && sent && sent.at >= since) return sent.barrier.promise;
    waiting ??= newBarrier();
    const { promise } = waiting;
    send();
    return promise;
  };

  /**
   * A notification sent from another connection must reach this one: behind a pooler in transaction mode LISTEN is
   * accepted but nothing ever arrives, and a feed that trusted it would serve stale slots for good.
   */
  const proveDelivery = async (client: pg.Client) => {
    const probe = `probe:${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      client.on('notification', (message) => {
        if (message.payload === probe) resolve(true);
      });
      timer = setTimeout(() => resolve(false), 2 * syncTimeoutMs);
    });
    const other = newClient(`${LISTENER_NAME}-probe`);
    try {
      await other.connect();
      await other.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, probe]);
    } finally {
      await other.end().catch(() => {});
    }
    const arrived = await heard;
    clearTimeout(timer);
    if (!arrived) {
      throw new Error(
        'a notification sent on another connection did not arrive: is DATABASE_URL a pooler in transaction mode?',
      );
    }
  };

  const connect = async () => {
    const client = newClient(LISTENER_NAME);
    client.on('error', (error) => lose(client, error));
    client.on('end', () => lose(client));
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) onPayload(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      await proveDelivery(client);
    } catch (error) {
      lose(client, error as Error);
      return;
    }
    if (closed) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
    onTheWire = false;
    retryDelay = retry.first;
    saidDown = false;
    // Everything committed before LISTEN answered may have been missed: the subscribers start afresh.
    reset();
    options.onState?.('listening');
  };

  // An idle feed still notices a connection that died without saying so.
  const heartbeat = setInterval(() => void sync(), heartbeatMs);
  heartbeat.unref();
  const started = connect();

  return {
    async sync(since) {
      const at = since ?? performance.now();
      await started;
      return sync(at);
    },
    subscribe,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(reconnectTimer);
      const client = current;
      current = null;
      provenAt = Number.NEGATIVE_INFINITY;
      waiting?.resolve(false);
      waiting = null;
      await client?.end().catch(() => {});
    },
  };
}

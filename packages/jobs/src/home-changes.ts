import type { Redis } from 'ioredis';

/** What changed in a Home: a booking (any change the booking layer reports) or a call's log (a room event folded). */
export interface HomeChange {
  kind: 'booking' | 'call';
  bookingId: string;
}

/** A listener of one Home's changes. */
export type HomeChangeListener = (change: HomeChange) => void;

/**
 * The Redis pub/sub channel of a Home's changes: one per Home, so a server process receives only the Homes its
 * open boards watch.
 *
 * @example homeChangesChannel('hom_1') === 'home-changes:hom_1'
 */
export function homeChangesChannel(homeId: string): string {
  return `home-changes:${homeId}`;
}

/**
 * Publishes a change of a Home for every server process's open boards. Never throws: the change is already
 * stored, and a board that misses it refetches on its next poll.
 */
export async function publishHomeChange(
  publisher: Pick<Redis, 'publish'>,
  homeId: string,
  change: HomeChange,
): Promise<void> {
  try {
    await publisher.publish(homeChangesChannel(homeId), JSON.stringify(change));
  } catch {
    // Redis away: the boards fall back to polling.
  }
}

/** One process's feed of Home changes: publish on a shared connection, listen over one subscriber connection. */
export interface HomeChangeFeed {
  /** {@link publishHomeChange} on the feed's publisher. */
  publish(homeId: string, change: HomeChange): Promise<void>;
  /** Listens to a Home's changes (subscribing its channel on the first listener); returns the unsubscribe. */
  subscribe(homeId: string, listener: HomeChangeListener): () => void;
  /** Listeners currently registered (all Homes). */
  listenerCount(): number;
}

/** What {@link createHomeChangeFeed} needs. */
export interface CreateHomeChangeFeedOptions {
  /** A connection in subscriber mode from now on: nothing else may be sent on it. */
  subscriber: Redis;
  /** A normal connection to publish on. */
  publisher: Pick<Redis, 'publish'>;
}

function parseChange(text: string): HomeChange | null {
  try {
    const value = JSON.parse(text) as Partial<HomeChange>;
    if ((value.kind === 'booking' || value.kind === 'call') && typeof value.bookingId === 'string') {
      return { kind: value.kind, bookingId: value.bookingId };
    }
  } catch {
    // not ours
  }
  return null;
}

/**
 * The feed of Home changes of one process (made once by the composition root): one subscriber connection, a
 * channel per Home subscribed while someone listens to it, listeners called in order. A channel subscription that
 * fails is retried by ioredis on reconnect (it re-subscribes its channels).
 *
 * @example
 * const feed = createHomeChangeFeed({ subscriber: runtime.redis('app', 'home-changes'), publisher: redis });
 * const stop = feed.subscribe(homeId, (change) => send(change));
 */
export function createHomeChangeFeed(options: CreateHomeChangeFeedOptions): HomeChangeFeed {
  const { subscriber, publisher } = options;
  const listeners = new Map<string, Set<HomeChangeListener>>();
  subscriber.on('message', (channel: string, text: string) => {
    const homeListeners = listeners.get(channel);
    if (!homeListeners) return;
    const change = parseChange(text);
    if (!change) return;
    for (const listener of [...homeListeners]) listener(change);
  });
  return {
    publish: (homeId, change) => publishHomeChange(publisher, homeId, change),
    subscribe(homeId, listener) {
      const channel = homeChangesChannel(homeId);
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        subscriber.subscribe(channel).catch(() => {
          // Redis away: ioredis subscribes again when it reconnects; the board polls meanwhile.
        });
      }
      set.add(listener);
      return () => {
        const current = listeners.get(channel);
        if (!current?.delete(listener) || current.size > 0) return;
        listeners.delete(channel);
        subscriber.unsubscribe(channel).catch(() => {});
      };
    },
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
}

import { type DatabaseChangeFeed, type Db, findStaffSession, type StaffSessionRecord } from '@affection/db';

/** How long a session read from the database is trusted (changes to it are heard at once; this bounds memory). */
const TRUSTED_MS = 10_000;
/** Sessions held at most; the oldest go first. */
const MAX_SESSIONS = 10_000;

/** Staff sessions by token hash, read once every few seconds instead of on every request. */
export interface StaffSessionCache {
  /**
   * {@link findStaffSession}, from memory when the session was read in the last seconds and nothing about it (its
   * revocation, expiry, Home, or its account's role, Home or active flag) changed since: the database's change feed
   * proves, before each answer, that every change committed before `freshAsOf` (a `performance.now()` time, the
   * request's start) has been heard. When it cannot, the database is read.
   */
  find(tokenHash: string, freshAsOf: number): Promise<StaffSessionRecord | null>;
  /** The session was marked as used at `at` (the inactivity timeout), which the database announces to nobody. */
  touched(tokenHash: string, at: Date): void;
}

/**
 * A {@link StaffSessionCache} over `db` and the change feed: a `staff` change (migration 0014 announces the account's
 * and its sessions' changes) forgets that account's sessions; a feed that listens again forgets all.
 *
 * @example const sessions = createStaffSessionCache({ db: database.db, changes: await runtime.databaseChanges() });
 */
export function createStaffSessionCache(options: { db: Db; changes: DatabaseChangeFeed }): StaffSessionCache {
  const { db, changes } = options;
  const held = new Map<string, { record: StaffSessionRecord; readAt: number }>();
  /** Bumped by every change heard: a read that a change overtook is not kept. */
  let heard = 0;
  changes.subscribe((event) => {
    if (event.kind === 'reset') {
      heard += 1;
      held.clear();
    } else if (event.kind === 'staff') {
      heard += 1;
      for (const [hash, entry] of held) if (entry.record.staffId === event.staffId) held.delete(hash);
    }
  });
  return {
    async find(tokenHash, freshAsOf) {
      if (!(await changes.sync(freshAsOf))) return findStaffSession(db, tokenHash);
      const entry = held.get(tokenHash);
      if (entry && performance.now() - entry.readAt < TRUSTED_MS) return entry.record;
      const readAt = performance.now();
      const before = heard;
      const record = await findStaffSession(db, tokenHash);
      held.delete(tokenHash);
      if (record && heard === before) {
        if (held.size >= MAX_SESSIONS) held.delete(held.keys().next().value as string);
        held.set(tokenHash, { record, readAt });
      }
      return record;
    },
    touched(tokenHash, at) {
      const entry = held.get(tokenHash);
      if (entry) entry.record = { ...entry.record, lastSeenAt: at };
    },
  };
}

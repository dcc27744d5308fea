import type { Redis } from 'ioredis';

/** How long the admin's "I confirm" lets the job board act: 10 minutes. */
export const QUEUE_ACTIONS_GRANT_MS = 10 * 60_000;

const KEY_PREFIX = 'queue-actions-grant:';

/**
 * Lets one staff session act on the job board (retry, remove, promote jobs) until the returned instant. Stored in
 * Redis with its own expiry, keyed by the session: signing out or another browser does not carry it.
 */
export async function grantQueueActions(redis: Redis, sessionId: string, now: Date): Promise<Date> {
  const until = new Date(now.getTime() + QUEUE_ACTIONS_GRANT_MS);
  await redis.set(`${KEY_PREFIX}${sessionId}`, String(until.getTime()), 'PX', QUEUE_ACTIONS_GRANT_MS);
  return until;
}

/** Until when this session may act on the job board, or null when it has no grant (never had one, or it ran out). */
export async function loadQueueActionsGrant(redis: Redis, sessionId: string, now: Date): Promise<Date | null> {
  const value = await redis.get(`${KEY_PREFIX}${sessionId}`);
  const until = value === null ? Number.NaN : Number(value);
  // Redis expires the key; the stored instant also ends it on a clock the tests can move.
  return Number.isFinite(until) && until > now.getTime() ? new Date(until) : null;
}

/** Ends the session's grant now (the admin is done). */
export async function endQueueActions(redis: Redis, sessionId: string): Promise<void> {
  await redis.del(`${KEY_PREFIX}${sessionId}`);
}

import type { Redis } from 'ioredis';

/** Settings of {@link AccountBackoff}. */
export interface AccountBackoffSettings {
  /** Failed tries an account may have before every next try must wait. */
  freeTries: number;
  /** The wait after the first try over `freeTries`, in ms; it doubles with each further try. */
  baseDelayMs: number;
  /** The longest wait, in ms. */
  maxDelayMs: number;
  /** How long after the end of the last wait an account's count is forgotten, in ms. */
  forgetAfterMs: number;
  /** Prefix of the Redis keys. */
  keyPrefix: string;
}

/** Whether a try may go ahead now; when not, in how many ms it may. */
export type BackoffVerdict = { allowed: true } | { allowed: false; retryInMs: number };

// One atomic step: refuse while the account must wait; otherwise count the try and, past the free
// tries, set the next time a try is allowed (doubling, up to the cap).
const ADMIT_SCRIPT = `
local now = tonumber(ARGV[5])
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if now < nextAt then return nextAt - now end
local tries = redis.call('HINCRBY', KEYS[1], 'f', 1)
local free, base, cap, forget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local delay = 0
if tries >= free then
  delay = math.min(cap, base * 2 ^ (tries - free))
  redis.call('HSET', KEYS[1], 'n', now + delay)
end
redis.call('PEXPIRE', KEYS[1], math.floor(delay + forget))
return 0
`;

/** Computes a wait like {@link ADMIT_SCRIPT} does. */
function delayAfter(tries: number, settings: AccountBackoffSettings): number {
  return tries >= settings.freeTries
    ? Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (tries - settings.freeTries))
    : 0;
}

/**
 * Slows guessing on one account without locking it: a few failed tries are free, then each try
 * must wait, the wait doubling with every try (1 s, 2 s, 4 s … up to the cap), so a stranger can
 * make an account slow but never shut. Counted on Redis (shared by every replica); while Redis
 * cannot be reached, counted in this process instead (fails open to a per-process limit). Times
 * come from the caller's clock (the app's), so every replica must keep its clock in step (NTP).
 *
 * @example
 * const verdict = await backoff.admit('staff:stf_…', new Date());
 * if (!verdict.allowed) answer429(verdict.retryInMs);
 */
export class AccountBackoff {
  readonly #redis: Redis;
  readonly #settings: AccountBackoffSettings;
  readonly #memory = new Map<string, { tries: number; nextAt: number; expiresAt: number }>();

  constructor(redis: Redis, settings: AccountBackoffSettings) {
    this.#redis = redis;
    this.#settings = settings;
  }

  /** Counts a try on `account` when it may go ahead at `now`. */
  async admit(account: string, now: Date): Promise<BackoffVerdict> {
    const at = now.getTime();
    const key = `${this.#settings.keyPrefix}:${account}`;
    if (this.#redis.status === 'ready') {
      try {
        const { freeTries, baseDelayMs, maxDelayMs, forgetAfterMs } = this.#settings;
        const wait = Number(
          await this.#redis.eval(ADMIT_SCRIPT, 1, key, freeTries, baseDelayMs, maxDelayMs, forgetAfterMs, at),
        );
        return wait > 0 ? { allowed: false, retryInMs: wait } : { allowed: true };
      } catch {
        // Redis went away during the call: count in this process.
      }
    }
    return this.#admitInMemory(key, at);
  }

  /** Forgets an account's tries (after a right password). */
  async reset(account: string): Promise<void> {
    const key = `${this.#settings.keyPrefix}:${account}`;
    this.#memory.delete(key);
    if (this.#redis.status !== 'ready') return;
    try {
      await this.#redis.del(key);
    } catch {
      // Nothing counted on Redis can be cleared while it is away; its count ends by itself.
    }
  }

  #admitInMemory(key: string, now: number): BackoffVerdict {
    if (this.#memory.size > 1000) this.#forgetExpired(now);
    const found = this.#memory.get(key);
    const entry = found && found.expiresAt > now ? found : { tries: 0, nextAt: 0, expiresAt: 0 };
    if (now < entry.nextAt) return { allowed: false, retryInMs: entry.nextAt - now };
    entry.tries += 1;
    const delay = delayAfter(entry.tries, this.#settings);
    if (delay > 0) entry.nextAt = now + delay;
    entry.expiresAt = now + delay + this.#settings.forgetAfterMs;
    this.#memory.set(key, entry);
    return { allowed: true };
  }

  #forgetExpired(now: number): void {
    for (const [key, entry] of this.#memory) if (entry.expiresAt <= now) this.#memory.delete(key);
  }
}

import type { Redis } from 'ioredis';
import { type RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AccountBackoff } from './account-backoff.ts';
import { failOpenLimiter } from './fail-open-limiter.ts';
import { perRedisClient } from './per-redis-client.ts';
import { hashToken } from './tokens.ts';

/** Limits of {@link LoginThrottle}. Fixed windows, counted by Redis' own clock. */
export interface LoginThrottleOptions {
  /**
   * Failed password tries an account may have before it slows down: from then on every try must
   * wait, the wait doubling each time (never a lock). Default 5.
   */
  accountFailures?: number;
  /** The first wait of a slowed-down account, in seconds; it doubles with each try. Default 1. */
  accountBaseDelaySeconds?: number;
  /** The longest wait of a slowed-down account, in seconds. Default 900 (15 minutes). */
  accountMaxDelaySeconds?: number;
  /** Failed tries on one account from one client address; then that address waits for the window. Default 5. */
  accountAddressFailures?: number;
  /** Failed password tries per client address, over all accounts. Default 20. */
  addressFailures?: number;
  /** Window of the failure counters, and how long a slowed-down account is remembered, in seconds. Default 900. */
  failureWindowSeconds?: number;
  /** Sign-in requests per client address, whatever their outcome. Default 30. */
  addressRequests?: number;
  /** Window of the request cap, in seconds. Default 60. */
  requestWindowSeconds?: number;
  /** Prefix of the Redis keys. Default `throttle:login`. */
  keyPrefix?: string;
}

/** The numbers {@link LoginThrottle} uses when no option says otherwise. */
export const LOGIN_THROTTLE_DEFAULTS: Required<LoginThrottleOptions> = {
  accountFailures: 5,
  accountBaseDelaySeconds: 1,
  accountMaxDelaySeconds: 15 * 60,
  accountAddressFailures: 5,
  addressFailures: 20,
  failureWindowSeconds: 15 * 60,
  addressRequests: 30,
  requestWindowSeconds: 60,
  keyPrefix: 'throttle:login',
};

/** One password try: which account it names and where it comes from. */
export interface LoginAttempt {
  /**
   * The account: `staff:<id>` when the login names one (so a username and a phone number of one
   * account share one count), otherwise the normalized login (E.164 phone or lower-case username).
   * Stored only as a SHA-256, so no login name sits in Redis.
   */
  account: string;
  /** The client address (see `clientAddress`). */
  address: string;
  /**
   * A browser this account signed in from before (its device cookie): it is not slowed down by
   * tries on the account from elsewhere. The per-address limits still apply to it.
   */
  isKnownDevice?: boolean;
  /** When the try is made (the app's clock): the account's waits are measured from it. Default now. */
  at?: Date;
}

/** Which limit refused a try. */
export type ThrottleLimit = 'account' | 'account-address' | 'address' | 'requests';

/** Whether a try may go ahead; when not, which limit refused it and for how long. */
export type ThrottleVerdict = { allowed: true } | { allowed: false; limit: ThrottleLimit; retryAfterSeconds: number };

/**
 * Slows down password guessing, on Redis so that every server replica shares the counts, without
 * letting a stranger lock anyone out:
 * - per account: after a few failures every try must wait, the wait doubling (a slowdown, not a lock),
 *   except from a browser the account signed in from before;
 * - per account and address: a few failures, then that address waits for the window;
 * - per address: failures over all accounts, and requests whatever their outcome.
 *
 * A try is counted when it is admitted, before the password is checked, so that parallel requests
 * cannot slip past a limit; a right password clears the account's counts and gives the address its
 * point back. While Redis cannot be reached the counts are kept in this process (fail open to a
 * per-process limiter), so signing in still works and is still throttled.
 *
 * @example
 * const verdict = await throttle.admit({ account: 'staff:stf_…', address: '203.0.113.7' });
 * if (!verdict.allowed) throw …; // 429
 * if (passwordOk) await throttle.succeeded(attempt);
 */
export class LoginThrottle {
  readonly limits: Required<LoginThrottleOptions>;
  readonly #backoff: AccountBackoff;
  readonly #accountAddressFailures: RateLimiterRedis;
  readonly #addressFailures: RateLimiterRedis;
  readonly #addressRequests: RateLimiterRedis;

  constructor(redis: Redis, options: LoginThrottleOptions = {}) {
    this.limits = { ...LOGIN_THROTTLE_DEFAULTS, ...options };
    const { keyPrefix, failureWindowSeconds, requestWindowSeconds } = this.limits;
    for (const [name, value] of Object.entries(this.limits)) {
      if (typeof value === 'number' && !(Number.isInteger(value) && value > 0)) {
        throw new Error(`LoginThrottle: ${name} must be a positive whole number, got ${value}`);
      }
    }
    this.#backoff = new AccountBackoff(redis, {
      freeTries: this.limits.accountFailures,
      baseDelayMs: this.limits.accountBaseDelaySeconds * 1000,
      maxDelayMs: this.limits.accountMaxDelaySeconds * 1000,
      forgetAfterMs: failureWindowSeconds * 1000,
      keyPrefix: `${keyPrefix}:account-delay`,
    });
    this.#accountAddressFailures = failOpenLimiter(
      redis,
      `${keyPrefix}:account-address`,
      this.limits.accountAddressFailures,
      failureWindowSeconds,
    );
    this.#addressFailures = failOpenLimiter(
      redis,
      `${keyPrefix}:address`,
      this.limits.addressFailures,
      failureWindowSeconds,
    );
    this.#addressRequests = failOpenLimiter(
      redis,
      `${keyPrefix}:requests`,
      this.limits.addressRequests,
      requestWindowSeconds,
    );
  }

  /** Counts a try and says whether it may go ahead. */
  async admit(attempt: LoginAttempt): Promise<ThrottleVerdict> {
    const account = hashToken(attempt.account);
    const pair = hashToken(`${attempt.account}\n${attempt.address}`);
    const requests = await consumeOrRefusal(this.#addressRequests, attempt.address);
    if (requests) return refused('requests', requests.msBeforeNext);
    const byAddress = await consumeOrRefusal(this.#addressFailures, attempt.address);
    if (byAddress) return refused('address', byAddress.msBeforeNext);
    const byPair = await consumeOrRefusal(this.#accountAddressFailures, pair);
    if (byPair) {
      // The password was never tried, so the address keeps its point.
      await this.#addressFailures.reward(attempt.address, 1);
      return refused('account-address', byPair.msBeforeNext);
    }
    if (!attempt.isKnownDevice) {
      const byAccount = await this.#backoff.admit(account, attempt.at ?? new Date());
      if (!byAccount.allowed) {
        await this.#addressFailures.reward(attempt.address, 1);
        await this.#accountAddressFailures.reward(pair, 1);
        return refused('account', byAccount.retryInMs);
      }
    }
    return { allowed: true };
  }

  /**
   * After a right password: this address's tries on the account start afresh and the address gets its
   * point back; the account's slowdown ends too, unless the try came from a known browser (which was
   * never slowed: the strangers' tries still count).
   */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    if (!attempt.isKnownDevice) await this.#backoff.reset(hashToken(attempt.account));
    await this.#accountAddressFailures.delete(hashToken(`${attempt.account}\n${attempt.address}`));
    const byAddress = await this.#addressFailures.get(attempt.address);
    // Only give back what is there: rewarding an expired key would start the next window below zero.
    if (byAddress && byAddress.consumedPoints > 0) await this.#addressFailures.reward(attempt.address, 1);
  }
}

/** Consumes a point; null when within the limit, the limiter's answer when over it. */
async function consumeOrRefusal(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key, 1);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return error;
    throw error;
  }
}

function refused(limit: ThrottleLimit, msBeforeNext: number): ThrottleVerdict {
  return { allowed: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}

/** Gives the {@link LoginThrottle} of a Redis client. */
export type LoginThrottleSource = (redis: Redis) => LoginThrottle;

/**
 * A per-app source of {@link LoginThrottle}s: the first request builds the throttle on the app's
 * Redis client, later requests reuse it (the limiters register a Lua command on the client once).
 */
export function createLoginThrottleSource(options: LoginThrottleOptions = {}): LoginThrottleSource {
  return perRedisClient((redis) => new LoginThrottle(redis, options));
}

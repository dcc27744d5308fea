import { AppError } from '@affection/core';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { perRedisClient } from './per-redis-client.ts';
import { hashToken } from './tokens.ts';

/** Limits of {@link LoginThrottle}. Windows are fixed, counted by Redis' own clock. */
export interface LoginThrottleOptions {
  /** Failed password tries per account; later tries are refused until the window ends. Default 5. */
  accountFailures?: number;
  /** Failed password tries per client address, over all accounts. Default 20. */
  addressFailures?: number;
  /** Window of both failure counters, in seconds. Default 900 (15 minutes). */
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
  addressFailures: 20,
  failureWindowSeconds: 15 * 60,
  addressRequests: 30,
  requestWindowSeconds: 60,
  keyPrefix: 'throttle:login',
};

/** One password try: which account it names and where it comes from. */
export interface LoginAttempt {
  /**
   * The account, normalized (E.164 phone or lower-case username), or `staff:<id>` for a signed-in
   * password change. Stored only as a SHA-256, so no login name sits in Redis.
   */
  account: string;
  /** The client address (see `clientAddress`). */
  address: string;
}

/** Whether a try may go ahead; when not, which limit refused it and for how long. */
export type ThrottleVerdict =
  | { allowed: true }
  | { allowed: false; limit: 'account' | 'address' | 'requests'; retryAfterSeconds: number };

/**
 * Slows down password guessing, on Redis so that every server replica shares the counts.
 *
 * A try is counted when it is admitted, before the password is checked, so that parallel
 * requests cannot slip past the limit; a successful sign-in then clears the account's count and
 * gives its point back to the address. Refused tries never reach the password check.
 * When Redis cannot be reached, tries are refused with `service-unavailable` (fail closed).
 *
 * @example
 * const verdict = await throttle.admit({ account: '+8613812345678', address: '203.0.113.7' });
 * if (!verdict.allowed) throw …; // 429
 * if (passwordOk) await throttle.succeeded(attempt);
 */
export class LoginThrottle {
  readonly limits: Required<LoginThrottleOptions>;
  readonly #accountFailures: RateLimiterRedis;
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
    const common = { storeClient: redis, rejectIfRedisNotReady: true } as const;
    this.#accountFailures = new RateLimiterRedis({
      ...common,
      keyPrefix: `${keyPrefix}:account`,
      points: this.limits.accountFailures,
      duration: failureWindowSeconds,
    });
    this.#addressFailures = new RateLimiterRedis({
      ...common,
      keyPrefix: `${keyPrefix}:address`,
      points: this.limits.addressFailures,
      duration: failureWindowSeconds,
    });
    this.#addressRequests = new RateLimiterRedis({
      ...common,
      keyPrefix: `${keyPrefix}:requests`,
      points: this.limits.addressRequests,
      duration: requestWindowSeconds,
    });
  }

  /** Counts a try and says whether it may go ahead. Throws `service-unavailable` when Redis is down. */
  async admit(attempt: LoginAttempt): Promise<ThrottleVerdict> {
    const account = hashToken(attempt.account);
    try {
      const requests = await consumeOrRefusal(this.#addressRequests, attempt.address);
      if (requests) return refused('requests', requests);
      const byAccount = await consumeOrRefusal(this.#accountFailures, account);
      if (byAccount) return refused('account', byAccount);
      const byAddress = await consumeOrRefusal(this.#addressFailures, attempt.address);
      if (byAddress) {
        // The password was never tried, so the account keeps its point.
        await this.#accountFailures.reward(account, 1);
        return refused('address', byAddress);
      }
      return { allowed: true };
    } catch (error) {
      throw storeUnavailable(error);
    }
  }

  /** After a right password: the account starts afresh and the address gets its point back. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    try {
      await this.#accountFailures.delete(hashToken(attempt.account));
      const byAddress = await this.#addressFailures.get(attempt.address);
      // Only give back what is there: rewarding an expired key would start the next window below zero.
      if (byAddress && byAddress.consumedPoints > 0) await this.#addressFailures.reward(attempt.address, 1);
    } catch (error) {
      throw storeUnavailable(error);
    }
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

function refused(limit: 'account' | 'address' | 'requests', res: RateLimiterRes): ThrottleVerdict {
  return { allowed: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

function storeUnavailable(cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  return new AppError(
    'service-unavailable',
    'Signing in is paused: the store that counts sign-in tries (Redis) cannot be reached. Please try again in a minute.',
    { userMessageKey: 'error.auth.login-unavailable', retryable: true, cause },
  );
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

import type { Redis } from 'ioredis';

/**
 * One `T` per Redis client, built on first use and reused after: the rate limiters register a Lua
 * command on the client once, and an app's routes are registered before its client is known.
 *
 * @example const throttleOf = perRedisClient((redis) => new LoginThrottle(redis));
 */
export function perRedisClient<T>(build: (redis: Redis) => T): (redis: Redis) => T {
  const byClient = new WeakMap<Redis, T>();
  return (redis) => {
    let value = byClient.get(redis);
    if (value === undefined) {
      value = build(redis);
      byClient.set(redis, value);
    }
    return value;
  };
}

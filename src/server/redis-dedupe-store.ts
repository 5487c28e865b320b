import type { DedupeStore } from './dedupe-store';

/**
 * The commands {@link redisDedupeStore} needs, as a node-redis (v4 to v6) client or cluster has them:
 * `SET` and `EVAL`. Any other client fits behind two small functions (see the ioredis example on
 * `redisDedupeStore`).
 *
 * @example
 * const commands: RedisCommands = await createClient({ url }).connect();
 */
export interface RedisCommands {
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * Options of {@link redisDedupeStore}.
 *
 * @example
 * redisDedupeStore(client, { prefix: 'shop-prod:ck:', timeoutMs: 500 })
 */
export interface RedisDedupeStoreOptions {
  /**
   * Prepended to every key, so several apps or environments can share one Redis.
   * Default `'conversion-kit:dedupe:'`.
   *
   * @example
   * redisDedupeStore(client, { prefix: 'shop-prod:ck:' })
   */
  prefix?: string;
  /**
   * How long one command may take before the claim fails. node-redis queues commands while it
   * reconnects; without a bound a Redis outage would hang every collector request. A failed claim
   * forwards nothing and reports the event as failed (retryable). Default 1000 ms.
   *
   * @example
   * redisDedupeStore(client, { timeoutMs: 500 })
   */
  timeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Compare-then-act, atomic in Redis: only the holder of the claim's token may release or extend it.
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
const EXTEND = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

/**
 * A dedup store in Redis, shared by every collector instance that uses the same Redis: the ledger
 * that lets you run N stateless collectors behind a load balancer. A claim is one atomic
 * `SET key token NX PX ttl`; release and extend are small Lua scripts that `DEL` or `PEXPIRE` the key
 * only while it still holds the claim's token, so an instance whose claim expired never removes or
 * prolongs the claim another instance took since. The client is yours: connect it, watch its `error`
 * events, and close it on shutdown. This module never imports a Redis library.
 *
 * @example
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on('error', (error) => console.error('redis', error));
 * await client.connect();
 * const store = redisDedupeStore(client, { prefix: 'shop:ck:' });
 *
 * @example
 * // ioredis: two small functions with the same meaning
 * const store = redisDedupeStore({
 *   set: (key, value, { PX }) => ioredis.set(key, value, 'PX', PX, 'NX'),
 *   eval: (script, { keys, arguments: args }) => ioredis.eval(script, keys.length, ...keys, ...args),
 * });
 */
export function redisDedupeStore(client: RedisCommands, options: RedisDedupeStoreOptions = {}): Required<DedupeStore> {
  const prefix = options.prefix ?? 'conversion-kit:dedupe:';
  const timeoutMs = options.timeoutMs ?? 1000;
  const ms = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs));
  return {
    async claim(key, ttlMs, token) {
      const reply = await withTimeout(client.set(prefix + key, token, { NX: true, PX: ms(ttlMs) }), timeoutMs, 'SET NX');
      return reply === 'OK';
    },
    async release(key, token) {
      await withTimeout(client.eval(RELEASE, { keys: [prefix + key], arguments: [token] }), timeoutMs, 'the release script');
    },
    async extend(key, ttlMs, token) {
      const reply = await withTimeout(
        client.eval(EXTEND, { keys: [prefix + key], arguments: [token, String(ms(ttlMs))] }),
        timeoutMs,
        'the extend script',
      );
      return Number(reply) === 1;
    },
  };
}

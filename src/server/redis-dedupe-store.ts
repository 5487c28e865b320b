import type { DedupeStore } from './dedupe-store';

/**
 * The commands {@link redisDedupeStore} needs, as a node-redis (v4 to v6) client or cluster has them.
 * Any other client fits behind three small functions (see the ioredis example on `redisDedupeStore`).
 *
 * @example
 * const commands: RedisCommands = await createClient({ url }).connect();
 */
export interface RedisCommands {
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  pExpire(key: string, milliseconds: number): Promise<unknown>;
}

/** Options of {@link redisDedupeStore}. */
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

/**
 * A dedup store in Redis, shared by every collector instance that uses the same Redis: the ledger
 * that lets you run N stateless collectors behind a load balancer. A claim is one atomic
 * `SET key 1 NX PX ttl`; release is `DEL`, extend is `PEXPIRE`. The client is yours: connect it,
 * watch its `error` events, and close it on shutdown. This module never imports a Redis library.
 *
 * @example
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on('error', (error) => console.error('redis', error));
 * await client.connect();
 * const store = redisDedupeStore(client, { prefix: 'shop:ck:' });
 *
 * @example
 * // ioredis: three small functions with the same meaning
 * const store = redisDedupeStore({
 *   set: (key, value, { PX }) => ioredis.set(key, value, 'PX', PX, 'NX'),
 *   del: (key) => ioredis.del(key),
 *   pExpire: (key, ms) => ioredis.pexpire(key, ms),
 * });
 */
export function redisDedupeStore(client: RedisCommands, options: RedisDedupeStoreOptions = {}): Required<DedupeStore> {
  const prefix = options.prefix ?? 'conversion-kit:dedupe:';
  const timeoutMs = options.timeoutMs ?? 1000;
  return {
    async claim(key, ttlMs) {
      const ttl = Math.max(1, Math.ceil(ttlMs));
      const reply = await withTimeout(client.set(prefix + key, '1', { NX: true, PX: ttl }), timeoutMs, 'SET NX');
      return reply === 'OK';
    },
    async release(key) {
      await withTimeout(client.del(prefix + key), timeoutMs, 'DEL');
    },
    async extend(key, ttlMs) {
      await withTimeout(client.pExpire(prefix + key, Math.max(1, Math.ceil(ttlMs))), timeoutMs, 'PEXPIRE');
    },
  };
}

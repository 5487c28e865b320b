import type { DedupeStore } from './dedupe-store';

/**
 * The commands {@link redisDedupeStore} needs, as a node-redis (v4 to v6) client or cluster has them:
 * `EVAL`. Any other client fits behind one small function (see the ioredis example on
 * `redisDedupeStore`).
 *
 * @example
 * const commands: RedisCommands = await createClient({ url }).connect();
 */
export interface RedisCommands {
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

// A key holds its claim's token while the delivery is under way, then DELIVERED. Atomic in Redis:
// claim answers 1 (taken), 0 (delivered: a duplicate) or 2 (pending); only the holder of the token may
// release the claim or mark it delivered.
const DELIVERED = '=';
const CLAIM = `local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == '${DELIVERED}' then return 0 end
return 2`;
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], '${DELIVERED}', 'PX', ARGV[2]) return 1 end return 0`;

/**
 * A dedup store in Redis, shared by every collector instance that uses the same Redis: the ledger
 * that lets you run N stateless collectors behind a load balancer. Claim, release and extend are small
 * Lua scripts, each one atomic round trip: a claim sets the key to its token (or reports it delivered
 * or pending), release and extend act only while the key still holds the claim's token, so an
 * instance whose claim expired never removes or prolongs the claim another instance took since. The
 * client is yours: connect it, watch its `error` events, and close it on shutdown. This module never
 * imports a Redis library.
 *
 * Outages: a command not answered within `timeoutMs` fails the claim (the event is answered failed,
 * retryable, and sent nothing). Clients that queue commands while offline (node-redis, ioredis by
 * default) run that claim later, once Redis is back: the store then releases it at once, so a claim
 * whose outcome was unknown never makes a later report a duplicate.
 *
 * Persistence: the keys are the record of what was forwarded. Without persistence a Redis restart
 * forgets them and reports of the last `dedupeWindowMs` (48 h) are forwarded again; run Redis with
 * the append-only file (`appendonly yes`, `appendfsync everysec` loses at most a second of claims).
 * Eviction must not remove them early: use `maxmemory-policy noeviction` or `volatile-ttl` sized for
 * the window (about 120 bytes per event and destination).
 *
 * @example
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on('error', (error) => console.error('redis', error));
 * await client.connect();
 * const store = redisDedupeStore(client, { prefix: 'shop:ck:' });
 *
 * @example
 * // ioredis: one small function with the same meaning
 * const store = redisDedupeStore({
 *   eval: (script, { keys, arguments: args }) => ioredis.eval(script, keys.length, ...keys, ...args),
 * });
 */
export function redisDedupeStore(client: RedisCommands, options: RedisDedupeStoreOptions = {}): Required<DedupeStore> {
  const prefix = options.prefix ?? 'conversion-kit:dedupe:';
  const timeoutMs = options.timeoutMs ?? 1000;
  const ms = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs));
  const release = async (key: string, token: string) => {
    await withTimeout(client.eval(RELEASE, { keys: [prefix + key], arguments: [token] }), timeoutMs, 'the release script');
  };
  return {
    async claim(key, ttlMs, token) {
      const command = client.eval(CLAIM, { keys: [prefix + key], arguments: [token, String(ms(ttlMs))] });
      try {
        const reply = Number(await withTimeout(command, timeoutMs, 'the claim script'));
        return reply === 1 ? true : reply === 2 ? 'pending' : false;
      } catch (error) {
        // Given up, but a queued command may still run once Redis is back: undo it then, so that no
        // claim nobody owns blocks a later report.
        command.then((reply) => (Number(reply) === 1 ? release(key, token) : undefined)).catch(() => {});
        throw error;
      }
    },
    release,
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

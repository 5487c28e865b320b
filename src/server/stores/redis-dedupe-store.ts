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

// A key holds its claim's token while the delivery is under way, then DELIVERED. Atomic in Redis,
// for every key of a batch (ARGV: token and ttl per key): claim answers 1 (taken), 0 (delivered: a
// duplicate) or 2 (pending); only the holder of the token may mark it delivered (1) or release it.
const DELIVERED = '=';
const CLAIM = `local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('GET', key)
  if not v then redis.call('SET', key, ARGV[2 * i - 1], 'PX', ARGV[2 * i]) out[i] = 1
  elseif v == '${DELIVERED}' then out[i] = 0 else out[i] = 2 end
end
return out`;
const EXTEND = `local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[2 * i - 1] then redis.call('SET', key, '${DELIVERED}', 'PX', ARGV[2 * i]) out[i] = 1 else out[i] = 0 end
end
return out`;
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

interface Queued {
  readonly key: string;
  readonly args: readonly [string, string];
  resolve(reply: number): void;
  reject(error: unknown): void;
}

const later: (run: () => void) => void = typeof setImmediate === 'function' ? (run) => void setImmediate(run) : (run) => void setTimeout(run, 0);

/**
 * Runs `script` once for all the keys asked for in one turn of the event loop (the claims of a whole
 * batch, of concurrent requests): one round trip instead of one per key. Each caller gets its key's
 * reply. A Redis Cluster refusing keys of several slots (CROSSSLOT) switches to one call per key.
 */
function batched(client: RedisCommands, script: string, timeoutMs: number, what: string, lateReply?: (item: Queued, reply: number) => void) {
  let queue: Queued[] = [];
  let perKey = false;
  const run = (items: Queued[]) => {
    const command = client.eval(script, { keys: items.map((item) => item.key), arguments: items.flatMap((item) => item.args) });
    withTimeout(command, timeoutMs, what).then(
      (replies) => items.forEach((item, i) => item.resolve(Number((replies as unknown[])[i]))),
      (error: unknown) => {
        if (!perKey && items.length > 1 && /CROSSSLOT/i.test(String(error))) {
          perKey = true;
          return items.forEach((item) => run([item]));
        }
        items.forEach((item) => item.reject(error));
        // Given up, but a queued command may still run once Redis is back.
        if (lateReply) command.then((replies) => items.forEach((item, i) => lateReply(item, Number((replies as unknown[])[i]))), () => {});
      },
    );
  };
  const flush = () => {
    const items = queue;
    queue = [];
    if (perKey) items.forEach((item) => run([item]));
    else run(items);
  };
  return (key: string, args: [string, string]) =>
    new Promise<number>((resolve, reject) => {
      if (queue.push({ key, args, resolve, reject }) === 1) later(flush);
    });
}

/**
 * A dedup store in Redis, shared by every collector instance that uses the same Redis: the ledger
 * that lets you run N stateless collectors behind a load balancer. Claim, release and extend are small
 * Lua scripts, each one atomic round trip: a claim sets the key to its token (or reports it delivered
 * or pending), release and extend act only while the key still holds the claim's token, so an
 * instance whose claim expired never removes or prolongs the claim another instance took since. The
 * client is yours: connect it, watch its `error` events, and close it on shutdown. This module never
 * imports a Redis library. The claims (and the marks of delivery) asked for in one turn of the event
 * loop, a whole batch's, go to Redis in one script call: one round trip per request, not per event.
 * On Redis Cluster, where one call cannot span slots, it falls back to one call per key by itself.
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
  const releaseKey = async (key: string, token: string) => {
    await withTimeout(client.eval(RELEASE, { keys: [key], arguments: [token] }), timeoutMs, 'the release script');
  };
  // A claim that ran after it was given up is undone at once, so that no claim nobody owns blocks a
  // later report (the release is a no-op if the key is not ours).
  const claim = batched(client, CLAIM, timeoutMs, 'the claim script', (item, reply) => {
    if (reply === 1) releaseKey(item.key, item.args[0]).catch(() => {});
  });
  const extend = batched(client, EXTEND, timeoutMs, 'the extend script');
  return {
    async claim(key, ttlMs, token) {
      const reply = await claim(prefix + key, [token, String(ms(ttlMs))]);
      return reply === 1 ? true : reply === 2 ? 'pending' : false;
    },
    release: (key, token) => releaseKey(prefix + key, token),
    async extend(key, ttlMs, token) {
      return (await extend(prefix + key, [token, String(ms(ttlMs))])) === 1;
    },
  };
}

/**
 * The server's dedup ledger: one atomic operation, `claim`, that answers `true` to the first caller of
 * a key within `ttlMs`, in this process or (with Redis) in any collector sharing the store. Every
 * other caller gets `false` once the holder's delivery succeeded (`extend` marks that), or `'pending'`
 * while it is still under way: a report that finds a delivery in flight must not be told it is a
 * duplicate, since that delivery may still fail.
 *
 * The collector and the server tracker claim one key per event, occurrence and destination
 * (`<event>:<eventId>:<destination>`), first for a short lease, then `extend` it to the dedup window
 * once the destination accepted the event, or `release` it when the destination failed, so a later
 * report of the same event (a retry, the other side of the hybrid setup) can still deliver it. Each
 * claim carries a `token`, and `release` and `extend` act only while the key still holds that token:
 * a claim that expired and was taken by another instance belongs to that instance. Without `extend`
 * the claim lasts the whole window at once and a held key reads as delivered; without `release` a
 * failed delivery is not retried.
 *
 * @example
 * const store: DedupeStore = memoryDedupeStore();
 * await store.claim('cef43733-df0d-843d-8734-fcd77ade1519:ga4', 60_000, token); // true
 * await store.claim('cef43733-df0d-843d-8734-fcd77ade1519:ga4', 60_000, other); // false
 */
export interface DedupeStore {
  /**
   * Atomically takes `key` for `ttlMs` milliseconds, marked with `token`. When someone holds it
   * already: `false` if its holder delivered (`extend` was called), `'pending'` if not yet. A store
   * that cannot tell answers `false`.
   */
  claim(key: string, ttlMs: number, token: string): Promise<boolean | 'pending'> | boolean | 'pending';
  /** Gives `key` up, if it is still held with `token`; otherwise does nothing. */
  release?(key: string, token: string): Promise<void> | void;
  /**
   * Marks `key` delivered and keeps it `ttlMs` more milliseconds from now, if it is still held with
   * `token`. `false` when the claim was lost (it expired, and maybe another instance took it).
   */
  extend?(key: string, ttlMs: number, token: string): Promise<boolean> | boolean;
}

/**
 * Options of {@link memoryDedupeStore}.
 *
 * @example
 * memoryDedupeStore({ maxKeys: 1_000_000 })
 */
export interface MemoryDedupeStoreOptions {
  /**
   * The most keys kept; past it the oldest claims are forgotten first. Size it above the number of
   * events (times destinations) you expect within the dedup window. Default 100 000.
   *
   * @example
   * memoryDedupeStore({ maxKeys: 1_000_000 })
   */
  maxKeys?: number;
  /**
   * The clock, for tests. Default `Date.now`.
   *
   * @example
   * memoryDedupeStore({ now: () => clock.now })
   */
  now?: () => number;
}

/** A claim under way: its owner's token. A delivered claim is kept as its expiry alone (a number). */
interface Claim {
  readonly expiresAt: number;
  readonly token: string;
}

const expiryOf = (entry: number | Claim) => (typeof entry === 'number' ? entry : entry.expiresAt);

/**
 * A dedup store for ONE process: a bounded map of keys to their claim. Claims are atomic because
 * JavaScript runs them one at a time. Several collector instances need {@link redisDedupeStore}.
 *
 * @example
 * const collector = createCollector({ contract, store: memoryDedupeStore(), destinations });
 */
export function memoryDedupeStore(options: MemoryDedupeStoreOptions = {}): Required<DedupeStore> {
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new TypeError(`[conversion-kit] memoryDedupeStore: maxKeys must be a positive integer, received ${maxKeys}`);
  }
  // Insertion order is claim order: the oldest entries are first, so expiry and eviction look at the
  // head only and every operation stays O(1) amortised. A delivered entry's expiry is its claim time
  // plus its delivery time plus the window: in claim order too, give or take a delivery's seconds.
  const claims = new Map<string, number | Claim>();
  // Expiries are kept relative to the store's creation: small integers, which V8 stores inline
  // (an epoch-milliseconds double would take a 16-byte heap number per key).
  const start = now();
  const clock = () => now() - start;

  // Expired entries are only memory (a claim reads its own key's expiry): they are swept once per
  // 256 claims, or at once when the store is over maxKeys. Starting an iteration per claim cost more
  // than the claim itself.
  let sinceSweep = 0;
  const sweep = (time: number) => {
    if (++sinceSweep < 256 && claims.size <= maxKeys) return;
    sinceSweep = 0;
    for (const [key, entry] of claims) {
      if (expiryOf(entry) > time && claims.size <= maxKeys) break;
      claims.delete(key);
    }
  };
  const held = (key: string, token: string, time: number) => {
    const entry = claims.get(key);
    return typeof entry === 'object' && entry.token === token && entry.expiresAt > time;
  };

  return {
    claim(key, ttlMs, token) {
      const time = clock();
      const entry = claims.get(key);
      if (entry !== undefined) {
        if (expiryOf(entry) > time) return typeof entry === 'number' ? false : 'pending';
        claims.delete(key); // expired: claimed again, at the end
      }
      claims.set(key, { expiresAt: time + ttlMs, token });
      sweep(time);
      return true;
    },
    release(key, token) {
      if (held(key, token, clock())) claims.delete(key);
    },
    extend(key, ttlMs, token) {
      const time = clock();
      if (!held(key, token, time)) return false;
      // Delivered: the token is not needed any more. Set in place (one hash lookup, no hole left in the
      // map): the entry keeps its claim-order place, a few seconds at most from where its new expiry
      // would put it.
      claims.set(key, time + ttlMs);
      return true;
    },
  };
}

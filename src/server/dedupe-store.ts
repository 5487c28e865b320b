/**
 * The server's dedup ledger: one atomic operation, `claim`, that answers `true` to the first caller of
 * a key within `ttlMs` and `false` to every other caller, in this process or (with Redis) in any
 * collector sharing the store.
 *
 * The collector and the server tracker claim one key per event and destination
 * (`<eventId>:<destination>`), first for a short lease, then `extend` it to the dedup window once the
 * destination accepted the event, or `release` it when the destination failed, so a later report of
 * the same event (a retry, the other side of the hybrid setup) can still deliver it. Without `extend`
 * the claim lasts the whole window at once; without `release` a failed delivery is not retried.
 *
 * @example
 * const store: DedupeStore = memoryDedupeStore();
 * await store.claim('cef43733-df0d-543d-8734-fcd77ade1519:ga4', 60_000); // true
 * await store.claim('cef43733-df0d-543d-8734-fcd77ade1519:ga4', 60_000); // false
 */
export interface DedupeStore {
  /** Atomically takes `key` for `ttlMs` milliseconds; `false` when someone holds it already. */
  claim(key: string, ttlMs: number): Promise<boolean> | boolean;
  /** Gives `key` up, so the next claim succeeds. */
  release?(key: string): Promise<void> | void;
  /** Keeps a held `key` for `ttlMs` more milliseconds from now. */
  extend?(key: string, ttlMs: number): Promise<void> | void;
}

/** Options of {@link memoryDedupeStore}. */
export interface MemoryDedupeStoreOptions {
  /**
   * The most keys kept; past it the oldest claims are forgotten first. Size it above the number of
   * events (times destinations) you expect within the dedup window. Default 100 000.
   *
   * @example
   * memoryDedupeStore({ maxKeys: 1_000_000 })
   */
  maxKeys?: number;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * A dedup store for ONE process: a bounded map of keys to their expiry. Claims are atomic because
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
  // head only and every operation stays O(1) amortised.
  const expiries = new Map<string, number>();

  const sweep = (time: number) => {
    for (const [key, expiresAt] of expiries) {
      if (expiresAt > time && expiries.size <= maxKeys) break;
      expiries.delete(key);
    }
  };

  return {
    claim(key, ttlMs) {
      const time = now();
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > time) return false;
      expiries.delete(key);
      expiries.set(key, time + ttlMs);
      sweep(time);
      return true;
    },
    release(key) {
      expiries.delete(key);
    },
    extend(key, ttlMs) {
      if (!expiries.has(key)) return;
      // Re-inserted at the end: its expiry is now the latest.
      expiries.delete(key);
      expiries.set(key, now() + ttlMs);
    },
  };
}

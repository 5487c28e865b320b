import type { KeyValueStorage } from './storage';

/**
 * Remembers which dedup keys were already sent, so a double submit, a refresh of the thank-you page
 * or a second tab does not count the same conversion twice. `claim` answers `true` for the first
 * claim of a key within `ttlMs` and `false` after that, synchronously. Two tabs can both claim a key
 * in the same instant (storage has no atomic read-then-write): {@link confirmClaim} settles that
 * race. The server's dedup stores implement the same contract, asynchronously.
 *
 * @example
 * const ledger = storageDedupeLedger(memoryStorage());
 * ledger.claim('purchase_completed:A-1001', 48 * 3600_000) // true
 * ledger.claim('purchase_completed:A-1001', 48 * 3600_000) // false
 */
export interface DedupeLedger {
  /**
   * `true` when `key` was not claimed in the last `ttlMs` (it now is), `false` otherwise.
   *
   * @example
   * if (!ledger.claim('purchase_completed:A-1001', 48 * 3600_000)) return 'duplicate';
   */
  claim(key: string, ttlMs: number): boolean;
  /**
   * The storage key the ledger persists under. It also names the ledger's Web Locks, so trackers
   * with their own ledgers never wait for each other.
   *
   * @example
   * storageDedupeLedger(browserStorage()).storageKey // 'conversion-kit:dedupe'
   */
  readonly storageKey: string;
}

/** Where the ledger persists by default. */
export const LEDGER_KEY = 'conversion-kit:dedupe';
const MAX_ENTRIES = 500;
/** How long a confirmed claim keeps its lock: far longer than storage takes to reach other tabs. */
const HOLD_MS = 5000;

/**
 * The writes of the page's ledgers that claimed in the current task, each due once it ends. Shared
 * through `globalThis`, so ledgers of two copies of this module (a widget bundling its own, ESM
 * beside CJS) also write each other's claims before reading: each copy's own set let the second
 * copy's write find storage changed, and drop its claims.
 */
const due: Set<() => void> = ((globalThis as { [LEDGER_KEY]?: Set<() => void> })[LEDGER_KEY] ??= new Set());

/** A claim: when it was made and when it expires (epoch ms). */
type Claim = [at: number, until: number];
/** A stored claim. */
type Entry = [key: string, at: number, until: number];

/**
 * A ledger persisted in `storage` under `key`, so claims made in other tabs and before a reload
 * count. The stored text is `,["<key>",claimedAt,expiresAt]` per claim, appended in claim order.
 *
 * A claim costs O(1) whatever the ledger's size: the parsed claims are kept in memory (a Map) with
 * the stored text they came from, and parsed again only when the stored text is not that text
 * (another tab or an earlier page wrote it, or it was removed); each claim appends one entry. Past
 * 750 keys the ledger is rewritten with the 500 most recent claims, once per 250 claims (amortised
 * O(1)). The storage itself copies the value on each write (`localStorage` does: tens of kB, about
 * 0.4 ms in Chromium for 40 kB, with tails of milliseconds), so once it holds claims the ledger is
 * written once per task however many claims it makes: once the task's claims are done (a
 * microtask), unless storage changed in between (removed by a test's reset: those claims go with
 * it). A claim made while storage holds nothing is written at once (then the task's others at its
 * end), so a reset to nothing later in the same task shows. Another ledger of the page claiming
 * meanwhile, of this copy of the module or another, writes them at once, first, so two trackers on
 * one storage still see each other's claims. Other tabs see a task's claims when it ends.
 *
 * Claim times never run backwards: a claim is dated no earlier than the newest claim stored, so a
 * clock set back and then corrected never lets an order count twice; entries expire by the page
 * clock, a future-dated entry is live, and a clock set forward for a while only keeps keys longer.
 *
 * @example
 * storageDedupeLedger(browserStorage(), `${LEDGER_KEY}:shop-b`)
 */
export function storageDedupeLedger(storage: KeyValueStorage, key: string = LEDGER_KEY): DedupeLedger {
  // Claims by key, in the order they were made (a key claimed again moves to the end).
  let claims = new Map<string, Claim>();
  let text = ''; // the text of `claims`, written at the end of the task
  let stored = ''; // what storage held when this ledger last read or wrote it
  let newest = 0; // the latest claim time stored
  const read = () => storage.getItem(key) ?? '';
  /**
   * Writes `text`, and keeps the string storage answers with as `stored`: Chromium answers each
   * `getItem` with a string of its own, which compares to ours character by character (18 µs for a
   * full ledger, on every claim) but to itself at once.
   */
  const store = () => {
    storage.setItem(key, text);
    stored = read();
  };
  /** Writes the claims due, unless storage changed since (removed, say, by a test's reset): then they go. */
  const write = () => {
    if (due.delete(write) && read() === stored) store();
  };
  const add = (name: string, claim: Claim) => {
    claims.delete(name);
    claims.set(name, claim);
    if (claim[0] > newest) newest = claim[0];
  };
  const entry = ([name, claim]: [string, Claim]) => `,${JSON.stringify([name, ...claim])}`;
  const rewrite = () => (text = [...claims].map(entry).join(''));

  return {
    storageKey: key,
    claim(name, ttlMs) {
      // What other ledgers of the page claimed in this task is stored first: they may share the key.
      for (const other of due) if (other !== write) other();
      const current = read();
      if (current !== stored) {
        // Written elsewhere (another tab, an earlier page) or removed: read it all again.
        claims = new Map();
        newest = 0;
        text = stored = current;
        try {
          // `[0` + `,entry` * n + `]` parses only when the text is entries and nothing else.
          // JSON writes an expiry of Infinity (a window of Infinity) as null: it reads back as Infinity.
          for (const [name, at, until] of (JSON.parse(`[0${current}]`) as Entry[]).slice(1)) add(name, [at, until ?? Infinity]);
        } catch {
          claims = new Map();
          try {
            // The format before claim times were kept, { key: expiresAt }, is carried over.
            for (const [name, until] of Object.entries(JSON.parse(current))) add(name, [0, (until as number) ?? Infinity]);
          } catch {
            // Corrupted or foreign text reads as no claims.
          }
          rewrite();
        }
      }
      const now = Date.now();
      if (claims.get(name)?.[1]! > now) return false; // an unclaimed key: undefined > now is false
      const at = Math.max(now, newest);
      const claim: Claim = [at, at + ttlMs];
      add(name, claim);
      // Past 750 keys (once per 250 claims) the 500 most recent claims are kept, whatever the clock says.
      if (claims.size > 750) {
        claims = new Map([...claims].slice(-MAX_ENTRIES));
        rewrite();
      } else text += entry([name, claim]);
      if (stored) {
        // Written once the task's claims are done: each write copies the whole ledger.
        due.has(write) || queueMicrotask(write);
        due.add(write);
      } else store(); // Storage held nothing: at once, or a reset to nothing later in the task would not show.
      return true;
    },
  };
}

/**
 * Settles a race `claim` cannot see: two tabs of the same origin that claim the same key in the same
 * instant both get `true` from `claim` (each reads storage before the other's write arrives). Call it
 * right after a `claim` that answered `true`, before anything is sent; it resolves `false` in every
 * tab but one. The winner is decided by a Web Lock per key, which the browser grants to one tab at a
 * time: the first tab to ask takes it and holds it 5 seconds (far longer than storage takes to reach
 * the other tabs), the others find it taken. After those 5 seconds the winner checks that its claim
 * is still stored (a tab writing another key at the same instant can overwrite it) and claims again
 * if not. Where the browser has no Web Locks (`navigator.locks`) there is nothing to settle: it
 * returns `undefined`, and the claim stands.
 *
 * @example
 * if (ledger.claim(key, ttlMs) && ((await confirmClaim(ledger, key, ttlMs)) ?? true)) send();
 */
export function confirmClaim(ledger: DedupeLedger, key: string, ttlMs: number): Promise<boolean> | undefined {
  const locks = globalThis.navigator?.locks;
  return locks && new Promise((settle) => {
    locks
      .request(`${ledger.storageKey}:${key}`, { ifAvailable: true }, (lock) => {
        settle(!!lock);
        // Claiming again is a no-op while the claim is stored, and puts it back if it was lost.
        return lock && new Promise((hold) => setTimeout(hold, HOLD_MS)).then(() => ledger.claim(key, ttlMs));
      })
      .catch(() => settle(true));
  });
}

import { readJson, type KeyValueStorage } from './storage';

/**
 * Remembers which dedup keys were already sent, so a double submit, a refresh of the thank-you page
 * or a second tab does not count the same conversion twice. `claim` is the only operation: it answers
 * `true` for the first claim of a key within `ttlMs` and `false` after that. The server's dedup stores
 * implement the same contract, asynchronously.
 *
 * @example
 * const ledger = storageDedupeLedger(memoryStorage());
 * ledger.claim('purchase_completed:A-1001', 48 * 3600_000) // true
 * ledger.claim('purchase_completed:A-1001', 48 * 3600_000) // false
 */
export interface DedupeLedger {
  claim(key: string, ttlMs: number): boolean;
}

export const LEDGER_KEY = 'conversion-kit:dedupe';
const MAX_ENTRIES = 500;

/**
 * A ledger persisted in `storage`, re-read on every claim so other tabs' claims count. Keeps at most
 * 500 live keys (the ones expiring soonest go first) so storage stays small.
 */
export function storageDedupeLedger(storage: KeyValueStorage, now: () => number = Date.now): DedupeLedger {
  return {
    claim(key, ttlMs) {
      const time = now();
      const stored = readJson(storage, LEDGER_KEY);
      const live: [string, number][] = [];
      if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
        for (const [storedKey, expiresAt] of Object.entries(stored)) {
          if (typeof expiresAt === 'number' && expiresAt > time) live.push([storedKey, expiresAt]);
        }
      }
      if (live.some(([storedKey]) => storedKey === key)) return false;
      live.push([key, time + ttlMs]);
      if (live.length > MAX_ENTRIES) live.sort((a, b) => b[1] - a[1]).length = MAX_ENTRIES;
      storage.setItem(LEDGER_KEY, JSON.stringify(Object.fromEntries(live)));
      return true;
    },
  };
}

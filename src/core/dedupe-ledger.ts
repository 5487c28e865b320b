import { readLiveEntries, writeEntries } from './expiring-entries';
import type { KeyValueStorage } from './storage';

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
 * 500 live keys (the oldest claims go first) so storage stays small.
 */
export function storageDedupeLedger(storage: KeyValueStorage): DedupeLedger {
  return {
    claim(key, ttlMs) {
      const live = readLiveEntries<number>(storage, LEDGER_KEY);
      if (key in live) return false;
      live[key] = Date.now() + ttlMs;
      // Keys are kept in the order they were claimed: past the cap, the oldest claims go first.
      writeEntries(storage, LEDGER_KEY, Object.fromEntries(Object.entries(live).slice(-MAX_ENTRIES)));
      return true;
    },
  };
}

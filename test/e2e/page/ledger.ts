// The page of the two-tab ledger test, bundled from the sources: the browser ledger on localStorage,
// as the tracker creates it.
import { confirmClaim, storageDedupeLedger } from '../../../src/core/dedupe-ledger';

const ledger = storageDedupeLedger(localStorage);

/** Waits (busily, so no timer delay) until `at`, then claims `key` and confirms the claim. */
async function claimAt(at: number, key: string): Promise<boolean> {
  while (Date.now() < at);
  return ledger.claim(key, 3600_000) && ((await confirmClaim(ledger, key, 3600_000)) ?? true);
}

/** The keys a ledger created now (a reload, a new tab) finds claimed. */
const remembered = (keys: string[]) => keys.filter((key) => !storageDedupeLedger(localStorage).claim(key, 3600_000));

Object.assign(window, { claimAt, remembered });
document.body.dataset.state = 'ready';

import { readJson, type KeyValueStorage } from './storage';

/** An entry that expires at `expiresAt` (epoch ms). */
type Expiring = { readonly expiresAt: number };

/**
 * Reads a stored JSON object of expiring entries and keeps the live ones. Corrupted or foreign data
 * reads as empty. The result has no prototype, so keys like `constructor` are plain keys.
 */
export function readLiveEntries<T extends Expiring>(storage: KeyValueStorage, key: string): Record<string, T> {
  const now = Date.now();
  const live: Record<string, T> = Object.create(null);
  // Any JSON value reads as entries; ones without a future expiry (corrupted data) are skipped.
  for (const [name, entry] of Object.entries(readJson(storage, key) ?? {})) {
    if ((entry as Partial<Expiring> | null)?.expiresAt! > now) live[name] = entry as T;
  }
  return live;
}

/** Writes entries back, removing the key when none are left. */
export function writeEntries(storage: KeyValueStorage, key: string, entries: Record<string, Expiring>): void {
  if (Object.keys(entries).length === 0) storage.removeItem(key);
  else storage.setItem(key, JSON.stringify(entries));
}

/**
 * The slice of the Web Storage API the tracker needs. `localStorage`, `sessionStorage` and
 * {@link memoryStorage} all fit.
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A storage that lives in memory only, for tests, SSR and visitors whose browser refuses storage.
 *
 * @example
 * createTracker({ contract, storage: memoryStorage() })
 */
export function memoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * Wraps a storage so it never throws: when the backing store is missing, blocked (Safari private
 * mode, disabled cookies) or full (`QuotaExceededError`), values live in memory for the rest of the
 * page. `backing` is resolved lazily, on first use, so nothing touches `window` at import time.
 *
 * @example
 * resilientStorage(() => window.sessionStorage)
 */
export function resilientStorage(backing: () => KeyValueStorage | null | undefined): KeyValueStorage {
  const fallback = new Map<string, string>();
  let store: KeyValueStorage | null | undefined;
  /** Runs `use` on the backing store; nothing (null or undefined) when there is none or it throws. */
  const attempt = <T>(use: (storage: KeyValueStorage) => T): T | null | undefined => {
    try {
      if (store === undefined) store = backing() ?? null;
      return store && use(store);
    } catch {
      // Blocked or full: undefined, as without a store.
    }
  };
  return {
    getItem: (key) => fallback.get(key) ?? attempt((storage) => storage.getItem(key)) ?? null,
    setItem(key, value) {
      // Quota exceeded or storage blocked: keep the value for this page.
      if (attempt((storage) => (storage.setItem(key, value), true))) fallback.delete(key);
      else fallback.set(key, value);
    },
    removeItem(key) {
      fallback.delete(key);
      attempt((storage) => storage.removeItem(key));
    },
  };
}

/** `localStorage` when the page has a working one, memory otherwise. The tracker's default. */
export function browserStorage(): KeyValueStorage {
  return resilientStorage(() => globalThis.localStorage);
}

/** Reads a JSON value; nothing stored reads as `null`, corrupted or foreign data as `undefined`; never throws. */
export function readJson(storage: KeyValueStorage, key: string): unknown {
  try {
    return JSON.parse(storage.getItem(key)!); // null parses as null
  } catch {
    // Not JSON: undefined.
  }
}

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
  let resolved: KeyValueStorage | null | undefined;
  const store = (): KeyValueStorage | null => {
    if (resolved === undefined) {
      try {
        resolved = backing() ?? null;
      } catch {
        resolved = null;
      }
    }
    return resolved;
  };
  return {
    getItem(key) {
      if (fallback.has(key)) return fallback.get(key)!;
      try {
        return store()?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    setItem(key, value) {
      try {
        const target = store();
        if (target) {
          target.setItem(key, value);
          fallback.delete(key);
          return;
        }
      } catch {
        // Quota exceeded or storage blocked: keep the value for this page.
      }
      fallback.set(key, value);
    },
    removeItem(key) {
      fallback.delete(key);
      try {
        store()?.removeItem(key);
      } catch {
        // Nothing to remove from a storage we cannot reach.
      }
    },
  };
}

/** `localStorage` when the page has a working one, memory otherwise. The tracker's default. */
export function browserStorage(): KeyValueStorage {
  return resilientStorage(() => globalThis.localStorage);
}

/** Reads a JSON value; corrupted or foreign data reads as `undefined`, never throws. */
export function readJson(storage: KeyValueStorage, key: string): unknown {
  const text = storage.getItem(key);
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

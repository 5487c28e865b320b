/**
 * Dedup claims per second of the browser ledger at 10, 100 and 500 stored keys, against the
 * previous algorithm (copied below as the reference), side by side in one run. Run with
 * `npm run bench:ledger`. Two storages: the tracker's in-memory one and jsdom's `localStorage`
 * (which copies the whole value on every read and write, as browsers do). Each round measures every
 * case once, in alternating order; each figure is the median of BENCH_RUNS rounds (default 7).
 * A batch starts from a ledger already holding `size` keys (its preparation is not timed) and
 * claims 5 new keys: the claims of a tab whose ledger is already loaded, the common case.
 */
import { JSDOM } from 'jsdom';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { memoryStorage, resilientStorage, type KeyValueStorage } from '../src/core/storage';
import { LEDGER_KEY, storageDedupeLedger } from '../src/core/dedupe-ledger';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 7));
const SIZES = [10, 100, 500];
const CLAIMS_PER_BATCH = 5;
const BATCHES = 400;
const WINDOW = 48 * 3600_000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// The reference: the ledger before this change, verbatim in behaviour (src/core/dedupe-ledger.ts
// and expiring-entries.ts at d3bf77c): each claim parses, filters, rebuilds and rewrites it all.
function referenceLedger(storage: KeyValueStorage) {
  const readLive = () => {
    const now = Date.now();
    const live: Record<string, number> = Object.create(null);
    let stored: unknown;
    try {
      stored = JSON.parse(storage.getItem(LEDGER_KEY) ?? 'null');
    } catch {
      stored = undefined;
    }
    for (const [name, entry] of Object.entries(stored ?? {})) {
      if (typeof entry === 'number' && entry > now) live[name] = entry;
    }
    return live;
  };
  return {
    claim(key: string, ttlMs: number) {
      const live = readLive();
      if (key in live) return false;
      live[key] = Date.now() + ttlMs;
      const kept = Object.fromEntries(Object.entries(live).slice(-500));
      if (Object.keys(kept).length === 0) storage.removeItem(LEDGER_KEY);
      else storage.setItem(LEDGER_KEY, JSON.stringify(kept));
      return true;
    },
  };
}

type Ledger = { claim(key: string, ttlMs: number): boolean };
const ALGORITHMS: Record<string, (storage: KeyValueStorage) => Ledger> = {
  before: referenceLedger,
  now: (storage) => storageDedupeLedger(storage),
};

const jsdomStorage = new JSDOM('', { url: 'https://shop.example/' }).window.localStorage;
const STORAGES: Record<string, () => KeyValueStorage> = {
  'memory (resilientStorage)': () => resilientStorage(() => memoryStorage()),
  'jsdom localStorage': () => {
    jsdomStorage.clear();
    return jsdomStorage;
  },
};

/** A ledger holding `size` keys, as the reference would have stored them. */
function prepare(algorithm: string, storage: KeyValueStorage, size: number): Ledger {
  const now = Date.now();
  if (algorithm === 'before') {
    storage.setItem(LEDGER_KEY, JSON.stringify(Object.fromEntries(Array.from({ length: size }, (_, i) => [`purchase_completed:P-${i}`, now + WINDOW]))));
    return ALGORITHMS[algorithm]!(storage);
  }
  const ledger = ALGORITHMS[algorithm]!(storage);
  for (let i = 0; i < size; i++) ledger.claim(`purchase_completed:P-${i}`, WINDOW);
  return ledger;
}

let batchId = 0;
/** Claims per second over BATCHES batches of new keys on a ledger of `size` keys. */
function measure(algorithm: string, storageName: string, size: number): number {
  let elapsed = 0;
  for (let batch = 0; batch < BATCHES; batch++) {
    const ledger = prepare(algorithm, STORAGES[storageName]!(), size);
    const keys = Array.from({ length: CLAIMS_PER_BATCH }, (_, i) => `purchase_completed:N-${batchId}-${i}`);
    batchId++;
    const start = performance.now();
    for (const key of keys) if (!ledger.claim(key, WINDOW)) throw new Error(`${algorithm}: a new key ${key} answered duplicate`);
    elapsed += performance.now() - start;
  }
  return (BATCHES * CLAIMS_PER_BATCH) / (elapsed / 1000);
}

const cases = Object.keys(STORAGES).flatMap((storage) => SIZES.map((size) => ({ storage, size })));
const results = new Map<string, number[]>();
for (let round = 0; round < RUNS; round++) {
  const order = round % 2 === 0 ? Object.keys(ALGORITHMS) : Object.keys(ALGORITHMS).reverse();
  for (const { storage, size } of cases) {
    for (const algorithm of order) {
      const id = `${algorithm}|${storage}|${size}`;
      results.set(id, [...(results.get(id) ?? []), measure(algorithm, storage, size)]);
    }
  }
}

const format = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n)));
console.log(`\nbrowser dedup ledger: claims per second, median of ${RUNS} interleaved rounds; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}\n`);
console.log('| storage | keys stored | before (reference) | now | now / before |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const { storage, size } of cases) {
  const before = median(results.get(`before|${storage}|${size}`)!);
  const now = median(results.get(`now|${storage}|${size}`)!);
  console.log(`| ${storage} | ${size} | ${format(before)}/s | ${format(now)}/s | ${(now / before).toFixed(1)}x |`);
}
for (const storage of Object.keys(STORAGES)) {
  const at = (algorithm: string, size: number) => median(results.get(`${algorithm}|${storage}|${size}`)!);
  console.log(`${storage}: cost at 500 keys / cost at 10 keys: before ${(at('before', 10) / at('before', 500)).toFixed(1)}x, now ${(at('now', 10) / at('now', 500)).toFixed(1)}x`);
}

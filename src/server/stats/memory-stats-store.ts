import { HOUR_MS, MAX_ISSUES_PER_ROW, type StatsRow, type StatsStore, type StatsUpdate } from './stats-store';

/**
 * Options of {@link memoryStatsStore}.
 *
 * @example
 * memoryStatsStore({ retentionMs: 14 * 24 * 3_600_000 })
 */
export interface MemoryStatsStoreOptions {
  /**
   * How long rows are kept, in ms. Default 35 days: the 7-day baseline, four weeks to compare, and room.
   *
   * @example
   * memoryStatsStore({ retentionMs: 14 * 24 * 3_600_000 })
   */
  retentionMs?: number;
  /**
   * The most rows kept (one per hour, event, release and source); past it the oldest hours go first.
   * Default 100 000: 35 days of 20 events from 2 sources across 60 releases.
   *
   * @example
   * memoryStatsStore({ maxRows: 10_000 })
   */
  maxRows?: number;
  /**
   * The clock, for tests. Default `Date.now`.
   *
   * @example
   * memoryStatsStore({ now: () => clock.now })
   */
  now?: () => number;
}

interface MutableRow extends StatsRow {
  readonly counts: Record<string, number>;
  readonly notes: Record<string, string>;
  issues: number;
}

/**
 * The collector's counters in this process's memory: the default when `createCollector` gets no
 * `stats` option. Bounded by `maxRows`; rows older than `retentionMs` are dropped. Lost on restart, and
 * not shared: with several collectors, use `redisStatsStore`.
 *
 * @example
 * const stats = memoryStatsStore();
 * const collector = createCollector({ contract, store, destinations, stats });
 */
export function memoryStatsStore(options: MemoryStatsStoreOptions = {}): StatsStore {
  const retentionMs = options.retentionMs ?? 35 * 24 * HOUR_MS;
  const maxRows = options.maxRows ?? 100_000;
  const now = options.now ?? Date.now;
  const rows = new Map<string, MutableRow>();
  let sweptAt = -Infinity;

  const sweep = () => {
    const time = now();
    if (time - sweptAt < HOUR_MS && rows.size <= maxRows) return;
    sweptAt = time;
    const oldest = time - retentionMs;
    for (const [key, row] of rows) if (row.hour + HOUR_MS <= oldest) rows.delete(key);
    if (rows.size <= maxRows) return;
    const byAge = [...rows].sort(([, a], [, b]) => a.hour - b.hour);
    for (const [key] of byAge.slice(0, rows.size - maxRows)) rows.delete(key);
  };

  return {
    add(updates: readonly StatsUpdate[]) {
      for (const update of updates) {
        const key = `${update.hour}\u0000${update.event}\u0000${update.release}\u0000${update.source}`;
        let row = rows.get(key);
        if (!row) {
          row = { hour: update.hour, event: update.event, release: update.release, source: update.source, counts: Object.create(null), notes: Object.create(null), issues: 0 };
          // Null prototypes: counter names come from schema issues, which may quote what a page sent.
          rows.set(key, row);
        }
        for (const name in update.counts) {
          const known = row.counts[name];
          if (known === undefined && name.startsWith('issue:')) {
            if (row.issues >= MAX_ISSUES_PER_ROW) continue;
            row.issues++;
          }
          row.counts[name] = (known ?? 0) + (update.counts[name] ?? 0);
        }
        if (update.notes) Object.assign(row.notes, update.notes);
      }
      sweep();
    },
    read({ from, to }) {
      const found: StatsRow[] = [];
      for (const row of rows.values()) {
        if (row.hour >= from && row.hour <= to) {
          found.push({ hour: row.hour, event: row.event, release: row.release, source: row.source, counts: { ...row.counts }, notes: { ...row.notes } });
        }
      }
      return found;
    },
  };
}

import { HOUR_MS, hourOf, type StatsStore, type StatsUpdate } from '../../../src/server/stats/stats-store';

/** The simulated clock of the health tests: a Friday afternoon, mid-hour. */
export const NOW = Date.parse('2026-12-04T16:30:00Z');
export const DAY_MS = 24 * HOUR_MS;

export interface Traffic {
  readonly event: string;
  /** First hour with these counts (epoch ms, rounded down to its hour); default 14 days before NOW. */
  readonly from?: number;
  /** Hours before this one get the counts (exclusive); default the hour after NOW's. */
  readonly to?: number;
  readonly release?: string;
  readonly source?: 'client' | 'server';
  /** Counts each hour gets, e.g. { received: 2, accepted: 2 }. */
  readonly counts: Readonly<Record<string, number>>;
  readonly notes?: Readonly<Record<string, string>>;
}

/** Adds the same counts to every hour of a stretch, as a collector would have, hour by hour. */
export async function simulate(store: StatsStore, ...traffic: Traffic[]): Promise<void> {
  const updates: StatsUpdate[] = [];
  for (const stretch of traffic) {
    const end = stretch.to ?? hourOf(NOW) + HOUR_MS;
    for (let hour = hourOf(stretch.from ?? NOW - 14 * DAY_MS); hour < end; hour += HOUR_MS) {
      updates.push({
        hour,
        event: stretch.event,
        release: stretch.release ?? '',
        source: stretch.source ?? 'client',
        counts: stretch.counts,
        notes: { last_seen: String(Math.min(hour + HOUR_MS - 1, NOW)), ...stretch.notes },
      });
    }
  }
  await store.add(updates);
}

/** `n` valid reports, all accepted. */
export const ok = (n: number) => ({ received: n, accepted: n });

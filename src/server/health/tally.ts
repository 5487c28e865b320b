import type { StatsRow } from '../stats/stats-store';
import type { DestinationHealth, HealthCounts } from './health-report';

// Sums of stats rows, as judgeHealth reads them. Every counter is optional in a row: a row holds only
// what happened in its hour.

const ANSWERS = ['accepted', 'duplicate', 'pending', 'skipped', 'failed', 'rejected'] as const;
const OUTCOMES = ['delivered', 'duplicate', 'pending', 'failed', 'failed_retryable', 'skipped'] as const;

const count = (row: StatsRow, name: string): number => {
  const value = row.counts[name];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
};

/** Reports of one row: `received`, or the sum of the answers if a writer left `received` out. */
export function receivedOf(row: StatsRow): number {
  return Math.max(count(row, 'received'), ANSWERS.reduce((sum, name) => sum + count(row, name), 0));
}

/** The reports of some rows: received, rejected, duplicates, and the valid ones that are not duplicates. */
export function countsOf(rows: readonly StatsRow[]): HealthCounts & { readonly expectedDuplicate: number } {
  let received = 0;
  let rejected = 0;
  let duplicate = 0;
  let expectedDuplicate = 0;
  for (const row of rows) {
    received += receivedOf(row);
    rejected += count(row, 'rejected');
    duplicate += count(row, 'duplicate');
    // The second report of an event both browser and server report is a duplicate by design.
    expectedDuplicate += count(row, 'seen_both_deduplicated');
  }
  rejected = Math.min(rejected, received);
  duplicate = Math.min(duplicate, received - rejected);
  return { received, rejected, duplicate, unique: received - rejected - duplicate, expectedDuplicate: Math.min(expectedDuplicate, duplicate) };
}

/** The `issue:` counters of some rows, most frequent first. */
export function issuesOf(rows: readonly StatsRow[]): { message: string; count: number }[] {
  const issues = new Map<string, number>();
  for (const row of rows) {
    for (const name in row.counts) {
      if (name.startsWith('issue:')) issues.set(name.slice(6), (issues.get(name.slice(6)) ?? 0) + count(row, name));
    }
  }
  return [...issues].map(([message, n]) => ({ message, count: n })).filter((issue) => issue.count > 0).sort((a, b) => b.count - a.count || (a.message < b.message ? -1 : 1));
}

/** Per destination, what `dest:<d>:<outcome>` counters say about some rows, and their last error. */
export function destinationsOf(rows: readonly StatsRow[]): DestinationHealth[] {
  const names = new Set<string>();
  for (const row of rows) {
    for (const name in row.counts) {
      const match = /^dest:(.+):(delivered|duplicate|pending|failed|failed_retryable|skipped)$/.exec(name);
      if (match && !match[1]!.endsWith(':key')) names.add(match[1]!);
    }
  }
  const latestFirst = [...rows].sort((a, b) => b.hour - a.hour);
  return [...names].sort().map((destination) => {
    const sum = (name: string) => rows.reduce((total, row) => total + count(row, `dest:${destination}:${name}`), 0);
    const [delivered, duplicate, pending, failedFinal, failedRetryable, skipped] = OUTCOMES.map(sum) as [number, number, number, number, number, number];
    const failed = failedFinal + failedRetryable;
    const keyCoverage: Record<string, number> = {};
    const keyPrefix = `dest:${destination}:key:`;
    for (const row of rows) {
      for (const name in row.counts) if (name.startsWith(keyPrefix)) keyCoverage[name.slice(keyPrefix.length)] = (keyCoverage[name.slice(keyPrefix.length)] ?? 0) + count(row, name);
    }
    for (const key in keyCoverage) keyCoverage[key] = delivered > 0 ? Math.min(1, keyCoverage[key]! / delivered) : 0;
    const lastError = latestFirst.find((row) => row.notes[`last_error:${destination}`])?.notes[`last_error:${destination}`] ?? null;
    return {
      destination,
      delivered,
      duplicate,
      pending,
      failed,
      failedRetryable,
      skipped,
      failureRate: delivered + failed > 0 ? failed / (delivered + failed) : null,
      lastError,
      keyCoverage,
    };
  });
}

/** The latest report of some rows (epoch ms): the `last_seen` note, else the start of the latest hour with reports. */
export function lastSeenOf(rows: readonly StatsRow[]): number | null {
  let latest: number | null = null;
  for (const row of rows) {
    if (receivedOf(row) === 0) continue;
    const noted = Number(row.notes.last_seen);
    const seen = Number.isFinite(noted) && noted >= row.hour ? noted : row.hour;
    if (latest === null || seen > latest) latest = seen;
  }
  return latest;
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

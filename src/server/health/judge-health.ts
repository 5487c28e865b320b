import type { AnyContract } from '../../core/contract';
import { HOUR_MS, hourOf, type StatsRow } from '../stats/stats-store';
import { adviceFor, findingMessage } from './health-advice';
import {
  DEFAULT_HEALTH_THRESHOLDS,
  HEALTH_PRECEDENCE,
  type EventHealth,
  type HealthFinding,
  type HealthReport,
  type HealthStatus,
  type HealthThresholds,
  type ReleaseHealth,
} from './health-report';
import { countsOf, destinationsOf, issuesOf, lastSeenOf, median, receivedOf } from './tally';

const DAY_MS = 24 * HOUR_MS;
/** How many periods of 24 h a report reads: the last one, 7 for the baseline, the rest for the sparkline. */
export const HEALTH_DAYS = 14;

/**
 * Options of {@link judgeHealth}.
 *
 * @example
 * judgeHealth(rows, { contract, now: Date.now(), thresholds: { dropBelow: 0.3 } })
 */
export interface JudgeHealthOptions {
  /** The contract whose events are judged. */
  readonly contract: AnyContract;
  /** The time of the report, epoch ms. Default `Date.now()`. */
  readonly now?: number;
  /** Overrides of {@link DEFAULT_HEALTH_THRESHOLDS}. */
  readonly thresholds?: Partial<HealthThresholds>;
}

/**
 * The hours a report reads, both included: 14 periods of 24 h ending with the current hour.
 *
 * @example
 * await stats.read(healthRange(Date.now()))
 */
export function healthRange(now: number): { from: number; to: number } {
  const to = hourOf(now);
  return { from: to - HEALTH_DAYS * DAY_MS + HOUR_MS, to };
}

/** The thresholds with their defaults; a value that is not a positive number is a programmer error. */
export function resolveThresholds(overrides: Partial<HealthThresholds> = {}): HealthThresholds {
  const resolved = { ...DEFAULT_HEALTH_THRESHOLDS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(DEFAULT_HEALTH_THRESHOLDS, name)) throw new TypeError(`[conversion-kit] health thresholds: unknown threshold "${name}"; known: ${Object.keys(DEFAULT_HEALTH_THRESHOLDS).join(', ')}`);
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw new TypeError(`[conversion-kit] health thresholds: ${name} must be a number of at least 0, received ${String(value)}`);
    (resolved as Record<string, number>)[name] = value;
  }
  return resolved;
}

/**
 * Judges the collector's counters (the rows of a `StatsStore`, 14 days of them, see {@link healthRange})
 * for every event of the contract, conversions first: a status, the counts behind it, the baseline,
 * a breakdown by release and destination, and what to check first. A pure function: the same rows and
 * `now` give the same report. `collector.health()` calls it with the collector's own store.
 *
 * @example
 * const now = Date.now();
 * const report = judgeHealth(await stats.read(healthRange(now)), { contract, now });
 * const broken = report.events.filter((e) => e.conversion && !['recording', 'no_recent'].includes(e.status));
 */
export function judgeHealth(rows: readonly StatsRow[], options: JudgeHealthOptions): HealthReport {
  const now = options.now ?? Date.now();
  const thresholds = resolveThresholds(options.thresholds);
  const { from, to } = healthRange(now);
  const inRange = rows.filter((row) => row.hour >= from && row.hour <= to);

  // A release's first hour, across every event: a deploy changes them all at once.
  const firstSeen = new Map<string, number>();
  for (const row of inRange) {
    if (receivedOf(row) > 0 && row.hour < (firstSeen.get(row.release) ?? Infinity)) firstSeen.set(row.release, row.hour);
  }
  const releases = [...firstSeen].filter(([release, hour]) => release !== '' && hour > from).sort((a, b) => a[1] - b[1]);

  const names = Object.keys(options.contract.events);
  const conversions = names.filter((name) => options.contract.events[name]?.conversion === true);
  const ordered = [...conversions, ...names.filter((name) => !conversions.includes(name))];
  const byEvent = new Map<string, StatsRow[]>();
  for (const row of inRange) byEvent.get(row.event)?.push(row) ?? byEvent.set(row.event, [row]);
  const events = ordered.map((event) =>
    judgeEvent(event, options.contract.events[event]?.conversion === true, byEvent.get(event) ?? [], { to, now, thresholds, firstSeen, releases }),
  );
  return {
    generatedAt: new Date(now).toISOString(),
    ok: events.every((event) => !event.conversion || event.status === 'recording' || event.status === 'no_recent'),
    thresholds,
    releases: releases.map(([release, hour]) => ({ release, firstSeen: new Date(hour).toISOString() })),
    events,
  };
}

interface Context {
  readonly to: number;
  readonly now: number;
  readonly thresholds: HealthThresholds;
  readonly firstSeen: ReadonlyMap<string, number>;
  /** Releases first seen after the start of the range, oldest first. */
  readonly releases: readonly (readonly [string, number])[];
}

function judgeEvent(event: string, conversion: boolean, rows: readonly StatsRow[], context: Context): EventHealth {
  const { to, thresholds: t } = context;
  const between = (start: number, end: number) => rows.filter((row) => row.hour >= start && row.hour <= end);
  // Period k (0 = the last 24 h) covers the hours from to - 23 h - k days to to - k days.
  const period = (k: number) => between(to - 23 * HOUR_MS - k * DAY_MS, to - k * DAY_MS);
  const days = Array.from({ length: HEALTH_DAYS }, (_, k) => countsOf(period(k)));
  const last = days[0]!;
  const seen = rows.filter((row) => receivedOf(row) > 0);
  const firstHour = seen.reduce((first, row) => Math.min(first, row.hour), Infinity);
  // Baseline: the usual day, from the previous 7 periods the event was already being counted in.
  const history = [1, 2, 3, 4, 5, 6, 7].filter((k) => to - 23 * HOUR_MS - k * DAY_MS >= firstHour).map((k) => days[k]!.unique);
  const baseline = history.length > 0 ? { perDay: median(history), days: history.length } : null;
  const change = baseline && baseline.perDay > 0 ? last.unique / baseline.perDay - 1 : null;
  const judged = baseline !== null && baseline.perDay >= t.minBaseline;
  const lastRows = period(0);

  // The release after whose first hour the event's hourly volume turned, while before it had not.
  const startedBy = (turned: (perHour: number) => boolean): string | undefined => {
    if (!baseline) return undefined;
    const rate = (start: number, end: number) => countsOf(between(start, end)).unique / ((end - start) / HOUR_MS + 1) / (baseline.perDay / 24);
    const found = context.releases.filter(([, hour]) => hour < to && turned(rate(hour, to)) && !turned(rate(hour - DAY_MS, hour - HOUR_MS)));
    return found.at(-1)?.[0];
  };

  const releases: ReleaseHealth[] = [...new Set(lastRows.map((row) => row.release))].sort().map((release) => {
    const releaseRows = lastRows.filter((row) => row.release === release);
    const { expectedDuplicate: _, ...counts } = countsOf(releaseRows);
    const hour = context.firstSeen.get(release) ?? releaseRows.reduce((first, row) => Math.min(first, row.hour), Infinity);
    return { release, firstSeen: new Date(hour).toISOString(), counts, topIssue: issuesOf(releaseRows)[0] ?? null };
  });
  const destinations = destinationsOf(lastRows);

  const findings: HealthFinding[] = [];
  const add = (status: HealthStatus, release?: string) => findings.push({ status, ...(release && { release }), message: '' });
  const recentWeek = days.slice(0, 7).some((day) => day.received > 0);
  if (!recentWeek) add('inactive');
  const share = (part: number, whole: number) => (whole >= t.minEvents ? part / whole : 0);
  const invalid = releases
    .filter((r) => r.release !== '' && share(r.counts.rejected, r.counts.received) > t.rejectedShare)
    .sort((a, b) => (a.firstSeen < b.firstSeen ? -1 : 1));
  const newRelease = invalid.find((r) => context.releases.some(([name]) => name === r.release));
  if (share(last.rejected, last.received) > t.rejectedShare || invalid.length > 0) add('invalid_rising', newRelease?.release);
  const failing = destinations.filter((d) => share(d.failed, d.delivered + d.failed) > t.failureRate);
  if (failing.length > 0) add('delivery_failing');
  if (judged && last.unique < t.dropBelow * baseline.perDay) add('dropped', startedBy((ratio) => ratio < t.dropBelow));
  const spikes = judged && last.unique > t.spikeAbove * baseline.perDay;
  const doubles = share(last.duplicate - last.expectedDuplicate, last.received - last.rejected) > t.duplicateShare;
  if (spikes || doubles) add('spiking', spikes ? startedBy((ratio) => ratio > t.spikeAbove) : undefined);
  if (recentWeek && last.received === 0) add('no_recent');
  findings.sort((a, b) => HEALTH_PRECEDENCE.indexOf(a.status) - HEALTH_PRECEDENCE.indexOf(b.status));

  const lastSeen = lastSeenOf(rows);
  const topIssue = (newRelease ?? invalid[0])?.topIssue ?? issuesOf(lastRows)[0] ?? null;
  const { expectedDuplicate, ...last24h } = last;
  const facts = { event, last: last24h, expectedDuplicate, baseline, change, lastSeen, topIssue, worstDestination: failing.sort((a, b) => (b.failureRate ?? 0) - (a.failureRate ?? 0))[0], spikes };
  const described = findings.map((finding) => ({ ...finding, message: findingMessage(finding, facts) }));
  const status = described[0]?.status ?? 'recording';
  return {
    event,
    conversion,
    status,
    check: adviceFor(status, described[0]?.release, facts),
    findings: described,
    lastSeen: lastSeen === null ? null : new Date(lastSeen).toISOString(),
    last24h,
    baseline,
    change,
    release: described.find((finding) => finding.release)?.release ?? null,
    topIssue,
    releases,
    destinations,
    sources: {
      client: lastRows.filter((row) => row.source === 'client').reduce((sum, row) => sum + receivedOf(row), 0),
      server: lastRows.filter((row) => row.source === 'server').reduce((sum, row) => sum + receivedOf(row), 0),
    },
    daily: days.map((day, k) => ({ start: new Date(to - 23 * HOUR_MS - k * DAY_MS).toISOString(), unique: day.unique, rejected: day.rejected })).reverse(),
  };
}

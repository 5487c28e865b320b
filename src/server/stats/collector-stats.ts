import { definitionOf, type AnyContract } from '../../core/contract';
import type { Envelope } from '../../core/envelope';
import { TrackingError } from '../../core/errors';
import type { ForwardReport } from '../delivery/forward';
import { all, isPromise, type MaybePromise } from '../delivery/maybe-async';
import type { UserData } from '../delivery/server-destination';
import type { DedupeStore } from '../stores/dedupe-store';
import { memoryStatsStore } from './memory-stats-store';
import { openTelemetryRecorder } from './otel-metrics';
import { bump, CounterNames, matchKeysOf, StatsRows, type RowCounts } from './stats-rows';
import { hourOf, type StatsKey, type StatsStore, type StatsUpdate } from './stats-store';

/**
 * The counting options shared by `createCollector` and `createServerTracker`.
 *
 * @example
 * { stats: redisStatsStore(redis), openTelemetry: true }
 */
export interface StatsOptions {
  /**
   * Where the counters go: per event, UTC hour, release and source (see docs/stats.md). Default
   * `memoryStatsStore()`, this process only; `redisStatsStore(client)` shares them between
   * collectors and server trackers. `false` counts nothing (and records no OpenTelemetry metrics).
   * A failing or slow store never changes or delays an answer: each failure reaches `onError`.
   *
   * @example
   * createCollector({ contract, store, destinations, stats: redisStatsStore(redis, { prefix: 'shop:stats:' }) })
   */
  stats?: StatsStore | false;
  /**
   * Also records the counters as OpenTelemetry metrics (`conversion_kit.events`, `…deliveries`,
   * `…match_keys`, `…seen_both`) through `@opentelemetry/api`, when that optional peer dependency is
   * installed. Without it, or without an SDK, this costs nothing. Default `true`.
   *
   * @example
   * createCollector({ contract, store, openTelemetry: false })
   */
  openTelemetry?: boolean;
}

/** One refused envelope, as the collector counts it. */
export interface CountedRefusal {
  readonly event?: string;
  readonly release?: string;
  readonly reason: string;
  readonly errors: readonly string[];
}

/**
 * One valid envelope of a request: its answer, and its forwarding. Copies of one event in one batch
 * share one forwarding: only the first copy carries it, so that its deliveries count once.
 */
export interface CountedEvent {
  readonly envelope: Envelope;
  readonly outcome: 'sent' | 'duplicate' | 'pending' | 'skipped' | 'failed';
  readonly forwarding?: MaybePromise<ForwardReport>;
}

/** A forwarded envelope and the row it counts in. */
interface Forwarded {
  readonly row: RowCounts;
  readonly envelope: Envelope;
  readonly userData?: UserData;
}

/** What the server tracker did with one `track` call. */
export interface CountedTrack {
  readonly event: string;
  readonly status: 'sent' | 'duplicate' | 'pending' | 'skipped' | 'invalid' | 'failed';
  readonly envelope?: Envelope;
  readonly report?: ForwardReport;
  readonly reason?: string;
  readonly issues?: readonly string[];
  readonly userData?: UserData;
}

/** Counts a collector's requests, or a server tracker's calls, into one `add` each. */
export interface Counting {
  /** The store the counts go to (the default `memoryStatsStore()` when none was given): what health reads. */
  readonly stats: StatsStore;
  /** After the collector computed its answer: counts the request, in the background. */
  collected(refusals: readonly CountedRefusal[], events: readonly CountedEvent[]): void;
  /** After the server tracker's result: counts the call, in the background. */
  tracked(track: CountedTrack): void;
}

/**
 * The most distinct releases one collector counts per hour; later ones count as {@link OTHER_RELEASES}.
 * Anyone can post to the collector and invent valid release names: each would make rows that live as
 * long as the stats (35 days in Redis) and OpenTelemetry attribute values. A real site runs a few.
 */
export const MAX_RELEASES_PER_HOUR = 20;
/** The release under which releases past {@link MAX_RELEASES_PER_HOUR} in an hour are counted. */
export const OTHER_RELEASES = '(other)';

const OUTCOME_COUNTER = { sent: 'accepted', duplicate: 'duplicate', pending: 'pending', skipped: 'skipped', failed: 'failed' } as const;
/** How long an `add` may take before `onError` hears the store is slow (the add itself goes on). */
const SLOW_ADD_MS = 5000;
const HOUR = 60 * 60 * 1000;

interface CountingSetup extends StatsOptions {
  readonly contract: AnyContract;
  readonly source: StatsKey['source'];
  readonly release?: string;
  /** The dedup store: where `seen_both` claims which source reported a conversion first. */
  readonly store: DedupeStore;
  readonly dedupeWindowMs?: number;
  readonly onError?: (error: TrackingError) => void;
}

/**
 * The counting of one collector or server tracker, or `undefined` when `stats: false`. The updates
 * of one request are built in memory and given to the store in one `add`, after the answer: the
 * store never delays or changes it.
 */
export function createCounting(setup: CountingSetup): Counting | undefined {
  if (setup.stats === false) return undefined;
  const stats = setup.stats ?? memoryStatsStore();
  if (typeof stats.add !== 'function' || typeof stats.read !== 'function') {
    throw new TypeError('[conversion-kit] `stats` must be a stats store (memoryStatsStore() or redisStatsStore(client)) or false');
  }
  const metrics = setup.openTelemetry === false ? undefined : openTelemetryRecorder();
  const windowMs = setup.dedupeWindowMs ?? 48 * HOUR;
  const { contract, source } = setup;
  const names = new CounterNames();
  const known = (event: string | undefined) => (event !== undefined && definitionOf(contract, event) ? event : '');

  const report = (message: string, cause?: unknown) => {
    try {
      setup.onError?.(new TrackingError(message, 'destination_failed', '', [], undefined, cause));
    } catch {
      // The app's error callback failed; tracking goes on.
    }
  };

  // Adds still under way, oldest first; one timer watches the oldest, so a request costs no timer.
  const inFlight = new Set<{ readonly started: number; readonly rows: number }>();
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    const oldest = inFlight.values().next().value;
    if (!oldest || watchdog !== undefined) return;
    watchdog = setTimeout(() => {
      watchdog = undefined;
      const now = Date.now();
      for (const add of inFlight) {
        if (now - add.started < SLOW_ADD_MS) break;
        inFlight.delete(add);
        report(`the stats store did not answer within ${SLOW_ADD_MS} ms; counts of ${add.rows} rows may be lost`);
      }
      watch();
    }, Math.max(0, oldest.started + SLOW_ADD_MS - Date.now()));
    // Never holds a process open, where timers can be unreferenced (Node).
    (watchdog as { unref?: () => void }).unref?.();
  };

  const store = (updates: StatsUpdate[]) => {
    if (updates.length === 0) return;
    metrics?.(updates);
    const failed = (error: unknown) =>
      report(`the stats store failed, counts of ${updates.length} rows were lost: ${error instanceof Error ? error.message : String(error)}`, error);
    let pending: unknown;
    try {
      pending = stats.add(updates);
    } catch (error) {
      return failed(error);
    }
    if (!isPromise(pending)) return; // a synchronous store: done
    const add = { started: Date.now(), rows: updates.length };
    inFlight.add(add);
    watch();
    (pending as Promise<void>).then(
      () => inFlight.delete(add),
      (error: unknown) => {
        // Reported once: as slow, or as failed.
        if (inFlight.delete(add)) failed(error);
      },
    );
  };

  /**
   * Whether this report of a conversion is this source's first one: a claim of
   * `<event>:<eventId>:@<source>` in the dedup store. Asked only when it matters, so that the common
   * report (every destination took it as new, nothing to retry) costs no store operation: when some
   * destination had the event already or is delivering it (was it the other source? then
   * `seen_both`), or when some destination failed (a retry will follow: it must not count as the other
   * source). A synchronous store (memory) answers without a promise; Redis batches the claims of a
   * request into one round trip.
   */
  const firstFromSource = (envelope: Envelope): boolean | Promise<boolean> => {
    try {
      const answer = setup.store.claim(`${envelope.event}:${envelope.eventId}:@${source}`, windowMs, source);
      return isPromise(answer) ? Promise.resolve(answer).then((first) => first === true, () => false) : answer === true;
    } catch {
      return false; // the dedup store's failures reach onError through the deliveries already
    }
  };

  /**
   * Destination outcomes, match keys and event coverage of forwarded envelopes (`reports[i]` is the
   * report of `forwarded[i]`), then the one add.
   */
  const countForwardings = (rows: StatsRows, forwarded: readonly Forwarded[], reports: readonly ForwardReport[]) => {
    let coverage: { row: RowCounts; report: ForwardReport; earlier: boolean; seen: boolean | Promise<boolean> }[] | undefined;
    for (let i = 0; i < forwarded.length; i++) {
      const { row, envelope, userData } = forwarded[i]!;
      const outcome = reports[i]!;
      if (outcome.destinations.length === 0) continue;
      rows.destinations(row, outcome.destinations, matchKeysOf(envelope, userData));
      if (!envelope.conversion) continue;
      let earlier = false;
      let failed = false;
      for (const d of outcome.destinations) {
        if (d.status === 'duplicate' || d.status === 'pending') earlier = true;
        else if (d.status === 'failed') failed = true;
      }
      if (earlier || failed) (coverage ??= []).push({ row, report: outcome, earlier, seen: firstFromSource(envelope) });
    }
    if (!coverage) return store(rows.updates()); // the common case: every destination took it as new
    const finish = (seen: readonly boolean[]) => {
      seen.forEach((first, i) => {
        const { row, report: outcome, earlier } = coverage[i]!;
        if (!first || !earlier) return;
        bump(row, 'seen_both');
        if (outcome.destinations.some((d) => d.status === 'duplicate')) bump(row, 'seen_both_deduplicated');
      });
      store(rows.updates());
    };
    const seen = coverage.map((item) => item.seen);
    if (seen.some((both) => typeof both === 'object')) {
      Promise.all(seen).then(finish, (error: unknown) => report(`counting failed: ${String(error)}`, error));
    } else {
      finish(seen as boolean[]);
    }
  };

  // The releases counted this hour, for the cap.
  let releaseHour = 0;
  let releases = new Set<string>();
  const capped = (release: string | undefined, time: number): string => {
    if (!release) return '';
    const hour = hourOf(time);
    if (hour !== releaseHour) {
      releaseHour = hour;
      releases = new Set();
    }
    if (releases.has(release)) return release;
    if (releases.size >= MAX_RELEASES_PER_HOUR) return OTHER_RELEASES;
    releases.add(release);
    return release;
  };

  return {
    stats,
    collected(refusals, events) {
      const time = Date.now();
      const rows = new StatsRows(time, names);
      for (const refusal of refusals) {
        const row = rows.row(known(refusal.event), capped(refusal.release, time), source);
        bump(row, 'received');
        rows.rejected(row, refusal.reason, refusal.errors);
      }
      // Copies in one batch share one forwarding: its deliveries count once (only the first copy
      // carries it). A forwarding past requestTimeoutMs is counted when it ends; the answer has gone by then.
      const forwarded: Forwarded[] = [];
      const forwardings: MaybePromise<ForwardReport>[] = [];
      for (const { envelope, outcome, forwarding } of events) {
        const row = rows.row(envelope.event, capped(envelope.release, time), source);
        bump(row, 'received');
        bump(row, OUTCOME_COUNTER[outcome]);
        if (!forwarding) continue;
        forwarded.push({ row, envelope });
        forwardings.push(forwarding);
      }
      if (forwarded.length === 0) return store(rows.updates());
      const reports = all(forwardings);
      if (isPromise(reports)) reports.then((done) => countForwardings(rows, forwarded, done), (error: unknown) => report(`counting failed: ${String(error)}`, error));
      else countForwardings(rows, forwarded, reports);
    },
    tracked({ event, status, envelope, report: forwarded, reason, issues, userData }) {
      const rows = new StatsRows(Date.now(), names);
      const row = rows.row(known(event), setup.release ?? '', source);
      bump(row, 'received');
      if (status === 'invalid') {
        rows.rejected(row, reason ?? 'invalid_payload', issues ?? []);
        return store(rows.updates());
      }
      bump(row, OUTCOME_COUNTER[status]);
      if (!envelope || !forwarded) return store(rows.updates());
      countForwardings(rows, [{ row, envelope, ...(userData && { userData }) }], [forwarded]);
    },
  };
}

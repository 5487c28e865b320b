import { definitionOf, type AnyContract } from '../../core/contract';
import type { Envelope } from '../../core/envelope';
import { TrackingError } from '../../core/errors';
import type { ForwardReport } from '../delivery/forward';
import type { UserData } from '../delivery/server-destination';
import type { DedupeStore } from '../stores/dedupe-store';
import { memoryStatsStore } from './memory-stats-store';
import { openTelemetryRecorder } from './otel-metrics';
import { matchKeysOf, StatsRows } from './stats-rows';
import type { StatsKey, StatsStore, StatsUpdate } from './stats-store';

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

/** One valid envelope of a request: its answer, and its forwarding (shared by copies in one batch). */
export interface CountedEvent {
  readonly envelope: Envelope;
  readonly outcome: 'sent' | 'duplicate' | 'pending' | 'skipped' | 'failed';
  readonly forwarding?: Promise<ForwardReport>;
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
  const known = (event: string | undefined) => (event !== undefined && definitionOf(contract, event) ? event : '');

  const report = (message: string, cause?: unknown) => {
    try {
      setup.onError?.(new TrackingError(message, 'destination_failed', '', [], undefined, cause));
    } catch {
      // The app's error callback failed; tracking goes on.
    }
  };

  const store = (updates: StatsUpdate[]) => {
    if (updates.length === 0) return;
    metrics?.(updates);
    let settled = false;
    const slow = setTimeout(() => {
      settled = true;
      report(`the stats store did not answer within ${SLOW_ADD_MS} ms; counts of ${updates.length} rows may be lost`);
    }, SLOW_ADD_MS);
    // Never holds a process open, where timers can be unreferenced (Node).
    (slow as { unref?: () => void }).unref?.();
    const failed = (error: unknown) => {
      clearTimeout(slow);
      if (settled) return;
      settled = true;
      report(`the stats store failed, counts of ${updates.length} rows were lost: ${error instanceof Error ? error.message : String(error)}`, error);
    };
    try {
      Promise.resolve(stats.add(updates)).then(() => {
        clearTimeout(slow);
        settled = true;
      }, failed);
    } catch (error) {
      failed(error);
    }
  };

  /**
   * Whether a conversion reported now by this source was reported by the other one first: two claims
   * in the dedup store, this source's (new on its first report) and any source's (taken by whoever
   * reported first). Both go in the same turn, so a Redis store sends them in one round trip.
   */
  const seenBoth = async (envelope: Envelope): Promise<boolean> => {
    const key = `${envelope.event}:${envelope.eventId}`;
    const token = `stats:${source}`;
    try {
      const [own, any] = await Promise.all([
        setup.store.claim(`${key}:@${source}`, windowMs, token),
        setup.store.claim(`${key}:@any`, windowMs, token),
      ]);
      return own === true && any !== true;
    } catch {
      return false; // the dedup store's failures reach onError through the deliveries already
    }
  };

  /** Destination outcomes, match keys and event coverage of one forwarded envelope. */
  const countForwarding = async (rows: StatsRows, key: Omit<StatsKey, 'hour'>, envelope: Envelope, forwarded: ForwardReport, userData?: UserData) => {
    rows.destinations(key, forwarded.destinations, matchKeysOf(envelope, userData));
    if (!envelope.conversion || forwarded.destinations.length === 0) return;
    if (await seenBoth(envelope)) {
      rows.count(key, 'seen_both');
      if (forwarded.destinations.some((d) => d.status === 'duplicate')) rows.count(key, 'seen_both_deduplicated');
    }
  };

  const inBackground = (count: () => Promise<StatsUpdate[]>) => {
    count().then(store, (error: unknown) => report(`counting failed: ${String(error)}`, error));
  };

  return {
    stats,
    collected(refusals, events) {
      const rows = new StatsRows(Date.now());
      for (const refusal of refusals) {
        const key = { event: known(refusal.event), release: refusal.release ?? '', source };
        rows.count(key, 'received');
        rows.rejected(key, refusal.reason, refusal.errors);
      }
      const forwardings = new Set<Promise<ForwardReport>>();
      const pending: Promise<void>[] = [];
      for (const { envelope, outcome, forwarding } of events) {
        const key = { event: envelope.event, release: envelope.release ?? '', source };
        rows.count(key, 'received');
        rows.count(key, OUTCOME_COUNTER[outcome]);
        // Copies in one batch share one forwarding: its deliveries count once. A forwarding past
        // requestTimeoutMs is counted when it ends; the answer has gone by then.
        if (!forwarding || forwardings.has(forwarding)) continue;
        forwardings.add(forwarding);
        pending.push(forwarding.then((forwarded) => countForwarding(rows, key, envelope, forwarded)));
      }
      if (pending.length === 0) return store(rows.updates());
      inBackground(async () => {
        await Promise.all(pending);
        return rows.updates();
      });
    },
    tracked({ event, status, envelope, report: forwarded, reason, issues, userData }) {
      const rows = new StatsRows(Date.now());
      const key = { event: known(event), release: setup.release ?? '', source };
      rows.count(key, 'received');
      if (status === 'invalid') {
        rows.rejected(key, reason ?? 'invalid_payload', issues ?? []);
        return store(rows.updates());
      }
      rows.count(key, OUTCOME_COUNTER[status]);
      if (!envelope || !forwarded) return store(rows.updates());
      inBackground(async () => {
        await countForwarding(rows, key, envelope, forwarded, userData);
        return rows.updates();
      });
    },
  };
}

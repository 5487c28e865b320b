/**
 * Where the collector keeps its counters: one row per UTC hour, event, release and source, each row a
 * set of named counts and a few last values. `memoryStatsStore()` is the default; `redisStatsStore`
 * shares the rows between collectors. `collector.health()` judges what `read` returns.
 *
 * Counter names (a row's `counts`):
 * - `received`: envelopes read, valid or not;
 * - `accepted`, `duplicate`, `pending`, `skipped`, `failed`, `rejected`: the answer each envelope got,
 *   as counted in the collector's answer (the server tracker counts its statuses the same way);
 * - `rejected:<code>`: rejections by reason code, one per rejection: `invalid_envelope` (its shape,
 *   `eventId`, `timestamp`, `release`, …), `unknown_event`, `invalid_payload`, `invalid_proof`;
 *   `issue:<message>`: the schema issues behind them, the first three of each rejection
 *   (`purchase_completed.value: expected number`), at most {@link MAX_ISSUES_PER_ROW} per row;
 * - `dest:<destination>:<outcome>`: per destination, one outcome each: `delivered`, `duplicate`,
 *   `pending`, `failed` (not retryable), `failed_retryable` (a later report could deliver it), `skipped`
 *   (consent: denied or pending for its category). All failures: `failed` + `failed_retryable`;
 * - `dest:<destination>:key:<key>`: delivered events that carried a match key (`em`, `ph`, `fbc`,
 *   `fbp`, `gclid`, `gbraid`, `wbraid`, `ga_client_id`, `ga_session_id`);
 * - `seen_both`: conversions reported by this source after the other source's report reached a
 *   destination (Meta's event coverage; see docs/stats.md for how it is counted);
 *   `seen_both_deduplicated`: of those, the ones some destination had already (not only `pending`).
 *
 * Notes (a row's `notes`, last value wins): `last_seen` (epoch ms, as a string) and
 * `last_error:<destination>` (the last failure's reason).
 *
 * @example
 * const stats: StatsStore = memoryStatsStore();
 * await stats.add([{ hour: hourOf(Date.now()), event: 'purchase_completed', release: 'v42', source: 'client', counts: { received: 1, accepted: 1 } }]);
 * await stats.read({ from: hourOf(Date.now()) - 24 * HOUR_MS, to: hourOf(Date.now()) });
 */
export interface StatsStore {
  /**
   * Adds the counts of one collector request (or one server `track`): at most one round trip to a
   * shared store. The collector never waits on a failing store for its answer; it reports the error.
   */
  add(updates: readonly StatsUpdate[]): Promise<void> | void;
  /** The rows whose `hour` lies within `from` and `to`, both included, in no particular order. */
  read(range: { readonly from: number; readonly to: number }): Promise<readonly StatsRow[]> | readonly StatsRow[];
}

/** What one row is about. */
export interface StatsKey {
  /** Start of the UTC hour, epoch ms (see {@link hourOf}). */
  readonly hour: number;
  /** The contract's event name; `''` when the envelope's event could not be read or is not in the contract. */
  readonly event: string;
  /** The envelope's `release`; `''` when it carried none. */
  readonly release: string;
  /** Which side reported the events. */
  readonly source: 'client' | 'server';
}

/** Counts to add to one row, and last values to set on it. */
export interface StatsUpdate extends StatsKey {
  readonly counts: Readonly<Record<string, number>>;
  readonly notes?: Readonly<Record<string, string>>;
}

/** One row as read back. */
export interface StatsRow extends StatsKey {
  readonly counts: Readonly<Record<string, number>>;
  readonly notes: Readonly<Record<string, string>>;
}

/**
 * One hour in milliseconds.
 *
 * @example
 * stats.read({ from: hourOf(Date.now()) - 23 * HOUR_MS, to: Date.now() }) // the last 24 hours
 */
export const HOUR_MS = 3_600_000;

/** How many distinct `issue:` counters one row keeps; later issues count only under `rejected:`. */
export const MAX_ISSUES_PER_ROW = 20;

/**
 * The start of the UTC hour that contains `time`.
 *
 * @example
 * hourOf(Date.parse('2026-12-04T16:42:10Z')) === Date.parse('2026-12-04T16:00:00Z')
 */
export function hourOf(time: number): number {
  return time - (((time % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

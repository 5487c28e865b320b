/**
 * How one event of the contract is doing, the first that applies in this order (most specific cause
 * first, see {@link HEALTH_PRECEDENCE}):
 * - `inactive`: none in the last 7 days, or never seen;
 * - `invalid_rising`: the collector rejects more than `rejectedShare` of its reports in the last 24 h,
 *   overall or from one release (the top schema issue is named);
 * - `delivery_failing`: a destination failed more than `failureRate` of its deliveries in the last 24 h;
 * - `dropped`: the last 24 h are below `dropBelow` times the baseline (the usual day);
 * - `spiking`: above `spikeAbove` times the baseline, or more than `duplicateShare` duplicates;
 * - `no_recent`: none in the last 24 h but some in the last 7 days (normal for low volume);
 * - `recording`: healthy.
 *
 * @example
 * if (report.events.some((e) => e.conversion && e.status === 'dropped')) page(oncall);
 */
export type HealthStatus = 'recording' | 'no_recent' | 'inactive' | 'dropped' | 'spiking' | 'invalid_rising' | 'delivery_failing';

/**
 * Which status an event gets when several apply: the first of this list. A cause (invalid payloads, a
 * failing destination) comes before its effect on the volume (a drop).
 *
 * @example
 * HEALTH_PRECEDENCE[0] === 'inactive'
 */
export const HEALTH_PRECEDENCE: readonly HealthStatus[] = ['inactive', 'invalid_rising', 'delivery_failing', 'dropped', 'spiking', 'no_recent', 'recording'];

/**
 * When `judgeHealth` raises a status. Shares are fractions (0.05 is 5%). Every option has a default.
 *
 * @example
 * createCollector({ contract, store, healthToken, healthThresholds: { dropBelow: 0.3, minBaseline: 50 } })
 */
export interface HealthThresholds {
  /** `dropped` below this fraction of the baseline. Default 0.5. */
  readonly dropBelow: number;
  /** `spiking` above this multiple of the baseline. Default 2. */
  readonly spikeAbove: number;
  /** The smallest baseline (events on a usual day) judged for `dropped` and `spiking`, so low volume does not alarm. Default 20. */
  readonly minBaseline: number;
  /** `spiking` when more than this share of an event's valid reports are duplicates (browser and server reporting the same event excepted). Default 0.2. */
  readonly duplicateShare: number;
  /** `invalid_rising` when more than this share of the reports of the last 24 h, or of one release's, is rejected. Default 0.05. */
  readonly rejectedShare: number;
  /** `delivery_failing` when a destination fails more than this share of its deliveries. Default 0.1. */
  readonly failureRate: number;
  /** The fewest reports (or deliveries) a share is judged on. Default 10. */
  readonly minEvents: number;
}

/** The defaults of {@link HealthThresholds}. */
export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  dropBelow: 0.5,
  spikeAbove: 2,
  minBaseline: 20,
  duplicateShare: 0.2,
  rejectedShare: 0.05,
  failureRate: 0.1,
  minEvents: 10,
};

/** The reports of one event in a window. `unique` (valid, not duplicates) is what volume is judged on. */
export interface HealthCounts {
  readonly received: number;
  readonly rejected: number;
  readonly duplicate: number;
  readonly unique: number;
}

/** One destination's deliveries of one event in the last 24 h. */
export interface DestinationHealth {
  readonly destination: string;
  readonly delivered: number;
  readonly duplicate: number;
  readonly pending: number;
  /** Failures, retryable or not. */
  readonly failed: number;
  readonly failedRetryable: number;
  /** Held back by consent. */
  readonly skipped: number;
  /** `failed / (delivered + failed)`; `null` before any delivery. */
  readonly failureRate: number | null;
  /** The last failure's reason, when one was recorded. */
  readonly lastError: string | null;
  /** The share of delivered events that carried each match key (`em`, `fbc`, `gclid`, ...). */
  readonly keyCoverage: Readonly<Record<string, number>>;
}

/** One release's reports of one event in the last 24 h. `release` is `''` for reports without one. */
export interface ReleaseHealth {
  readonly release: string;
  /** When any event first came with this release, as far back as the report looks (ISO time). */
  readonly firstSeen: string;
  readonly counts: HealthCounts;
  /** The most frequent schema issue of its rejections, with its count. */
  readonly topIssue: { readonly message: string; readonly count: number } | null;
}

/** One status that applies to an event, with why. */
export interface HealthFinding {
  readonly status: HealthStatus;
  /** What was seen, in a sentence. */
  readonly message: string;
  /** The release that started it, when one did. */
  readonly release?: string;
}

/** One event of the contract in the report. */
export interface EventHealth {
  readonly event: string;
  /** `conversion: true` in the contract. */
  readonly conversion: boolean;
  readonly status: HealthStatus;
  /** What to check first, in a sentence. */
  readonly check: string;
  /** Every status that applies, in precedence order; the first is `status` (empty when `recording`). */
  readonly findings: readonly HealthFinding[];
  /** The latest report (ISO time), `null` when none in the 14 days read. */
  readonly lastSeen: string | null;
  /** The last 24 h. */
  readonly last24h: HealthCounts;
  /** Events on a usual day: the median of the same 24 hours on each of the previous 7 days; `null` while there is no full day of history. */
  readonly baseline: { readonly perDay: number; readonly days: number } | null;
  /** `last24h.unique` against the baseline (-0.5 is half), `null` without a baseline. */
  readonly change: number | null;
  /** The release named by the first finding that names one. */
  readonly release: string | null;
  /** The most frequent schema issue of the last 24 h (`purchase_completed.value: expected number`). */
  readonly topIssue: { readonly message: string; readonly count: number } | null;
  readonly releases: readonly ReleaseHealth[];
  readonly destinations: readonly DestinationHealth[];
  /** Reports by source in the last 24 h. */
  readonly sources: { readonly client: number; readonly server: number };
  /** 14 periods of 24 h, oldest first, the last one being `last24h`: for a sparkline. */
  readonly daily: readonly { readonly start: string; readonly unique: number; readonly rejected: number }[];
}

/**
 * What `collector.health()` and `judgeHealth` return; the health route's JSON.
 *
 * @example
 * const report = await collector.health();
 * for (const event of report.events) console.log(event.event, event.status, event.check);
 */
export interface HealthReport {
  /** When the report was made (ISO time). */
  readonly generatedAt: string;
  /** `true` when every conversion is `recording` or `no_recent`. */
  readonly ok: boolean;
  readonly thresholds: HealthThresholds;
  /** Releases first seen within the 14 days read, oldest first (releases already there at the start are left out). */
  readonly releases: readonly { readonly release: string; readonly firstSeen: string }[];
  /** Every event of the contract, conversions first. */
  readonly events: readonly EventHealth[];
}

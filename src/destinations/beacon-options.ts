import type { ConsentCategory } from '../core/consent';
import type { KeyValueStorage } from '../core/storage';

/**
 * Options of the `beacon` destination.
 *
 * @example
 * beacon({ url: '/api/collect', batchSize: 20, flushIntervalMs: 1000 })
 */
export interface BeaconOptions {
  /**
   * The collector's URL (same origin, or one that allows the origin).
   *
   * @example
   * url: '/api/collect'
   */
  url: string;
  /**
   * Events per request, fetch or exit beacon (and at most 64 KiB of them); a full batch goes at once.
   * Keep it at or below the collector's `maxEvents` (default 50). Default 20.
   *
   * @example
   * batchSize: 50
   */
  batchSize?: number;
  /**
   * How long an event may wait for others to fill a batch. Default 1000 ms.
   *
   * @example
   * flushIntervalMs: 2000
   */
  flushIntervalMs?: number;
  /**
   * The most events kept waiting (memory and storage). Default 200.
   *
   * @example
   * maxEvents: 500
   */
  maxEvents?: number;
  /**
   * The most bytes of events kept waiting. Default 256 KiB.
   *
   * @example
   * maxBytes: 512 * 1024
   */
  maxBytes?: number;
  /**
   * A request unanswered after this counts as failed and is retried. Default 10 000 ms. Needs
   * `AbortSignal.timeout` (every current browser); without it a request waits for its answer.
   *
   * @example
   * timeoutMs: 5000
   */
  timeoutMs?: number;
  /**
   * First retry delay; it doubles per failure, with jitter. Default 1000 ms.
   *
   * @example
   * backoffMs: 500
   */
  backoffMs?: number;
  /**
   * The longest retry delay. Default 60 000 ms.
   *
   * @example
   * maxBackoffMs: 300_000
   */
  maxBackoffMs?: number;
  /**
   * How many answers may name one event retryable (a platform behind the collector failed for now,
   * or another delivery of it is still `pending` there) before it fails with the collector's reason.
   * A collector that is unreachable or answers 5xx does not count: `maxAgeMs` ends that. Default 10.
   *
   * @example
   * maxAttempts: 20
   */
  maxAttempts?: number;
  /**
   * An event still unsent this long after it was tracked fails as expired (on this page or a later
   * one). Default 7 days, the longest any platform takes a late event (Meta).
   *
   * @example
   * maxAgeMs: 72 * 3600_000 // GA4's limit
   */
  maxAgeMs?: number;
  /**
   * Where unsent events survive a reload. Default `localStorage`; a missing, blocked or full one degrades to memory.
   *
   * @example
   * storage: sessionStorage
   */
  storage?: KeyValueStorage;
  /**
   * The consent category the collector needs. Default `'analytics'`.
   *
   * @example
   * consent: 'none' // strictly necessary processing, e.g. fraud checks
   */
  consent?: ConsentCategory | 'none';
  /**
   * Told about events that no tracker record covers: a previous page's events, when the bounds or a
   * consent denial drop them.
   *
   * @example
   * onError: (error) => Sentry.captureException(error)
   */
  onError?: (error: Error) => void;
}

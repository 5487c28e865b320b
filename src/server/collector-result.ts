import type { Envelope } from '../core/envelope';
import type { ForwardReport } from './forward';

/**
 * One refused envelope in the answer, by its index in the batch.
 *
 * @example
 * { index: 1, event: 'purchase_completed', eventId: 'cef43733-…', errors: ['purchase_completed.value: Too small: expected number to be >=0'] }
 */
export interface RejectedEvent {
  readonly index: number;
  readonly eventId?: string;
  readonly event?: string;
  readonly errors: readonly string[];
}

/**
 * One valid envelope some destination could not take, by its index in the batch. `retryable`: whether
 * sending it again (same eventId) could deliver it; false when every failure was permanent (an event
 * older than the platform takes, a 4xx).
 *
 * @example
 * { index: 0, event: 'purchase_completed', eventId: 'cef43733-…', errors: ['meta-conversions-api: … answered 503'], retryable: true }
 */
export interface FailedEvent extends RejectedEvent {
  readonly retryable: boolean;
}

/**
 * The 200 answer. Each envelope of the batch is counted once, in the first that applies: `rejected`
 * (the contract or the format refused it), `failed` (some destination could not take it: if
 * `retryable`, send it again; only the failed destinations will get it), `accepted` (some destination
 * took it as new), `duplicates` (some destination had it already), `skipped` (consent kept it from
 * every destination). So `accepted + duplicates + skipped + rejected.length + failed.length` is the
 * number of envelopes.
 *
 * @example
 * { accepted: 2, duplicates: 1, skipped: 0, rejected: [], failed: [] }
 */
export interface CollectorResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly skipped: number;
  readonly rejected: readonly RejectedEvent[];
  readonly failed: readonly FailedEvent[];
}

/** Counts each forwarded envelope once, in the bucket its report's status names, beside `rejected`. */
export function summarise(
  valid: readonly { index: number; envelope: Envelope }[],
  reports: readonly ForwardReport[],
  rejected: readonly RejectedEvent[],
): CollectorResult {
  const failed: FailedEvent[] = [];
  const counts = { sent: 0, duplicate: 0, skipped: 0 };
  reports.forEach((forwarded, i) => {
    const { index, envelope } = valid[i]!;
    if (forwarded.status !== 'failed') {
      counts[forwarded.status]++;
      return;
    }
    const failures = forwarded.destinations.filter((d) => d.status === 'failed');
    const errors = failures.map((d) => `${d.destination}: ${d.reason}`);
    // Worth sending again when at least one failed destination could take it later.
    const retryable = failures.some((d) => d.retryable !== false);
    failed.push({ index, eventId: envelope.eventId, event: envelope.event, errors, retryable });
  });
  return { accepted: counts.sent, duplicates: counts.duplicate, skipped: counts.skipped, rejected, failed };
}

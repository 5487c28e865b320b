import type { Envelope } from '../../core/envelope';
import type { ForwardReport } from '../delivery/forward';

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
 * One valid envelope not delivered yet to some destination because a delivery of it is still under
 * way (this request's, past `requestTimeoutMs`, or another report's). Not a duplicate: that delivery
 * may still fail. Send it again (same eventId) after `retryAfterMs`; it is then a duplicate if the
 * delivery succeeded, or delivered if it failed.
 *
 * @example
 * { index: 0, event: 'purchase_completed', eventId: 'cef43733-…', retryAfterMs: 5000, reason: 'still being delivered' }
 */
export interface PendingEvent {
  readonly index: number;
  readonly eventId: string;
  readonly event: string;
  readonly retryAfterMs: number;
  readonly reason: string;
}

/**
 * Why an envelope counted in `skipped` was held back, when the page could act on it.
 *
 * @example
 * { index: 0, event: 'purchase_completed', eventId: 'cef43733-…', reason: "purchase_completed is confirmedBy: 'server' …" }
 */
export interface CollectorNote {
  readonly index: number;
  readonly eventId: string;
  readonly event: string;
  readonly reason: string;
}

/**
 * The 200 answer. Each envelope of the batch is counted once, in the first that applies: `rejected`
 * (the contract or the format refused it), `failed` (some destination could not take it: if
 * `retryable`, send it again; only the failed destinations will get it), `pending` (a delivery is
 * still under way: send it again after `retryAfterMs`), `accepted` (some destination took it as new),
 * `duplicates` (some destination had it already), `skipped` (consent, or `confirmedBy: 'server'`,
 * kept it from every destination; `notes` says why when it is not consent). So
 * `accepted + duplicates + skipped + rejected.length + failed.length + pending.length` is the number
 * of envelopes.
 *
 * @example
 * { accepted: 2, duplicates: 1, skipped: 0, rejected: [], failed: [], pending: [], notes: [] }
 */
export interface CollectorResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly skipped: number;
  readonly rejected: readonly RejectedEvent[];
  readonly failed: readonly FailedEvent[];
  readonly pending: readonly PendingEvent[];
  readonly notes: readonly CollectorNote[];
}

/** How long a page waits before it reports a pending event again. */
export const PENDING_RETRY_MS = 5000;

/** Counts each forwarded envelope once, in the bucket its report's status names, beside `rejected`. */
export function summarise(
  valid: readonly { index: number; envelope: Envelope }[],
  reports: readonly (ForwardReport & { reason?: string })[],
  rejected: readonly RejectedEvent[],
): CollectorResult {
  const failed: FailedEvent[] = [];
  const pending: PendingEvent[] = [];
  const notes: CollectorNote[] = [];
  const counts = { sent: 0, duplicate: 0, skipped: 0 };
  reports.forEach((forwarded, i) => {
    const { index, envelope } = valid[i]!;
    const { eventId, event } = envelope;
    if (forwarded.reason !== undefined) notes.push({ index, eventId, event, reason: forwarded.reason });
    if (forwarded.status === 'pending') {
      const reason = forwarded.destinations.find((d) => d.status === 'pending')?.reason ?? 'still being delivered when the collector answered (requestTimeoutMs)';
      pending.push({ index, eventId, event, retryAfterMs: PENDING_RETRY_MS, reason });
      return;
    }
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
  return { accepted: counts.sent, duplicates: counts.duplicate, skipped: counts.skipped, rejected, failed, pending, notes };
}

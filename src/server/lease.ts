import { ForwardError } from './post-json';
import type { ServerDestination } from './server-destination';

/**
 * The time kept back at the end of a lease: a delivery is cut off this long before its claim expires,
 * so the claim can still be released or extended while it is ours. A tenth of the lease, at most 5 s.
 */
export function leaseMargin(leaseMs: number): number {
  return Math.min(5000, Math.ceil(leaseMs / 10));
}

/**
 * Refuses, at creation, a destination that says it may take longer than a leased delivery may last:
 * it would be cut off before its last attempt, every time the platform is slow.
 */
export function checkFitsLease(destinations: readonly ServerDestination[], leaseMs: number): void {
  const budgetMs = leaseMs - leaseMargin(leaseMs);
  for (const destination of destinations) {
    const longest = destination.maxDurationMs;
    if (typeof longest === 'number' && longest > budgetMs) {
      throw new TypeError(
        `[conversion-kit] ${destination.name} may take up to ${longest} ms (all attempts, backoff and Retry-After waits), ` +
          `more than a delivery may last under leaseMs ${leaseMs} (${budgetMs} ms, the lease minus a ${leaseMs - budgetMs} ms margin); ` +
          'raise leaseMs, or lower timeoutMs, retries or maxRetryAfterMs of that destination',
      );
    }
  }
}

/**
 * Settles as `delivery` does, or rejects with a retryable {@link ForwardError} once `signal` aborts: a
 * destination that ignores the signal is not waited for past its lease.
 */
export function untilLeaseEnds(delivery: Promise<void>, signal: AbortSignal, destination: string, leaseMs: number): Promise<void> {
  delivery.catch(() => {}); // it may still fail after the cut-off: nobody listens then
  return new Promise<void>((resolve, reject) => {
    const cutOff = () =>
      reject(
        new ForwardError(
          `${destination} did not finish within the dedup lease (leaseMs ${leaseMs} minus a ${leaseMargin(leaseMs)} ms margin) and was stopped, ` +
            'so that no other instance delivers the event at the same time; report it again',
          true,
        ),
      );
    if (signal.aborted) return cutOff();
    signal.addEventListener('abort', cutOff, { once: true });
    delivery.then(resolve, reject).finally(() => signal.removeEventListener('abort', cutOff));
  });
}

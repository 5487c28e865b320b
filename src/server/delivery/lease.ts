import type { SendResult } from '../../core/destination';
import { isPromise } from './maybe-async';
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

interface Watched {
  readonly deadline: number;
  cutOff(): void;
}

/**
 * Runs deliveries under a lease: each gets an `AbortSignal` (created only if the destination reads
 * it) that aborts before the lease ends, and is cut off then (a retryable {@link ForwardError}) even
 * if it ignores the signal. One watchdog timer serves every delivery in flight, checked every
 * `min(1 s, margin / 2)`: a timer or `AbortSignal.timeout` per delivery would live for the whole lease.
 */
export function leaseWatchdog(leaseMs: number) {
  const margin = leaseMargin(leaseMs);
  const budgetMs = leaseMs - margin;
  const periodMs = Math.max(1, Math.min(1000, Math.floor(margin / 2)));
  // Insertion order is deadline order (one budget for all): a sweep stops at the first live one.
  const inFlight = new Set<Watched>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const sweep = () => {
    const now = Date.now();
    for (const watched of inFlight) {
      if (watched.deadline > now) break;
      inFlight.delete(watched);
      watched.cutOff();
    }
    if (inFlight.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return <Context extends object>(
    destination: ServerDestination,
    send: (context: Context & { signal: AbortSignal }) => ReturnType<ServerDestination['send']>,
    context: Context,
  ): void | SendResult | Promise<void | SendResult> => {
    let controller: AbortController | undefined;
    // The context with a `signal` made on first read. Built as a literal and copied key by key: a
    // spread followed by a property (or defineProperty on it) takes a slow path in V8, three times as long.
    const withSignal: Record<string, unknown> = {
      get signal() {
        return (controller ??= new AbortController()).signal;
      },
    };
    for (const key in context) if (key !== 'signal') withSignal[key] = context[key];
    // A delivery done synchronously (or throwing) is over before any lease could end: nothing to watch.
    const sending = send(withSignal as Context & { signal: AbortSignal });
    if (!isPromise(sending)) return sending;
    return new Promise<void | SendResult>((resolve, reject) => {
      const watched: Watched = {
        deadline: Date.now() + budgetMs,
        cutOff() {
          controller?.abort(new DOMException('the dedup lease ends', 'TimeoutError'));
          reject(
            new ForwardError(
              `${destination.name} did not finish within the dedup lease (leaseMs ${leaseMs} minus a ${margin} ms margin) and was stopped, ` +
                'so that no other instance delivers the event at the same time; report it again',
              true,
            ),
          );
        },
      };
      inFlight.add(watched);
      if (!timer) {
        timer = setInterval(sweep, periodMs);
        (timer as { unref?: () => void }).unref?.();
      }
      const settle = () => void inFlight.delete(watched);
      // A delivery may still fail after its cut-off: nobody listens then.
      Promise.resolve(sending).then(
        (result) => (settle(), resolve(result)),
        (error: unknown) => (settle(), reject(error)),
      );
    });
  };
}

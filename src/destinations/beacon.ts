import type { ConsentValue } from '../core/consent';
import type { Destination } from '../core/destination';
import { createBeaconQueue, type QueuedEvent } from './beacon-queue';
import { batchBytes, beaconBatch, KEEPALIVE_QUOTA, postBatch, type BatchOutcome } from './beacon-transport';
import type { BeaconOptions } from './beacon-options';
import { identityOf } from './identity';

/**
 * First-party delivery to your collector, built to survive page exits. Events are batched in memory
 * and mirrored to storage; batches go as `POST { "v": 1, "events": [envelope, ...] }`
 * (`application/json`) and are retried with exponential backoff and jitter on network errors,
 * timeouts, 408, 429 and 5xx (a 413 halves the batch). When the page is hidden or left
 * (`visibilitychange` to hidden, `pagehide`; never `unload`, which breaks the back/forward cache) what
 * waits goes with `navigator.sendBeacon`, conversions first, within the 64 KiB keepalive quota (a
 * refused beacon falls back to `fetch` with `keepalive`). What could not go, and what went by beacon
 * (whose answer no page sees), stays in storage for the next page to send and confirm, however old (a late conversion is still a conversion: apply each platform's time window on the
 * server). Bounded by `maxEvents` and `maxBytes`: the oldest supporting events are dropped first, a
 * conversion only when nothing else is left, and each drop fails that event's send (a `failed`
 * record). Each envelope gains `identity` (GA4 client id from `_ga`, Meta `fbp`/`fbc`) when present.
 * A send resolves (a `delivered` record) once the collector stored the event or the browser took the
 * beacon.
 *
 * @example
 * createTracker({ contract, destinations: [beacon({ url: '/api/collect' })] });
 */
export function beacon(options: BeaconOptions): Destination {
  const { url, batchSize = 20, flushIntervalMs = 1000, maxEvents = 200, maxBytes = 262144 } = options;
  const { timeoutMs = 1e4, backoffMs = 1000, maxBackoffMs = 6e4, consent: category = 'analytics' } = options;
  const queue = createBeaconQueue(() => options.storage ?? localStorage, `conversion-kit:beacon:${url}`, maxEvents, maxBytes);
  let allowed: ConsentValue = 'granted';
  let adopted = false;
  let failures = 0;
  let retryAt = 0;
  let limit = batchSize;
  let keepaliveBytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = Infinity;
  let inFlight: Promise<boolean> | undefined;

  const idle = () => queue.items.filter((i) => !i.sending);
  const fail = (items: readonly QueuedEvent[], reason: string) => {
    for (const { envelope, settle } of items) {
      const error = new Error(`${envelope.event} ${envelope.eventId} not sent to ${url}: ${reason}`);
      try {
        (settle ?? options.onError)?.(error);
      } catch {
        // The app's callback failed; delivery goes on.
      }
    }
  };
  const schedule = (delay: number) => {
    const at = Math.max(Date.now() + delay, retryAt);
    if (allowed !== 'granted' || !idle().length || (timer && due <= at)) return;
    clearTimeout(timer);
    due = at;
    timer = setTimeout(() => {
      timer = undefined;
      due = Infinity;
      void post();
    }, at - Date.now());
  };
  const mark = (items: readonly QueuedEvent[], sending: boolean, bytes: number) => {
    for (const i of items) i.sending = sending;
    keepaliveBytes += sending ? bytes : -bytes;
  };

  /** Applies the collector's answer; `true` when the batch is settled for good. */
  const settle = (batch: readonly QueuedEvent[], outcome: BatchOutcome): boolean => {
    const { rejected } = outcome;
    if (!rejected && outcome.retry && !(outcome.reason.startsWith('HTTP 413') && batch.length < 2)) {
      if (outcome.reason.startsWith('HTTP 413')) limit = Math.ceil(batch.length / 2);
      else {
        const delay = Math.min(maxBackoffMs, backoffMs * 2 ** failures++);
        retryAt = Date.now() + delay / 2 + (Math.random() * delay) / 2; // exponential, with jitter
      }
      schedule(0);
      return false;
    }
    failures = retryAt = 0;
    queue.remove(batch);
    batch.forEach((item, index) => {
      if (!rejected) fail([item], `the collector refused the batch: ${outcome.reason}`);
      else if (index in rejected) fail([item], `the collector rejected it: ${JSON.stringify(rejected[index])}`);
      else item.settle?.();
    });
    schedule(0);
    return true;
  };

  const post = (): Promise<boolean> =>
    (inFlight ??= (async () => {
      const batch = idle().slice(0, limit);
      if (allowed !== 'granted' || !batch.length) return false;
      const bytes = batchBytes(batch);
      const keepalive = bytes <= KEEPALIVE_QUOTA - keepaliveBytes; // survives a navigation, within the quota
      mark(batch, true, keepalive ? bytes : 0);
      const outcome = await postBatch(url, batch, timeoutMs, keepalive);
      mark(batch, false, keepalive ? bytes : 0);
      return settle(batch, outcome);
    })().finally(() => (inFlight = undefined)));

  /** The page is being hidden or left: hand what waits to the browser, conversions first. */
  const hide = () => {
    if (allowed !== 'granted') return;
    clearTimeout(timer);
    timer = undefined;
    due = Infinity;
    let room = KEEPALIVE_QUOTA - keepaliveBytes - 20;
    const batch = idle()
      .sort((a, b) => Number(b.envelope.conversion) - Number(a.envelope.conversion))
      .filter((i) => i.bytes < room && (room -= i.bytes + 1) >= 0);
    if (!batch.length) return;
    if (beaconBatch(url, batch)) {
      // Queued by the browser, answer unseen (a 5xx would be lost): the next page resends the stored
      // copy and the collector, idempotent by eventId, keeps one. At least once, never lost.
      queue.remove(batch, true);
      for (const i of batch) i.settle?.();
    } else {
      // Refused (quota) or no sendBeacon: a keepalive fetch. Should the page die first, storage still
      // holds the batch and the next page resends it (the collector dedups by eventId).
      const bytes = batchBytes(batch);
      mark(batch, true, bytes);
      void postBatch(url, batch, timeoutMs, true).then((outcome) => settle(batch, (mark(batch, false, bytes), outcome)));
    }
    schedule(flushIntervalMs); // what did not fit, should the page live on
  };

  /** Resends what a previous page (or another tab) left, once this page may send. */
  const adopt = () => {
    if (adopted || allowed !== 'granted') return;
    adopted = true;
    fail(queue.adopt(), 'dropped on reload, over the bounds');
    schedule(0);
  };

  if (globalThis.document) {
    addEventListener('pagehide', hide);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && hide());
    setTimeout(adopt); // after the tracker told its initial consent
  }

  return {
    name: 'beacon',
    consent: category,
    send(envelope) {
      allowed = 'granted'; // the tracker sends only what consent allows
      const identity = envelope.identity ?? identityOf(envelope.campaign);
      return new Promise<void>((resolve, reject) => {
        const evicted = queue.add(identity ? { ...envelope, identity } : envelope, (error) => (error ? reject(error) : resolve()));
        fail(evicted, `dropped, over ${maxEvents} events or ${maxBytes} bytes waiting`);
        schedule(idle().length >= limit ? 0 : flushIntervalMs);
      });
    },
    updateConsent(state) {
      if (category === 'none') return;
      allowed = state[category];
      if (allowed === 'granted') adopt();
      schedule(0);
      if (allowed !== 'denied') return;
      const dropped = idle();
      queue.remove(dropped);
      fail(dropped, 'dropped, consent withdrawn');
    },
    async flush() {
      retryAt = 0; // an explicit flush does not wait out a backoff
      while (allowed === 'granted' && (inFlight || idle().length)) {
        if (inFlight) await inFlight;
        else if (!(await post())) return;
      }
    },
  };
}

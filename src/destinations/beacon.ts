import type { Destination } from '../core/destination';
import type { Envelope } from '../core/envelope';
import { readJson, resilientStorage } from '../core/storage';
import type { BeaconOptions } from './beacon-options';
import { identityOf } from './identity';

/** One event waiting for the collector. */
interface Waiting {
  readonly envelope: Envelope;
  /** The envelope as sent, serialised once. */
  readonly json: string;
  /** UTF-8 bytes of `json`: what counts against the bounds and the 64 KiB keepalive quota. */
  readonly bytes: number;
  /** Settles this page's `send` (the tracker's record); absent for a previous page's events. */
  readonly settle?: (error?: Error) => void;
  /** In a request still unanswered, or handed to `sendBeacon` (whose answer no page sees). */
  state?: 'sending' | 'beaconed';
}

/** The batch body shared with the collector: `{"v":1,"events":[envelope,...]}` (20 bytes around the events). */
const body = (batch: readonly Waiting[]) => `{"v":1,"events":[${batch.map((w) => w.json)}]}`;

/**
 * The first events whose batch fits 64 KiB: the quota browsers share between beacons and keepalive
 * fetches, and the collector's default body limit. At least one: a bigger event goes alone.
 */
const within = (list: readonly Waiting[], max = 1e9) => {
  let room = 65516;
  return list.filter((w, index) => index < max && ((room -= w.bytes + 1) >= 0 || !index));
};

/** Supporting events before conversions, oldest first within each (a stable sort). */
const supportingFirst = (a: Waiting, b: Waiting) => +a.envelope.conversion - +b.envelope.conversion;

/**
 * First-party delivery to your collector, built to survive page exits. Events are batched in memory
 * and mirrored to storage; batches (at most `batchSize` events and 64 KiB) go as
 * `POST { "v": 1, "events": [envelope, ...] }` (`application/json`, `keepalive`). A 2xx stores them
 * (but for those its `rejected` list names, which fail, and those its `failed` list marks
 * `retryable`, which are sent again later: a platform behind the collector was down); a network error, a timeout, 408, 429 or
 * 5xx is retried with exponential backoff and jitter; any other status fails the batch. When the
 * page is hidden or left (`visibilitychange` to hidden, `pagehide`; never `unload`, which breaks the
 * back/forward cache) what waits goes with `navigator.sendBeacon`, conversions first, within 64 KiB
 * (a refused beacon falls back to a keepalive `fetch`). No page sees a beacon's answer, so those
 * events stay queued and stored until a `fetch` confirms them: from this page should it live on,
 * else from the next. Bounded by `maxEvents` and `maxBytes`: the oldest supporting events are
 * dropped first, a conversion only when nothing else is left, and each drop fails that event's send
 * (a `failed` record). Each envelope gains `identity` (GA4 client id from `_ga`, Meta `fbp`/`fbc`)
 * when present. A send resolves (a `delivered` record) once the collector stored the event or the
 * browser took the beacon. Delivery is at least once; the collector keeps one copy per `eventId`.
 *
 * Storage holds one queue per collector URL, shared by the site's tabs: before writing, a page
 * adopts what it finds there and does not know (a previous page's events, another tab's), so no
 * write erases an event; two open tabs may then both send it. A storage that is missing, blocked or
 * full (`QuotaExceededError`) only loses the mirror.
 *
 * @example
 * createTracker({ contract, destinations: [beacon({ url: '/api/collect' })] });
 */
export function beacon(options: BeaconOptions): Destination {
  const { url, batchSize = 20, flushIntervalMs = 1000, maxEvents = 200, maxBytes = 262144 } = options;
  const { timeoutMs = 1e4, backoffMs = 1000, maxBackoffMs = 6e4, consent = 'analytics' } = options;
  const storage = resilientStorage(() => options.storage ?? localStorage);
  const key = 'conversion-kit:beacon:' + url;
  let queue: Waiting[] = [];
  let written: string | null = null; // what this page last wrote to storage
  let granted = true;
  let failures = 0;
  let retryAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let posting: Promise<unknown> = Promise.resolve();

  const waiting = (envelope: Envelope, settle?: Waiting['settle']): Waiting => {
    const json = JSON.stringify(envelope);
    return { envelope, json, bytes: new TextEncoder().encode(json).length, settle };
  };
  const idle = () => queue.filter((w) => w.state !== 'sending');

  /**
   * Takes an event out of the queue. With a reason, fails its send (a `failed` record) or, for a
   * previous page's event, tells `onError`; without, resolves the send (a `delivered` record).
   */
  const finish = (done: Waiting, reason?: string) => {
    queue = queue.filter((w) => w !== done);
    const error = reason ? new Error(`${done.envelope.event} ${done.envelope.eventId}: ${reason}`) : undefined;
    try {
      if (done.settle) done.settle(error);
      else if (error) options.onError?.(error);
    } catch {
      // The app's callback failed; delivery goes on.
    }
  };

  /** Adopts what storage holds and this page does not, applies the bounds, writes the queue back. */
  const save = () => {
    if (storage.getItem(key) !== written) {
      // Changed since this page wrote it: a previous page's events, or another tab's. Storage is
      // user-writable: keep what looks like an envelope. They are older: they go first.
      const stored = [readJson(storage, key)].flat() as (Envelope | undefined)[];
      const adopted = stored.filter((e) => e?.eventId && !queue.some((w) => w.envelope.eventId === e.eventId));
      queue = [...adopted.map((envelope) => waiting(envelope!)), ...queue];
    }
    // Over a bound: the oldest supporting event goes first, a conversion only when no other is left.
    for (let victim; (queue.length > maxEvents || queue.reduce((sum, w) => sum + w.bytes, 0) > maxBytes) && (victim = idle().sort(supportingFirst)[0]); ) {
      finish(victim, `dropped, over ${maxEvents} events or ${maxBytes} bytes`);
    }
    written = queue.length ? `[${queue.map((w) => w.json)}]` : null;
    if (written) storage.setItem(key, written); // full or blocked: kept in memory, never throws
    else storage.removeItem(key);
  };

  /** POSTs one batch and applies the answer; `true` when the batch is settled for good. Never throws. */
  const send = async (batch: Waiting[]): Promise<boolean> => {
    for (const w of batch) w.state = 'sending';
    let status = 0;
    const rejected: string[] = [];
    const again: boolean[] = [];
    let wait = 0; // the longest `retryAfterMs` of a pending event
    try {
      const response = await fetch(url, {
        method: 'POST',
        keepalive: batch.length > 1 || batch[0]!.bytes < 65516, // outlives a navigation, within the quota
        headers: { 'content-type': 'application/json' },
        body: body(batch),
        signal: AbortSignal.timeout?.(timeoutMs), // also bounds reading the answer
      });
      status = response.status;
      const answer: Partial<Record<'rejected' | 'failed' | 'pending', { index: number; errors: unknown; retryable?: boolean; retryAfterMs?: number }[]>> = await response.json();
      for (const { index, errors } of answer.rejected ?? []) rejected[index] = `the collector rejected it: ${JSON.stringify(errors)}`;
      // Stored, but a platform behind the collector failed for now: send it again later (same eventId).
      for (const { index, retryable } of answer.failed ?? []) again[index] = !!retryable;
      // Its claim is held by a delivery still under way at the collector: not delivered yet, ask again later.
      for (const { index, retryAfterMs } of answer.pending ?? []) (again[index] = true), (wait = Math.max(wait, +retryAfterMs! || 0));
    } catch {
      // A network error or a timeout (status 0) is retried; an answer without `rejected` rejects nothing.
    }
    for (const w of batch) w.state = undefined;
    const backOff = () => {
      const delay = Math.max(wait, (Math.min(maxBackoffMs, backoffMs * 2 ** failures++) * (1 + Math.random())) / 2); // exponential, with jitter
      retryAt = Date.now() + delay;
      setTimeout(() => {
        retryAt = 0;
        void post();
      }, delay);
    };
    if (status > 499 || [0, 408, 429].includes(status)) return backOff(), false;
    failures = retryAt = 0;
    batch.forEach((w, index) => again[index] || finish(w, status > 299 ? `the collector refused it: HTTP ${status}` : rejected[index]));
    save();
    if (again.includes(true)) backOff();
    else void post(); // what else waits
    return true;
  };

  /** Sends the next batch once the previous request is answered (one at a time), unless backing off (or `now`). */
  const post = (now?: boolean) =>
    (posting = posting.then(() => granted && (now || Date.now() >= retryAt) && idle().length > 0 && send(within(idle(), batchSize))));
  /** Posts within `flushIntervalMs` of the first event waiting, however many come meanwhile. */
  const later = () =>
    (timer ??= setTimeout(() => {
      timer = undefined;
      void post();
    }, flushIntervalMs));

  /** The page is being hidden or left: hand what waits to the browser, conversions first. */
  const hide = () => {
    const batch = within(queue.filter((w) => !w.state).sort((a, b) => supportingFirst(b, a)));
    if (!granted || !batch.length) return;
    // text/plain is CORS-safelisted: no preflight.
    if (navigator.sendBeacon?.(url, new Blob([body(batch)], { type: 'text/plain;charset=UTF-8' }))) {
      for (const w of batch) {
        w.state = 'beaconed';
        w.settle?.();
      }
      later(); // confirms them by fetch, should the page live on
    } else void send(batch); // refused (quota) or unsupported: a keepalive fetch
  };

  if (globalThis.document) {
    addEventListener('pagehide', hide);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && hide());
    save(); // adopts a previous page's events
    setTimeout(post); // once the tracker has told its consent
  }

  return {
    name: 'beacon',
    consent,
    send(envelope) {
      const identity = envelope.identity ?? identityOf(envelope.campaign);
      return new Promise<void>((resolve, reject) => {
        queue.push(waiting(identity ? { ...envelope, identity } : envelope, (error) => (error ? reject(error) : resolve())));
        save();
        if (idle().length < batchSize) later();
        else void post();
      });
    },
    updateConsent(state) {
      if (consent === 'none') return;
      granted = state[consent] === 'granted';
      if (state[consent] === 'denied') {
        idle().forEach((w) => finish(w, 'dropped, consent denied'));
        save();
      }
      void post();
    },
    async flush() {
      while (await post(true)); // an explicit flush does not wait out a backoff
    },
  };
}

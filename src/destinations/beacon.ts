import type { Destination } from '../core/destination';
import type { Envelope } from '../core/envelope';
import { readJson, resilientStorage } from '../core/storage';
import type { BeaconOptions } from './beacon-options';
import { cookieJar, identityOf } from './identity';

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
  /** Answers that named it retryable (`failed` retryable, `pending`): at `maxAttempts` it fails. */
  tries?: number;
  /** Not sent again before this time (its own backoff, or the collector's `retryAfterMs`). */
  after?: number;
}

/** The collector's answer, as far as the beacon reads it. */
type Listed = readonly { index: number; errors?: unknown; retryable?: boolean; retryAfterMs?: number }[];
type Answer = { rejected?: Listed; failed?: Listed; pending?: Listed; error?: { code?: string } };

/** The keepalive quota browsers share between beacons and keepalive fetches; the collector's default body limit. */
const QUOTA = 65536;

/** The batch body shared with the collector: `{"v":1,"events":[envelope,...]}` (20 bytes around the events). */
const body = (batch: readonly Waiting[]) => `{"v":1,"events":[${batch.map((w) => w.json)}]}`;

/**
 * In list order, the events that fit `batches` bodies of at most `limit` events, all of them together
 * within 64 KiB (20 bytes around each body, a comma per event). One that does not fit is passed
 * over, not a stop: the smaller ones behind it still go.
 */
const pick = (list: readonly Waiting[], limit: number, batches = 1) => {
  let room = QUOTA;
  const picked: Waiting[] = [];
  for (const w of list) {
    const cost = w.bytes + 1 + (picked.length % limit ? 0 : 20);
    if (picked.length < limit * batches && cost <= room) (room -= cost), picked.push(w);
  }
  return picked;
};

/** Supporting events before conversions, oldest first within each (a stable sort). */
const supportingFirst = (a: Waiting, b: Waiting) => +a.envelope.conversion - +b.envelope.conversion;

/**
 * First-party delivery to your collector, built to survive page exits. Events are batched in memory
 * and mirrored to storage; batches (at most `batchSize` events and 64 KiB) go as
 * `POST { "v": 1, "events": [envelope, ...] }` (`application/json`, `keepalive`). A 2xx settles each
 * event by what the answer lists: `rejected` and non-retryable `failed` fail it; retryable `failed`
 * and `pending` (still being delivered at the collector) keep it for another try after its own
 * backoff (at least `retryAfterMs`), up to `maxAttempts`; the rest are delivered. A network error,
 * a timeout, 408, 429 or 5xx keeps the whole batch and backs off (exponential, with jitter, to
 * `maxBackoffMs`); another 4xx refuses the batch as a whole, so it is split and sent again in
 * halves, and only an event refused alone fails. An event unsent after `maxAgeMs` expires (fails).
 * When the page is hidden or left (`visibilitychange` to hidden, `pagehide`; never `unload`, which
 * breaks the back/forward cache) what waits goes with `navigator.sendBeacon`, conversions first, in
 * beacons of at most `batchSize` events, all within the 64 KiB the browser allows in flight (a
 * refused beacon falls back to a keepalive `fetch`). No page sees a beacon's answer, so those events
 * stay queued and stored until a `fetch` confirms them: from this page should it live on, else from
 * the next. An event larger than one request can carry (64 KiB, or `maxBytes`) is refused when
 * tracked. Bounded by `maxEvents` and `maxBytes`: the oldest supporting events are dropped first, a
 * conversion only when nothing else is left, and each drop fails that event's send (a `failed`
 * record). Each envelope gains `identity` (GA4 client id from `_ga`, Meta `fbp`/`fbc`) when present.
 * A send resolves (a `delivered` record) once the collector stored the event or the browser took the
 * beacon. Delivery is at least once; the collector keeps one copy per `eventId`.
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
  const {
    url, batchSize = 20, flushIntervalMs = 1000, maxEvents = 200, maxBytes = 262144,
    timeoutMs = 1e4, backoffMs = 1000, maxBackoffMs = 6e4, maxAttempts = 10, maxAgeMs = 6048e5, consent = 'analytics',
  } = options;
  const storage = resilientStorage(() => options.storage ?? localStorage);
  const key = 'conversion-kit:beacon:' + url;
  let queue: Waiting[] = [];
  let written: string | null = null; // what this page last wrote to storage
  let dirty: boolean | undefined; // a write is due at the end of this task
  // `document.cookie` as this task read it (cleared by `write`, due at the end of any task that
  // tracked): tags set cookies in tasks of their own, and a read costs Chromium about 0.25 ms.
  let cookies: string | undefined;
  let stale: boolean | undefined; // events left the queue since the last write
  let granted = true;
  let limit = batchSize; // events per request; halved when the collector refuses a batch as a whole
  let failures = 0; // batches the collector did not take in a row: the shared backoff's exponent
  let retryAt = 0; // nothing goes before this (the collector is down or overloaded)
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;
  let posting: Promise<unknown> = Promise.resolve();

  const waiting = (envelope: Envelope, settle?: Waiting['settle']): Waiting => {
    const json = JSON.stringify(envelope);
    // Envelopes are mostly ASCII, where UTF-8 takes a byte per character: only others are encoded.
    return { envelope, json, bytes: /[^\0-\x7f]/.test(json) ? new TextEncoder().encode(json).length : json.length, settle };
  };
  const idle = () => queue.filter((w) => w.state !== 'sending');
  /** Exponential, with jitter: between half and all of `backoffMs * 2^n`, capped at `maxBackoffMs`. */
  const delay = (n: number) => (Math.min(maxBackoffMs, backoffMs * 2 ** n) * (1 + Math.random())) / 2;

  /**
   * Takes an event out of the queue. With a reason, fails its send (a `failed` record) or, for a
   * previous page's event, tells `onError`; without, resolves the send (a `delivered` record).
   */
  const finish = (done: Waiting, reason?: string) => {
    // In place: a delivered batch finishes its events one by one, and a copy of the queue each time
    // made a burst quadratic.
    // (One refused when tracked was never queued: -1 >>> 0 is past the end, where splice removes nothing.)
    queue.splice(queue.indexOf(done) >>> 0, 1);
    stale = true;
    const error = reason ? new Error(`${done.envelope.event} ${done.envelope.eventId}: ${reason}`) : undefined;
    try {
      if (done.settle) done.settle(error);
      else if (error) options.onError?.(error);
    } catch {
      // The app's callback failed; delivery goes on.
    }
  };

  /**
   * Applies the bounds and writes the queue back once the current task's work is done: once however
   * many events a task tracks (each bound is O(queue)). `write` does it at once, as the page is
   * hidden or left.
   */
  const save = () => (dirty ||= (queueMicrotask(write), true));
  /** Adopts what storage holds and this page does not, applies the bounds, writes the queue back. */
  const write = () => {
    // (A drop below leaves the queue stale: it is written once more, at the next schedule.)
    dirty = stale = cookies = undefined;
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
    const text = queue.length ? `[${queue.map((w) => w.json)}]` : null;
    if (text) storage.setItem(key, text); // full or blocked: kept in memory, never throws
    else storage.removeItem(key);
    // The string storage answers with: Chromium's compares to ours character by character, to itself at once.
    written = storage.getItem(key);
  };

  /** Posts at `time`, unless a post is already due sooner. */
  const wake = (time: number) => {
    if (time >= timerAt) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timerAt = Infinity;
      void post();
    }, (timerAt = time) - Date.now());
  };
  /**
   * Wakes when the next waiting event may go, and writes back what left the queue unless another
   * batch goes at once: while the collector takes batch after batch, the queue is written once, when
   * it is done. Until then storage may still list an event already delivered; should the page die
   * meanwhile, the next one sends it again and the collector keeps one copy.
   */
  const schedule = () => {
    const next = Math.max(retryAt, Math.min(...idle().map((w) => w.after ?? 0)));
    if (next < Infinity) wake(next);
    if (stale && !(granted && next <= Date.now())) save();
  };

  /** POSTs one batch and applies the answer. Never throws. */
  const send = async (batch: Waiting[]): Promise<true> => {
    for (const w of batch) w.state = 'sending';
    let status = 0;
    let answer: Answer = {};
    try {
      const response = await fetch(url, {
        method: 'POST',
        keepalive: true, // outlives a navigation; a batch is never over the 64 KiB quota
        headers: { 'content-type': 'application/json' },
        body: body(batch),
        signal: AbortSignal.timeout?.(timeoutMs), // also bounds reading the answer
      });
      status = response.status;
      answer = await response.json();
    } catch {
      // A network error or a timeout (status 0) is retried; an answer without lists lists nothing.
    }
    for (const w of batch) w.state = undefined;
    const now = Date.now();
    if (status > 499 || status == 429 || status == 408 || !status) {
      // The collector did not take the batch (unreachable, overloaded): all of it waits, for maxAgeMs at most.
      retryAt = now + delay(failures++);
    } else if (status > 299 && batch.length > 1) {
      // Refused as a whole (too many events, too large): no event is known to be invalid. Try halves.
      limit = Math.ceil(batch.length / 2);
    } else {
      const why: string[] = []; // what the collector said of each, if anything
      const again: boolean[] = []; // must go again
      const waits: number[] = [];
      for (const { index, errors, retryable } of [...(answer.rejected ?? []), ...(answer.failed ?? [])]) (why[index] = `the collector answered ${JSON.stringify(errors)}`), (again[index] = !!retryable);
      // Its claim is held by a delivery still under way at the collector: not delivered yet.
      for (const { index, retryAfterMs } of answer.pending ?? []) (why[index] = 'the collector answered pending'), (again[index] = true), (waits[index] = +retryAfterMs! || 0);
      let retrying = false;
      batch.forEach((w, index) => {
        if (status > 299) finish(w, `the collector refused it: HTTP ${status} ${answer.error?.code ?? ''}`);
        else if (!again[index]) finish(w, why[index]);
        else if ((w.tries = (w.tries ?? 0) + 1) >= maxAttempts) finish(w, `gave up after ${w.tries} tries, ${why[index]}`);
        else (retrying = true), (w.after = now + Math.max(waits[index] ?? 0, delay(w.tries - 1)));
      });
      retryAt = 0;
      if (!retrying) failures = 0;
    }
    schedule();
    return true;
  };

  /**
   * Sends the next batch once the previous request is answered (one at a time): the events due, or,
   * for a flush, those it has not tried yet, even while backing off. Fails expired events first.
   */
  const post = (tried?: Set<Waiting>) =>
    (posting = posting.then(() => {
      const now = Date.now();
      const old = idle().filter((w) => now - w.envelope.timestamp > maxAgeMs);
      old.forEach((w) => finish(w, `expired, unsent after ${maxAgeMs} ms`));
      const ready = idle().filter((w) => (tried ? !tried.has(w) : (w.after ?? 0) <= now));
      if (!granted) return false;
      if (!ready.length || (!tried && now < retryAt)) return schedule(), false;
      const batch = pick(ready, limit);
      batch.forEach((w) => tried?.add(w));
      // Only what no request can carry (stored by an older version): it waits to expire.
      return batch.length > 0 && send(batch);
    }));

  /** The page is being hidden or left: hand what waits to the browser, conversions first. */
  const hide = () => {
    write(); // what this task tracked is stored before anything leaves
    const batch = pick(queue.filter((w) => !w.state).sort((a, b) => supportingFirst(b, a)), limit, 1e9);
    if (!granted || !batch.length) return;
    for (let i = 0; i < batch.length; i += limit) {
      const part = batch.slice(i, i + limit);
      // text/plain is CORS-safelisted: no preflight.
      if (navigator.sendBeacon?.(url, new Blob([body(part)], { type: 'text/plain;charset=UTF-8' }))) {
        for (const w of part) {
          w.state = 'beaconed';
          w.settle?.();
        }
      } else void send(part); // refused (quota) or unsupported: a keepalive fetch
    }
    wake(Date.now() + flushIntervalMs); // confirms them by fetch, should the page live on
  };

  if (globalThis.document) {
    addEventListener('pagehide', hide);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && hide());
    save(); // adopts a previous page's events
    setTimeout(() => post()); // once the tracker has told its consent
  }

  return {
    name: 'beacon',
    consent,
    // The collector dedups by eventId: a conversion goes to the queue at once, never after a cross-tab wait.
    receiverDedupes: true,
    send(envelope) {
      return new Promise<void>((resolve, reject) => {
        // Without one, `identity` is undefined, which JSON leaves out. Object.assign, not a spread and a
        // property: V8 takes a slow path for that (1.5 µs, a twentieth of a track()).
        const w = waiting(Object.assign({}, envelope, { identity: envelope.identity ?? identityOf(envelope.campaign, (cookies ??= cookieJar())) }), (error) => (error ? reject(error) : resolve()));
        // It could never go: refused alone, never queued (it would block or evict the others).
        if (w.bytes > Math.min(QUOTA - 21, maxBytes)) return finish(w, `refused, ${w.bytes} bytes: over 64 KiB or maxBytes`);
        queue.push(w);
        save();
        // A post when the queue reaches a multiple of `limit` (it sends a batch once the request before
        // it is answered, unless backing off); the rest goes within flushIntervalMs of the first event
        // waiting, however many come meanwhile, or as soon as a request is answered.
        if (queue.length % limit) wake(Date.now() + flushIntervalMs);
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
      // Each waiting event goes at most once per flush, so it ends whatever the collector answers.
      const tried = new Set<Waiting>();
      while (await post(tried));
    },
  };
}

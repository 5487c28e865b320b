import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage, type ConsentValue, type Envelope, type KeyValueStorage } from 'conversion-kit/core';
import { beacon, type BeaconOptions } from 'conversion-kit/destinations';
import { startCollector, type Collector, type CollectorOptions } from '../fixtures/collector';
import { resetPlatforms } from '../fixtures/platform-snippets';
import { order, settle, trackerWith } from './helpers';

let collector: Collector | undefined;
const start = async (options?: CollectorOptions) => (collector = await startCollector(options));

afterEach(async () => {
  vi.restoreAllMocks();
  await collector?.close();
  collector = undefined;
  resetPlatforms();
  Reflect.deleteProperty(navigator, 'sendBeacon');
});

/** A page: a tracker with a beacon to the collector (fast retries for tests). */
function page(url: string, options: Partial<BeaconOptions> & { trackerConsent?: { analytics: ConsentValue } } = {}) {
  const { trackerConsent: consent, ...beaconOptions } = options;
  const destination = beacon({ url, storage: memoryStorage(), flushIntervalMs: 20, backoffMs: 10, maxBackoffMs: 50, timeoutMs: 300, ...beaconOptions });
  return { ...trackerWith([destination], consent ? { consent } : {}), destination };
}

/** Lets the current task finish: the beacon writes its queue to storage once per task, in a microtask. */
const endOfTask = () => Promise.resolve();

const sentEnvelopes = (records: ReturnType<typeof trackerWith>['records']) =>
  records.flatMap((record) => (record.type === 'sent' || record.type === 'queued' ? [record.envelope] : []));

describe('beacon delivery', () => {
  it('posts batches in the agreed format: { v: 1, events: [envelope] } as application/json', async () => {
    const server = await start();
    const { tracker, records } = page(server.url, { batchSize: 2 });
    tracker.track('purchase_completed', order('A-1'));
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await server.waitForStored(2);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.contentType).toBe('application/json');
    const expected = sentEnvelopes(records).map((envelope) => ({ ...envelope, identity: { fbc: tracker.getCampaign().last!.fbc } }));
    expect(server.requests[0]!.events).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('sends a burst in full batches at once, and the part batch as soon as they are answered, not after flushIntervalMs', async () => {
    const server = await start();
    const { tracker } = page(server.url, { batchSize: 20, flushIntervalMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 10)); // past the post a new beacon makes for a previous page's events
    for (let i = 0; i < 45; i++) tracker.track('purchase_completed', order(`F-${i}`));
    // No flush(): a minute of flushIntervalMs would time the test out if anything waited for it.
    await server.waitForStored(45);
    expect(server.requests.map((request) => request.events.length)).toEqual([20, 20, 5]);
  });

  it('waits at most flushIntervalMs for a batch to fill', async () => {
    const server = await start();
    const { tracker } = page(server.url, { batchSize: 10, flushIntervalMs: 50 });
    tracker.track('cta_clicked', { cta_id: 'a' });
    tracker.track('cta_clicked', { cta_id: 'b' });
    await server.waitForStored(2);
    expect(server.requests.map((request) => request.events.length)).toEqual([2]);
  });

  it("adds identity from the _ga and _fbp cookies and the campaign's fbc", async () => {
    const server = await start();
    document.cookie = '_ga=GA1.1.468604437.1611708469; path=/';
    document.cookie = '_fbp=fb.1.1596403881668.1116446470; path=/';
    const { tracker } = page(server.url);
    tracker.track('lead_submitted', { form_id: 'demo' });
    await server.waitForStored(1);
    expect(server.requests[0]!.events[0]!.identity).toEqual({
      ga_client_id: '468604437.1611708469',
      fbp: 'fb.1.1596403881668.1116446470',
      fbc: tracker.getCampaign().last!.fbc,
    });
  });

  it('still delivers, without identity, where reading cookies throws (a sandboxed iframe)', async () => {
    const server = await start();
    vi.spyOn(document, 'cookie', 'get').mockImplementation(() => {
      throw new DOMException('sandboxed', 'SecurityError');
    });
    const { tracker, outcomes } = trackerWith([beacon({ url: server.url, storage: memoryStorage(), flushIntervalMs: 10 })], { campaign: false });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await server.waitForStored(1);
    await tracker.flush(); // the store is not yet the answer: wait for the answer
    expect(outcomes()).toEqual(['delivered:beacon:cta_clicked']);
  });

  it('adds no identity when there is none', async () => {
    const server = await start();
    const { tracker } = trackerWith([beacon({ url: server.url, storage: memoryStorage(), flushIntervalMs: 10 })], { campaign: false });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await server.waitForStored(1);
    expect(server.requests[0]!.events[0]).not.toHaveProperty('identity');
  });

  it('records delivered only once the collector stored the event', async () => {
    const server = await start({ faults: [503] });
    const { tracker, outcomes } = page(server.url);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await settle();
    expect(outcomes()).toEqual([]);
    await server.waitForStored(1);
    await tracker.flush(); // the store is not yet the answer: wait for the answer
    expect(outcomes()).toEqual(['delivered:beacon:cta_clicked']);
  });

  it('fails the events the collector rejects and delivers the rest of the batch', async () => {
    const server = await start({ reject: (envelope) => (envelope.event === 'cta_clicked' ? ['cta_id: too long'] : undefined) });
    const { tracker, outcomes, onError } = page(server.url, { batchSize: 2 });
    tracker.track('purchase_completed', order('A-1'));
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await tracker.flush();
    await settle();
    expect(outcomes()).toEqual(['delivered:beacon:purchase_completed', 'failed:beacon:cta_clicked']);
    expect(onError.mock.calls[0]![0].message).toMatch(/the collector answered \["cta_id: too long"\]/);
  });

  it('does not retry a batch the collector refuses as a whole (4xx)', async () => {
    const server = await start({ faults: [400] });
    const { tracker, outcomes } = page(server.url);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await tracker.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
    expect(outcomes()).toEqual(['failed:beacon:cta_clicked']);
  });

  it("keeps each request within 64 KiB, the collector's default body limit, however large batchSize is", async () => {
    const server = await start();
    const { tracker } = page(server.url, { batchSize: 4, maxBytes: 1 << 20 });
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 4; i++) tracker.track('cta_clicked', { cta_id: `c${i}${big}` });
    await server.waitForStored(4);
    expect(server.requests.map((request) => request.events.length)).toEqual([3, 1]);
    for (const { events } of server.requests) expect(JSON.stringify({ v: 1, events }).length).toBeLessThanOrEqual(65536);
  });

  it('flush() sends what waits at once, without waiting out a backoff', async () => {
    const server = await start({ faults: [503] });
    const { tracker } = page(server.url, { backoffMs: 60_000, maxBackoffMs: 60_000, flushIntervalMs: 0 });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.stored.size).toBe(0);
    await tracker.flush();
    expect(server.stored.size).toBe(1);
  });
});

describe('beacon persistence', () => {
  it("keeps unsent events in storage and the next page (a reload) sends them", async () => {
    const server = await start({ faults: () => (server.requests.length < 3 ? 503 : undefined) });
    const storage = memoryStorage();
    const first = page(server.url, { storage, backoffMs: 60_000, maxBackoffMs: 60_000 });
    const { eventId } = first.tracker.track('purchase_completed', order('A-1'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(server.stored.size).toBe(0);
    expect(storage.getItem(`conversion-kit:beacon:${server.url}`)).toContain(eventId);

    page(server.url, { storage }); // the reloaded page, before it tracks anything
    await server.waitForStored(1);
    expect([...server.stored.keys()]).toEqual([eventId]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(storage.getItem(`conversion-kit:beacon:${server.url}`)).toBeNull();
  });

  it('keeps working in memory when storage is full (QuotaExceededError)', async () => {
    const server = await start();
    const full: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {},
    };
    const { tracker, outcomes } = page(server.url, { storage: full });
    expect(() => tracker.track('purchase_completed', order('A-1'))).not.toThrow();
    await server.waitForStored(1);
    await tracker.flush(); // the store is not yet the answer: wait for the answer
    expect(outcomes()).toEqual(['delivered:beacon:purchase_completed']);
  });

  it('keeps another tab\'s stored events when it writes its own', async () => {
    const server = await start({ faults: () => 503 });
    const storage = memoryStorage();
    const key = `conversion-kit:beacon:${server.url}`;
    const otherTab = { eventId: '9b0e0e3c-1f59-4c59-9d0e-0d9a1c1e2f3a', event: 'cta_clicked', timestamp: Date.now() } as Envelope;
    storage.setItem(key, JSON.stringify([otherTab]));
    const { tracker } = page(server.url, { storage, backoffMs: 60_000, maxBackoffMs: 60_000 });
    const { eventId } = tracker.track('cta_clicked', { cta_id: 'hero' });
    await endOfTask();
    expect(JSON.parse(storage.getItem(key)!).map((e: Envelope) => e.eventId)).toEqual([otherTab.eventId, eventId]);
  });

  it('keeps what another tab stores after this page started, when it writes its own', async () => {
    const server = await start({ faults: () => 503 });
    const storage = memoryStorage();
    const key = `conversion-kit:beacon:${server.url}`;
    const { tracker } = page(server.url, { storage, backoffMs: 60_000, maxBackoffMs: 60_000 });
    const first = tracker.track('cta_clicked', { cta_id: 'a' }).eventId;
    await endOfTask();
    const otherTab = { eventId: '6f1c8c1e-5b7d-4c1e-8a0e-1f2e3d4c5b6a', event: 'cta_clicked', timestamp: Date.now() } as Envelope;
    storage.setItem(key, JSON.stringify([...JSON.parse(storage.getItem(key)!), otherTab])); // the other tab's write
    const second = tracker.track('cta_clicked', { cta_id: 'b' }).eventId;
    await endOfTask();
    expect(JSON.parse(storage.getItem(key)!).map((e: Envelope) => e.eventId).sort()).toEqual([first, otherTab.eventId, second].sort());
  });

  it('writes its queue to storage once per task, however many events the task tracks', async () => {
    const server = await start({ faults: () => 503 });
    const storage = memoryStorage();
    const key = `conversion-kit:beacon:${server.url}`;
    const writes = vi.spyOn(storage, 'setItem');
    const { tracker } = page(server.url, { storage, batchSize: 100, backoffMs: 60_000, maxBackoffMs: 60_000, flushIntervalMs: 60_000 });
    const ids = Array.from({ length: 50 }, (_, i) => tracker.track('purchase_completed', order(`W-${i}`)).eventId);
    await endOfTask();
    expect(writes.mock.calls.filter(([written]) => written === key)).toHaveLength(1);
    expect(JSON.parse(storage.getItem(key)!).map((e: Envelope) => e.eventId)).toEqual(ids);
  });

  it('writes the queue back once when the collector has taken batch after batch, not after each answer', async () => {
    const server = await start();
    const storage = memoryStorage();
    const key = `conversion-kit:beacon:${server.url}`;
    const writes = vi.spyOn(storage, 'setItem');
    const { tracker } = page(server.url, { storage, batchSize: 10, flushIntervalMs: 60_000 });
    for (let i = 0; i < 60; i++) tracker.track('purchase_completed', order(`D-${i}`));
    await tracker.flush();
    expect(server.stored.size).toBe(60);
    expect(server.requests).toHaveLength(6);
    // The one write of the task that tracked them; the delivered ones leave storage at the end.
    expect(writes.mock.calls.filter(([written]) => written === key)).toHaveLength(1);
    expect(storage.getItem(key)).toBeNull();
  });

  it('writes back at once what an answer removed when nothing else is ready to go', async () => {
    let requests = 0;
    const server = await start({ faults: () => (requests++ ? 503 : undefined) }); // the first taken, then down
    const storage = memoryStorage();
    const key = `conversion-kit:beacon:${server.url}`;
    const { tracker } = page(server.url, { storage, batchSize: 1, backoffMs: 60_000, maxBackoffMs: 60_000, flushIntervalMs: 10 });
    tracker.track('purchase_completed', order('R-0'));
    const kept = tracker.track('purchase_completed', order('R-1')).eventId;
    await server.waitForStored(1);
    await vi.waitFor(() => expect(server.requests).toHaveLength(2));
    // R-1 backs off for a minute; R-0, delivered, is not left in storage meanwhile.
    await vi.waitFor(() => expect(JSON.parse(storage.getItem(key)!).map((e: Envelope) => e.eventId)).toEqual([kept]));
  });

  it('stores an event tracked in the same task as pagehide before handing it to sendBeacon', () => {
    const storage = memoryStorage();
    const url = 'http://127.0.0.1:9/same-task-pagehide';
    const key = `conversion-kit:beacon:${url}`;
    const storedAtBeacon: (string | null)[] = [];
    const sendBeacon = vi.fn((to: string) => (to === url && storedAtBeacon.push(storage.getItem(key)), true));
    Object.defineProperty(navigator, 'sendBeacon', { value: sendBeacon, configurable: true });
    const { tracker } = page(url, { storage, flushIntervalMs: 60_000 });
    const { eventId } = tracker.track('purchase_completed', order('A-1'));
    window.dispatchEvent(new Event('pagehide')); // no microtask ran in between
    expect(storedAtBeacon).toHaveLength(1);
    expect(storedAtBeacon[0]).toContain(eventId);
    // Stays stored until a fetch confirms it: no page sees the beacon's answer.
    expect(storage.getItem(key)).toContain(eventId);
  });

  it('stores an event tracked in the same task as the page turning hidden before handing it to sendBeacon', () => {
    const storage = memoryStorage();
    const url = 'http://127.0.0.1:9/same-task-hidden';
    const key = `conversion-kit:beacon:${url}`;
    const storedAtBeacon: (string | null)[] = [];
    const sendBeacon = vi.fn((to: string) => (to === url && storedAtBeacon.push(storage.getItem(key)), true));
    Object.defineProperty(navigator, 'sendBeacon', { value: sendBeacon, configurable: true });
    const { tracker } = page(url, { storage, flushIntervalMs: 60_000 });
    const { eventId } = tracker.track('purchase_completed', order('A-1'));
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Reflect.deleteProperty(document, 'visibilityState');
    expect(storedAtBeacon).toHaveLength(1);
    expect(storedAtBeacon[0]).toContain(eventId);
  });

  it('drops the oldest supporting events first when over its bounds, never the conversion, and reports each drop', async () => {
    let down = true;
    const server = await start({ faults: () => (down ? 503 : undefined) });
    const { tracker, records } = page(server.url, { maxEvents: 3, backoffMs: 60_000, maxBackoffMs: 60_000, flushIntervalMs: 60_000 });
    tracker.track('purchase_completed', order('A-1'));
    for (let i = 0; i < 4; i++) tracker.track('cta_clicked', { cta_id: `c${i}` });
    await settle();
    const failed = records.flatMap((r) => (r.type === 'failed' ? [r] : []));
    expect(failed.map((r) => r.envelope.payload)).toEqual([{ cta_id: 'c0' }, { cta_id: 'c1' }]);
    expect(failed[0]!.error.message).toMatch(/dropped, over 3 events/);
    down = false;
    await tracker.flush();
    expect([...server.stored.values()].map((e) => e.payload)).toEqual([order('A-1'), { cta_id: 'c2' }, { cta_id: 'c3' }]);
  });

  it('counts the bytes of text outside ASCII as UTF-8 sends them', async () => {
    const server = await start({ faults: () => 503 });
    // 2 500 characters but 5 000 bytes each: two fit in 12 000 bytes, all four in 12 000 characters.
    const { tracker, records } = page(server.url, { maxBytes: 12_000, backoffMs: 60_000, maxBackoffMs: 60_000, flushIntervalMs: 60_000 });
    const big = 'é'.repeat(2500);
    for (let i = 0; i < 4; i++) tracker.track('cta_clicked', { cta_id: `c${i}${big}` });
    await settle();
    const dropped = records.flatMap((r) => (r.type === 'failed' ? [(r.envelope.payload as { cta_id: string }).cta_id.slice(0, 2)] : []));
    expect(dropped).toEqual(['c0', 'c1']);
  });

  it('bounds the bytes waiting as well as the count', async () => {
    const server = await start({ faults: () => 503 });
    // Each envelope is a little over 5 000 bytes: two fit in 12 000.
    const { tracker, records } = page(server.url, { maxBytes: 12_000, backoffMs: 60_000, maxBackoffMs: 60_000, flushIntervalMs: 60_000 });
    const big = 'x'.repeat(5000);
    for (let i = 0; i < 4; i++) tracker.track('cta_clicked', { cta_id: `c${i}${big}` });
    await settle();
    const dropped = records.flatMap((r) => (r.type === 'failed' ? [(r.envelope.payload as { cta_id: string }).cta_id.slice(0, 2)] : []));
    expect(dropped).toEqual(['c0', 'c1']);
  });
});

describe('beacon bounds as events come and go', () => {
  it('frees the room of delivered events, and counts the bytes of a previous page\'s events it adopts', async () => {
    let down = false;
    const server = await start({ faults: () => (down ? 503 : undefined) });
    const storage = memoryStorage();
    // Each envelope is a little over 5 000 bytes: two fit in 12 000.
    const options = { storage, maxBytes: 12_000, backoffMs: 60_000, maxBackoffMs: 60_000, flushIntervalMs: 60_000 };
    const { tracker, records } = page(server.url, options);
    const big = 'x'.repeat(5000);
    for (const round of [0, 1, 2]) {
      for (let i = 0; i < 2; i++) tracker.track('cta_clicked', { cta_id: `r${round}-${i}${big}` });
      await tracker.flush();
    }
    expect(records.filter((r) => r.type === 'failed')).toEqual([]);
    expect(server.stored.size).toBe(6);
    // The collector goes down: two wait, stored for the next page...
    down = true;
    for (let i = 0; i < 2; i++) tracker.track('cta_clicked', { cta_id: `w${i}${big}` });
    await settle();
    // ...which adopts them: with one of its own, over 12 000 bytes, the oldest waiting one goes.
    const next = page(server.url, options);
    next.tracker.track('cta_clicked', { cta_id: `n0${big}` });
    await settle();
    const dropped = next.records.flatMap((r) => (r.type === 'failed' ? [(r.envelope.payload as { cta_id: string }).cta_id.slice(0, 2)] : []));
    expect(dropped).toEqual([]);
    expect(JSON.parse(storage.getItem(`conversion-kit:beacon:${server.url}`)!).map((e: Envelope) => (e.payload as { cta_id: string }).cta_id.slice(0, 2))).toEqual(['w1', 'n0']);
  });
});

describe('beacon and consent', () => {
  it("does not resend a previous page's events while this page's consent is pending, and does once granted", async () => {
    const server = await start();
    const storage = memoryStorage();
    const key = `conversion-kit:beacon:${server.url}`;
    const left = { eventId: '2f1c8c1e-5b7d-4c1e-8a0e-1f2e3d4c5b6a', event: 'purchase_completed', timestamp: Date.now() - 1000 } as Envelope;
    storage.setItem(key, JSON.stringify([left]));
    const { tracker } = page(server.url, { storage, trackerConsent: { analytics: 'pending' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(0);
    tracker.setConsent({ analytics: 'granted' });
    await server.waitForStored(1);
    expect([...server.stored.keys()]).toEqual([left.eventId]);
  });

  it('drops what waits, here and in storage, when consent is withdrawn', async () => {
    const server = await start({ faults: () => 503 });
    const storage = memoryStorage();
    const { tracker, outcomes } = page(server.url, { storage, trackerConsent: { analytics: 'granted' }, backoffMs: 60_000, maxBackoffMs: 60_000, flushIntervalMs: 60_000 });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    tracker.setConsent({ analytics: 'denied' });
    await settle();
    expect(outcomes()).toEqual(['failed:beacon:cta_clicked']);
    expect(storage.getItem(`conversion-kit:beacon:${server.url}`)).toBeNull();
  });
});

describe('beacon on page exit', () => {
  it('listens to pagehide and visibilitychange only, never unload or beforeunload', () => {
    const onWindow = vi.spyOn(window, 'addEventListener');
    const onDocument = vi.spyOn(document, 'addEventListener');
    beacon({ url: 'http://127.0.0.1:9/collect', storage: memoryStorage() });
    const types = [...onWindow.mock.calls, ...onDocument.mock.calls].map((call) => call[0]);
    expect(types.sort()).toEqual(['pagehide', 'visibilitychange']);
  });

  it('hands what waits to sendBeacon as a text/plain batch, conversions first, when the page is hidden', async () => {
    const server = await start();
    const sendBeacon = vi.fn((_url: string, _data?: BodyInit | null) => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: sendBeacon, configurable: true });
    const { tracker, outcomes } = page(server.url, { flushIntervalMs: 60_000 });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    const { eventId } = tracker.track('purchase_completed', order('A-1'));
    window.dispatchEvent(new Event('pagehide'));
    const calls = sendBeacon.mock.calls.filter(([url]) => url === server.url); // earlier tests' pages listen too
    expect(calls).toHaveLength(1);
    const blob = calls[0]![1] as Blob;
    expect(blob.type).toBe('text/plain;charset=utf-8');
    const body = JSON.parse(await blob.text()) as { v: number; events: Envelope[] };
    expect(body.v).toBe(1);
    expect(body.events.map((e) => e.eventId)[0]).toBe(eventId);
    await settle();
    expect(outcomes()).toEqual(['delivered:beacon:purchase_completed', 'delivered:beacon:cta_clicked']);
  });

  it('keeps the stored copy of a beaconed batch for the next page to confirm, since no page sees the answer', async () => {
    const server = await start();
    Object.defineProperty(navigator, 'sendBeacon', { value: () => true, configurable: true });
    const storage = memoryStorage();
    const { tracker } = page(server.url, { storage, flushIntervalMs: 60_000 });
    const { eventId } = tracker.track('purchase_completed', order('A-1'));
    window.dispatchEvent(new Event('pagehide'));
    expect(server.requests).toHaveLength(0); // the stub beacon reached no server: as if the collector had failed
    page(server.url, { storage }); // the next page
    await server.waitForStored(1);
    expect([...server.stored.keys()]).toEqual([eventId]);
  });

  it('falls back to a keepalive fetch when sendBeacon refuses the batch', async () => {
    const server = await start();
    Object.defineProperty(navigator, 'sendBeacon', { value: () => false, configurable: true });
    const { tracker } = page(server.url, { flushIntervalMs: 60_000 });
    tracker.track('purchase_completed', order('A-1'));
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Reflect.deleteProperty(document, 'visibilityState');
    await server.waitForStored(1);
    expect(server.requests[0]!.contentType).toBe('application/json');
  });

  it('keeps what does not fit the 64 KiB beacon quota for a later request', async () => {
    const server = await start();
    const sendBeacon = vi.fn((_url: string, _data?: BodyInit | null) => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: sendBeacon, configurable: true });
    const { tracker } = page(server.url, { flushIntervalMs: 60_000, maxBytes: 1 << 20, batchSize: 100 });
    const big = 'x'.repeat(20_000);
    const ids = [0, 1, 2, 3].map((i) => tracker.track('cta_clicked', { cta_id: `${i}${big}` }).eventId);
    window.dispatchEvent(new Event('pagehide'));
    const blob = sendBeacon.mock.calls.find(([url]) => url === server.url)![1] as Blob;
    expect(blob.size).toBeLessThanOrEqual(65536);
    expect(JSON.parse(await blob.text()).events.map((e: Envelope) => e.eventId)).toEqual(ids.slice(0, 3));
    expect(server.stored.has(ids[3]!)).toBe(false);
    await tracker.flush();
    expect(server.stored.has(ids[3]!)).toBe(true);
  });

  it('confirms a beaconed batch with a fetch should the page live on, then clears it from storage', async () => {
    const server = await start();
    Object.defineProperty(navigator, 'sendBeacon', { value: () => true, configurable: true });
    const storage = memoryStorage();
    const { tracker } = page(server.url, { storage, flushIntervalMs: 30 });
    const { eventId } = tracker.track('purchase_completed', order('A-1'));
    window.dispatchEvent(new Event('pagehide')); // the stub beacon reaches no server
    expect(server.requests).toHaveLength(0);
    await server.waitForStored(1);
    expect(server.requests.map((r) => [r.contentType, r.events.map((e) => e.eventId)])).toEqual([['application/json', [eventId]]]);
    await tracker.flush(); // the answer is in
    expect(storage.getItem(`conversion-kit:beacon:${server.url}`)).toBeNull();
  });
});

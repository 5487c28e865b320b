import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage, type Envelope } from 'conversion-kit/core';
import { beacon, type BeaconOptions } from 'conversion-kit/destinations';
import { order, trackerWith } from './helpers';

/** What the fake collector saw: one entry per POST, with the time it arrived. */
interface Seen {
  readonly at: number;
  readonly events: readonly Envelope[];
}

/** How the fake collector answers the nth request (0-based): status and JSON body. */
type Answer = (events: readonly Envelope[], n: number) => { status: number; body: unknown };

/** The collector's 200 answer storing every event as new. */
export const acceptAll: Answer = (events) => ({ status: 200, body: { accepted: events.length, duplicates: 0, skipped: 0, rejected: [], failed: [] } });

let server: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A collector on 127.0.0.1 speaking the batch format, answering as `answer` says. */
async function fakeCollector(answer: Answer) {
  const seen: Seen[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { events } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: Envelope[] };
      const { status, body } = answer(events, seen.length);
      seen.push({ at: Date.now(), events });
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`, seen };
}

const fast = (url: string, options: Partial<BeaconOptions> = {}) =>
  beacon({ url, storage: memoryStorage(), flushIntervalMs: 5, backoffMs: 5, maxBackoffMs: 40, timeoutMs: 1000, ...options });

const delivered = (records: ReturnType<typeof trackerWith>['records']) => records.flatMap((r) => (r.type === 'delivered' ? [r.eventId] : []));

describe("beacon and the collector's per-event answers", () => {
  it('keeps an event answered pending (its delivery still in flight), sends it again after retryAfterMs, and records it delivered only then', async () => {
    const collector = await fakeCollector((events, n) =>
      n === 0
        ? { status: 200, body: { accepted: 0, duplicates: 0, skipped: 0, rejected: [], failed: [], pending: events.map((e, index) => ({ index, eventId: e.eventId, event: e.event, retryAfterMs: 300 })) } }
        : acceptAll(events, n),
    );
    const page = trackerWith([fast(collector.url)]);
    const { eventId } = page.tracker.track('purchase_completed', order('P-1'));
    await vi.waitFor(() => expect(collector.seen).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(delivered(page.records)).toEqual([]); // pending is not delivered
    await vi.waitFor(() => expect(collector.seen).toHaveLength(2), { timeout: 3000 });
    expect(collector.seen[1]!.events.map((e) => e.eventId)).toEqual([eventId]);
    expect(collector.seen[1]!.at - collector.seen[0]!.at).toBeGreaterThanOrEqual(290);
    await vi.waitFor(() => expect(delivered(page.records)).toEqual([eventId]));
    expect(page.records.filter((r) => r.type === 'failed')).toEqual([]);
  });

  it('counts duplicates as delivered', async () => {
    const collector = await fakeCollector((events) => ({ status: 200, body: { accepted: 0, duplicates: events.length, skipped: 0, rejected: [], failed: [] } }));
    const page = trackerWith([fast(collector.url)]);
    const { eventId } = page.tracker.track('purchase_completed', order('P-2'));
    await vi.waitFor(() => expect(delivered(page.records)).toEqual([eventId]));
    expect(collector.seen).toHaveLength(1);
  });
});

/** The collector stored every event but a platform behind it keeps failing for now. */
const platformDown: Answer = (events) => ({
  status: 200,
  body: { accepted: 0, duplicates: 0, skipped: 0, rejected: [], failed: events.map((e, index) => ({ index, eventId: e.eventId, event: e.event, errors: ['ga4: answered 503'], retryable: true })) },
});

describe('beacon retries have an end', () => {
  it('backs off exponentially up to maxBackoffMs while the collector keeps answering 2xx with retryable failures', async () => {
    const collector = await fakeCollector(platformDown);
    const page = trackerWith([fast(collector.url, { backoffMs: 50, maxBackoffMs: 400, maxAttempts: 100 })]);
    page.tracker.track('purchase_completed', order('B-1'));
    await new Promise((resolve) => setTimeout(resolve, 1800));
    const gaps = collector.seen.slice(1).map((s, i) => s.at - collector.seen[i]!.at);
    // 25-50, 50-100, 100-200, 200-400, then 200-400 each: at most 9 requests in 1.8 s, never one per backoffMs.
    expect(collector.seen.length).toBeGreaterThanOrEqual(4);
    expect(collector.seen.length).toBeLessThanOrEqual(9);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(190);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(450);
  });

  it('fails a retryable event after maxAttempts, with the reason the collector gave, and sends it no more', async () => {
    const collector = await fakeCollector(platformDown);
    const page = trackerWith([fast(collector.url, { maxAttempts: 3 })]);
    const { eventId } = page.tracker.track('purchase_completed', order('B-2'));
    await vi.waitFor(() => expect(page.records.some((r) => r.type === 'failed')).toBe(true), { timeout: 3000 });
    const failed = page.records.flatMap((r) => (r.type === 'failed' ? [r] : []));
    expect(failed.map((r) => r.eventId)).toEqual([eventId]);
    expect(failed[0]!.error.message).toMatch(/gave up after 3 tries, the collector answered .*ga4: answered 503/);
    expect(page.onError).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(collector.seen).toHaveLength(3);
  });

  it('fails an event still unsent after maxAgeMs (the collector down all along) as expired', async () => {
    const collector = await fakeCollector(() => ({ status: 503, body: { error: { code: 'unavailable' } } }));
    const page = trackerWith([fast(collector.url, { maxAgeMs: 300 })]);
    const { eventId } = page.tracker.track('purchase_completed', order('B-3'));
    await vi.waitFor(() => expect(page.records.some((r) => r.type === 'failed')).toBe(true), { timeout: 3000 });
    const failed = page.records.flatMap((r) => (r.type === 'failed' ? [r] : []));
    expect(failed.map((r) => r.eventId)).toEqual([eventId]);
    expect(failed[0]!.error.message).toMatch(/expired, unsent after 300 ms/);
    const count = collector.seen.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(collector.seen).toHaveLength(count);
  });

  it('flush() resolves promptly, sending each waiting event once, whatever the collector answers', async () => {
    for (const answer of [platformDown, (events: readonly Envelope[]) => ({ status: 200, body: { accepted: 0, duplicates: 0, skipped: 0, rejected: [], failed: [], pending: events.map((e, index) => ({ index, eventId: e.eventId, event: e.event, retryAfterMs: 0 })) } })]) {
      const collector = await fakeCollector(answer);
      const page = trackerWith([fast(collector.url, { flushIntervalMs: 60_000, backoffMs: 60_000, maxBackoffMs: 60_000 })]);
      page.tracker.track('purchase_completed', order('B-4'));
      page.tracker.track('cta_clicked', { cta_id: 'hero' });
      const started = Date.now();
      await page.tracker.flush();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(collector.seen.flatMap((s) => s.events)).toHaveLength(2);
      server!.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    }
  });
});

describe('beacon within the collector limits', () => {
  it('never deletes events for a batch refused as a whole (400 too_many_events, 413): it sends them in smaller batches', async () => {
    const collector = await fakeCollector((events, n) =>
      events.length > 3
        ? { status: n % 2 ? 413 : 400, body: { error: { code: n % 2 ? 'payload_too_large' : 'too_many_events', message: 'send fewer events per batch' } } }
        : acceptAll(events, n),
    );
    const page = trackerWith([fast(collector.url, { batchSize: 8 })]);
    const ids = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (i % 4 ? page.tracker.track('cta_clicked', { cta_id: `c${i}` }) : page.tracker.track('purchase_completed', order(`L-${i}`))).eventId);
    await vi.waitFor(() => expect([...delivered(page.records)].sort()).toEqual([...ids].sort()), { timeout: 3000 });
    expect(page.records.filter((r) => r.type === 'failed')).toEqual([]);
    expect(collector.seen.slice(0, 2).map((s) => s.events.length)).toEqual([8, 4]);
  });

  it('refuses an event no request can carry when it is tracked, alone, and keeps every other event', async () => {
    const collector = await fakeCollector(acceptAll);
    const page = trackerWith([fast(collector.url, { flushIntervalMs: 60_000 })]);
    const others = [
      ...[1, 2, 3].map((i) => page.tracker.track('purchase_completed', order(`S-${i}`)).eventId),
      ...[1, 2, 3].map((i) => page.tracker.track('cta_clicked', { cta_id: `c${i}` }).eventId),
    ];
    const huge = page.tracker.track('purchase_completed', { ...order('HUGE'), coupon: 'x'.repeat(256 * 1024) }).eventId;
    await vi.waitFor(() => expect(page.records.some((r) => r.type === 'failed')).toBe(true));
    const failed = page.records.flatMap((r) => (r.type === 'failed' ? [r] : []));
    expect(failed.map((r) => r.eventId)).toEqual([huge]);
    expect(failed[0]!.error.message).toMatch(/refused, \d+ bytes: over 64 KiB/);
    await page.tracker.flush();
    expect([...delivered(page.records)].sort()).toEqual([...others].sort());
    expect(collector.seen.flatMap((s) => s.events.map((e) => e.eventId))).not.toContain(huge);
  });

  it('refuses an event larger than maxBytes instead of evicting the queue for it', async () => {
    const collector = await fakeCollector(() => ({ status: 503, body: {} }));
    const page = trackerWith([fast(collector.url, { maxBytes: 12_000, flushIntervalMs: 60_000, backoffMs: 60_000, maxBackoffMs: 60_000 })]);
    page.tracker.track('purchase_completed', order('M-1'));
    page.tracker.track('cta_clicked', { cta_id: 'small' });
    const big = page.tracker.track('cta_clicked', { cta_id: 'x'.repeat(20_000) }).eventId;
    await vi.waitFor(() => expect(page.records.some((r) => r.type === 'failed')).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(page.records.flatMap((r) => (r.type === 'failed' ? [r.eventId] : []))).toEqual([big]);
  });

  it('never evicts a conversion for a supporting event when the queue is full', async () => {
    const collector = await fakeCollector(() => ({ status: 503, body: {} }));
    const page = trackerWith([fast(collector.url, { maxEvents: 3, flushIntervalMs: 60_000, backoffMs: 60_000, maxBackoffMs: 60_000 })]);
    [1, 2, 3].forEach((i) => page.tracker.track('purchase_completed', order(`F-${i}`)));
    const click = page.tracker.track('cta_clicked', { cta_id: 'late' }).eventId;
    await vi.waitFor(() => expect(page.records.some((r) => r.type === 'failed')).toBe(true));
    expect(page.records.flatMap((r) => (r.type === 'failed' ? [r.eventId] : []))).toEqual([click]);
  });

  it('on page exit, a large conversion never keeps the small ones from the beacon', async () => {
    const collector = await fakeCollector(acceptAll);
    const sendBeacon = vi.fn((_url: string, _data?: BodyInit | null) => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: sendBeacon, configurable: true });
    try {
      const page = trackerWith([fast(collector.url, { flushIntervalMs: 60_000 })]);
      page.tracker.track('purchase_completed', { ...order('BIG'), coupon: 'x'.repeat(70_000) }); // first in line
      const leads = [1, 2, 3, 4, 5].map((i) => page.tracker.track('lead_submitted', { form_id: `f${i}` }).eventId);
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      Reflect.deleteProperty(document, 'visibilityState');
      const blobs = sendBeacon.mock.calls.filter(([url]) => url === collector.url).map(([, data]) => data as Blob);
      const beaconed = (await Promise.all(blobs.map(async (blob) => JSON.parse(await blob.text()) as { events: Envelope[] }))).flatMap((b) => b.events.map((e) => e.eventId));
      expect(beaconed).toEqual(leads);
    } finally {
      Reflect.deleteProperty(navigator, 'sendBeacon');
    }
  });

  it('on page exit, splits what waits into beacons of at most batchSize events, within 64 KiB in all, conversions first', async () => {
    const collector = await fakeCollector(() => ({ status: 503, body: {} }));
    const sendBeacon = vi.fn((_url: string, _data?: BodyInit | null) => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: sendBeacon, configurable: true });
    try {
      const page = trackerWith([fast(collector.url, { batchSize: 10, flushIntervalMs: 60_000, backoffMs: 60_000, maxBackoffMs: 60_000 })]);
      const clicks = Array.from({ length: 150 }, (_, i) => page.tracker.track('cta_clicked', { cta_id: `c${i}-${'x'.repeat(300)}` }).eventId);
      const orders = [1, 2, 3].map((i) => page.tracker.track('purchase_completed', order(`X-${i}`)).eventId);
      window.dispatchEvent(new Event('pagehide'));
      const blobs = sendBeacon.mock.calls.filter(([url]) => url === collector.url).map(([, data]) => data as Blob);
      const bodies = await Promise.all(blobs.map(async (blob) => JSON.parse(await blob.text()) as { events: Envelope[] }));
      expect(bodies.length).toBeGreaterThan(1);
      expect(Math.max(...bodies.map((b) => b.events.length))).toBeLessThanOrEqual(10);
      expect(blobs.reduce((sum, blob) => sum + blob.size, 0)).toBeLessThanOrEqual(65536);
      expect(bodies[0]!.events.slice(0, 3).map((e) => e.eventId)).toEqual(orders);
      expect(bodies.flatMap((b) => b.events).length).toBeLessThan(clicks.length); // the rest waits for a later request
    } finally {
      Reflect.deleteProperty(navigator, 'sendBeacon');
    }
  });
});

describe('beacon and what a previous page stored', () => {
  it('sends the rest when storage holds an event no request can carry, without looping on it', async () => {
    const collector = await fakeCollector(acceptAll);
    const storage = memoryStorage();
    const base = { campaign: {}, page: { path: '/', referrer: '' }, source: 'client', conversion: false, timestamp: Date.now() };
    const huge = { ...base, event: 'cta_clicked', eventId: '7d1c8c1e-5b7d-4c1e-8a0e-1f2e3d4c5b6a', payload: { cta_id: 'x'.repeat(70_000) } };
    const small = { ...base, event: 'cta_clicked', eventId: '8e1c8c1e-5b7d-4c1e-8a0e-1f2e3d4c5b6a', payload: { cta_id: 'small' } };
    storage.setItem(`conversion-kit:beacon:${collector.url}`, JSON.stringify([huge, small]));
    trackerWith([beacon({ url: collector.url, storage, flushIntervalMs: 5, backoffMs: 5 })]);
    await vi.waitFor(() => expect(collector.seen.flatMap((s) => s.events.map((e) => e.eventId))).toEqual([small.eventId]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(collector.seen).toHaveLength(1);
  });
});

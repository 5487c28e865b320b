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

import { afterEach, describe, expect, it } from 'vitest';
import { createCollector, createServerTracker, ga4MeasurementProtocol, memoryDedupeStore, type DedupeStore } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { batchOf, purchaseEnvelope } from './envelopes';
import { eventually, serveHandler, startPlatform, type Platform } from './platform';
import type { Recording } from './recording';

// A platform that hangs must never turn a resend into a "duplicate": the beacon forgets duplicates.

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function hangingGa4() {
  const ga4 = await startPlatform();
  open.push(ga4);
  let hanging = true;
  // Accepts the connection and never answers while hanging; answers 204 after.
  ga4.answer = () => (hanging ? { status: 204, delayMs: 60_000 } : { status: 204 });
  const delivered = () => ga4.requests.filter((request) => request.at > 0).length;
  return { ga4, recover: () => (hanging = false), delivered };
}

async function collectorFor(ga4: Platform, store: DedupeStore = memoryDedupeStore()) {
  const collector = createCollector({
    contract,
    store,
    consent: () => undefined,
    requestTimeoutMs: 300,
    destinations: [
      ga4MeasurementProtocol({
        measurementId: 'G-1',
        apiSecret: 's',
        endpoint: `${ga4.url}/mp/collect`,
        events: { purchase_completed: 'purchase' },
        timeoutMs: 700,
        retries: 0,
      }),
    ],
  });
  const server = await serveHandler(collector);
  open.push(server);
  return async () => {
    const started = Date.now();
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(purchaseEnvelope()) });
    return { ms: Date.now() - started, body: await response.json() };
  };
}

describe('a delivery still in flight', () => {
  it('answers within requestTimeoutMs, as pending, and a resend meanwhile is pending too, never a duplicate', async () => {
    const { ga4, recover } = await hangingGa4();
    const post = await collectorFor(ga4);

    const first = await post();
    // requestTimeoutMs is 300; the platform never answers. The margin is for loaded CI machines.
    expect(first.ms).toBeLessThan(2000);
    expect(first.body).toMatchObject({ accepted: 0, duplicates: 0, failed: [] });
    expect(first.body.pending).toEqual([
      expect.objectContaining({ index: 0, event: 'purchase_completed', eventId: purchaseEnvelope().eventId, retryAfterMs: expect.any(Number) }),
    ]);

    // The beacon's resend while the platform still hangs.
    const resend = await post();
    expect(resend.body.duplicates).toBe(0);
    expect(resend.body.pending).toHaveLength(1);

    // The hung attempt times out (700 ms), its claim is released; the platform recovers.
    await new Promise((resolve) => setTimeout(resolve, 800));
    recover();
    const later = await post();
    expect(later.body).toMatchObject({ accepted: 1, duplicates: 0, pending: [] });
    // The purchase did reach GA4: its last request was answered 204.
    expect(ga4.requests.at(-1)?.body.events[0].name).toBe('purchase');

    // Once delivered, a further resend is a true duplicate.
    expect((await post()).body).toMatchObject({ accepted: 0, duplicates: 1, pending: [] });
  });

  it('a slow delivery that succeeds after the answer is a duplicate for later resends', async () => {
    const ga4 = await startPlatform();
    open.push(ga4);
    ga4.answer = () => ({ status: 204, delayMs: 450 });
    const post = await collectorFor(ga4);
    expect((await post()).body.pending).toHaveLength(1);
    await eventually(() => expect(ga4.requests).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await post()).body).toMatchObject({ accepted: 0, duplicates: 1, pending: [] });
    expect(ga4.requests).toHaveLength(1);
  });

  it('the server tracker says pending, not duplicate, while the browser report is in flight', async () => {
    let open_ = (): void => {};
    const gate = { promise: new Promise<void>((resolve) => (open_ = resolve)), resolve: () => open_() };
    const slow: Recording = {
      name: 'slow',
      consent: 'none',
      received: [],
      fail: null,
      async send(envelope, context) {
        await gate.promise;
        if (slow.fail) throw slow.fail;
        slow.received.push({ envelope, context });
      },
    };
    const store = memoryDedupeStore();
    const collector = createCollector({ contract, store, destinations: [slow], consent: () => undefined, requestTimeoutMs: 100 });
    const answer = await collector(
      new Request('https://shop.example/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(purchaseEnvelope()) }),
    );
    expect((await answer.json()).pending).toHaveLength(1);

    const tracker = createServerTracker({ contract, store, destinations: [slow] });
    const result = await tracker.track('purchase_completed', { order_id: 'A-1001', value: 129, currency: 'EUR' });
    expect(result.status).toBe('pending');
    slow.fail = new Error('platform down');
    gate.resolve();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The browser's delivery failed; the webhook's retry now delivers it.
    slow.fail = null;
    expect((await tracker.track('purchase_completed', { order_id: 'A-1001', value: 129, currency: 'EUR' })).status).toBe('sent');
    expect(slow.received).toHaveLength(1);
  });

  it('refuses a requestTimeoutMs the beacon would not wait for', () => {
    expect(() => createCollector({ contract, store: memoryDedupeStore(), requestTimeoutMs: 0 })).toThrow(/requestTimeoutMs/);
  });
});

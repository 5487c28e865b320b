import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventIdFor } from 'conversion-kit/core';
import { createCollector, ga4MeasurementProtocol, metaConversionsApi, redisDedupeStore } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { batchOf, purchaseEnvelope } from './envelopes';
import { serveHandler, startPlatform, type Platform } from './platform';

const connect = () => createClient({ url: inject('redisUrl') }).connect();
type Client = Awaited<ReturnType<typeof connect>>;
const prefix = `shared:${process.pid}:${Date.now()}:`;
let ga4: Platform;
let meta: Platform;
let clients: Client[];
let collectors: { url: string; close(): Promise<void> }[];

beforeAll(async () => {
  ga4 = await startPlatform();
  meta = await startPlatform();
  // Slow platforms widen the window in which both collectors handle the same order.
  ga4.answer = () => ({ status: 204, delayMs: 20 });
  meta.answer = () => ({ status: 200, body: { events_received: 1 }, delayMs: 20 });
  // Two collector instances, as behind a load balancer: own process state, own Redis connection.
  clients = await Promise.all([connect(), connect()]);
  collectors = await Promise.all(
    clients.map((client) =>
      serveHandler(
        createCollector({
          contract,
          store: redisDedupeStore(client, { prefix }),
          consent: () => ({ analytics: 'granted', ads: 'granted' }),
          clientInfo: { userAgent: true },
          destinations: [
            ga4MeasurementProtocol({ measurementId: 'G-1', apiSecret: 's', endpoint: `${ga4.url}/mp/collect`, events: { purchase_completed: 'purchase' } }),
            metaConversionsApi({ pixelId: '1', accessToken: 't', siteUrl: 'https://shop.example', endpoint: meta.url, events: { purchase_completed: 'Purchase' } }),
          ],
        }),
      ),
    ),
  );
});

afterAll(async () => {
  await Promise.all(collectors.map((collector) => collector.close()));
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all([ga4.close(), meta.close()]);
});

const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body }).then((response) => response.json());

describe('two collectors sharing one Redis', () => {
  it('forward a conversion both receive at the same moment exactly once to each platform', async () => {
    const orders = Array.from({ length: 20 }, (_, i) => `R-${Date.now()}-${i}`);
    const batches = orders.map((order) =>
      batchOf(purchaseEnvelope({ dedupeKey: order, eventId: eventIdFor('purchase_completed', order), payload: { order_id: order, value: 10, currency: 'EUR' } })),
    );
    const answers = await Promise.all(batches.flatMap((body) => collectors.map((collector) => post(collector.url, body))));

    const ga4Orders = ga4.requests.map((request) => request.body.events[0].params.transaction_id).sort();
    const metaIds = meta.requests.map((request) => request.body.data[0].event_id).sort();
    expect(ga4Orders).toEqual([...orders].sort());
    expect(metaIds).toEqual(orders.map((order) => eventIdFor('purchase_completed', order)).sort());
    expect(answers.every((answer) => answer.rejected.length === 0 && answer.failed.length === 0)).toBe(true);
  });
});

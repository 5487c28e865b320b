// @vitest-environment jsdom
// The browser half runs as a page would: the real beacon and Meta Pixel destinations, in jsdom, with
// the pixel's official queue stub and the _ga / _fbp cookies the beacon reads its identity from.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTracker, eventIdFor, memoryStorage, type TrackingRecord } from 'conversion-kit/core';
import { beacon, metaPixel } from 'conversion-kit/destinations';
import {
  createCollector,
  createServerTracker,
  ga4MeasurementProtocol,
  metaConversionsApi,
  redisDedupeStore,
} from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { installMetaPixelSnippet, resetPlatforms } from '../fixtures/platform-snippets';
import { ORDER } from './envelopes';
import { eventually, serveHandler, startPlatform, type Platform } from './platform';

let ga4: Platform;
let meta: Platform;
const connect = () => createClient({ url: inject('redisUrl') }).connect();
let redis: Awaited<ReturnType<typeof connect>>;
let collector: { url: string; close(): Promise<void> };

beforeAll(async () => {
  [ga4, meta] = await Promise.all([startPlatform(), startPlatform()]);
  meta.answer = () => ({ status: 200, body: { events_received: 1, messages: [], fbtrace_id: 'x' } });
  redis = await connect();
});
afterAll(async () => {
  resetPlatforms();
  await collector.close();
  await redis.close();
  await Promise.all([ga4.close(), meta.close()]);
});

describe('the hybrid story', () => {
  it('browser and server both report order A-1001; GA4 MP and Meta CAPI each get one purchase, with the pixel event_id', async () => {
    const store = redisDedupeStore(redis, { prefix: `hybrid:${process.pid}:${Date.now()}:` });
    const destinations = [
      ga4MeasurementProtocol({ measurementId: 'G-SHOP', apiSecret: 'mp-secret', endpoint: `${ga4.url}/mp/collect`, events: { purchase_completed: 'purchase' } }),
      metaConversionsApi({ pixelId: '998877', accessToken: 'capi-token', endpoint: meta.url, events: { purchase_completed: 'Purchase' }, siteUrl: 'https://shop.example' }),
    ];
    collector = await serveHandler(createCollector({
      contract,
      store,
      destinations,
      allowedOrigins: ['https://shop.example'],
      consent: () => ({ analytics: 'granted', ads: 'granted' }), // the visitor accepted the banner
      clientInfo: { userAgent: true },
    }));
    const serverTracker = createServerTracker({ contract, store, destinations });

    // The browser: a visitor from a Meta ad completes checkout.
    document.cookie = '_ga=GA1.1.468604437.1611708469; path=/';
    document.cookie = '_fbp=fb.1.1596403881668.1116446470; path=/';
    const pixel = installMetaPixelSnippet('998877');
    const records: TrackingRecord[] = [];
    const browser = createTracker({
      contract,
      storage: memoryStorage(),
      campaign: { url: 'https://shop.example/landing?utm_source=meta&utm_medium=paid_social&fbclid=IwAR1abc', referrer: '' },
      destinations: [
        metaPixel({ events: { purchase_completed: 'Purchase' } }),
        beacon({ url: collector.url, storage: memoryStorage(), flushIntervalMs: 5 }),
      ],
    });
    browser.subscribe((record) => records.push(record));

    // Both sides report the same paid order at about the same time: the thank-you page and the
    // payment provider's webhook.
    const [browserResult, serverResult] = await Promise.all([
      Promise.resolve(browser.track('purchase_completed', ORDER)),
      serverTracker.track('purchase_completed', ORDER, { clientId: '468604437.1611708469', userData: { email: 'ada@example.com' } }),
    ]);
    // Whichever side comes second while the other's delivery is under way is told `pending`, never
    // `duplicate`: the webhook answers 503 and its retry comes back; the beacon resends after
    // retryAfterMs (5 s). Both then end as duplicates of the one delivery.
    let webhook = serverResult;
    while (webhook.status === 'pending') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      webhook = await serverTracker.track('purchase_completed', ORDER, { clientId: '468604437.1611708469', userData: { email: 'ada@example.com' } });
    }
    await eventually(
      () => expect(records.filter((r) => r.type === 'delivered').map((r) => 'destination' in r && r.destination).sort()).toEqual(['beacon', 'meta-pixel']),
      12_000,
    );
    expect(records.filter((r) => r.type === 'failed')).toEqual([]);

    // The Meta Pixel call's eventID is what the server derived and sent as the Conversions API event_id.
    const [purchaseCall] = pixel.calls().filter((call) => call[0] === 'track' && call[1] === 'Purchase');
    const pixelEventId = (purchaseCall![3] as { eventID: string }).eventID;
    expect(pixelEventId).toBe(eventIdFor('purchase_completed', 'A-1001'));
    expect(browserResult.eventId).toBe(pixelEventId);
    expect(serverResult.eventId).toBe(pixelEventId);
    expect(webhook.status === 'sent' || webhook.status === 'duplicate').toBe(true);

    expect(ga4.requests).toHaveLength(1);
    expect(ga4.requests[0]!.body.events).toEqual([
      { name: 'purchase', params: { transaction_id: 'A-1001', value: 129, currency: 'EUR', engagement_time_msec: 1, order_id: 'A-1001' } },
    ]);
    expect(ga4.requests[0]!.body.client_id).toBe('468604437.1611708469');
    expect(meta.requests).toHaveLength(1);
    expect(meta.requests[0]!.body.data[0]).toMatchObject({
      event_name: 'Purchase',
      event_id: pixelEventId,
      action_source: 'website',
      custom_data: { value: 129, currency: 'EUR', order_id: 'A-1001' },
    });

    // The payment provider retries its webhook later: still one purchase each.
    expect((await serverTracker.track('purchase_completed', ORDER)).status).toBe('duplicate');
    expect([ga4.requests.length, meta.requests.length]).toEqual([1, 1]);
  }, 30_000);
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from 'conversion-kit/core';
import { beacon } from 'conversion-kit/destinations';
import { createCollector, ga4MeasurementProtocol, memoryDedupeStore, toNodeHandler } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { startPlatform, type Platform } from '../server/platform';
import { order, trackerWith } from './helpers';

// The `_ga_<container id>` cookie is not documented by Google; its GS1 and GS2 forms are described in
// "Google Analytics 4 Cookie Format Change: From GS1 to GS2 Explained",
// https://www.thyngster.com/google-analytics-4-cookie-format-change-from-gs1-to-gs2-explained
// Google documents what the Measurement Protocol needs: session_id and engagement_time_msec in the
// event's params ("Send Measurement Protocol events to Google Analytics",
// https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events).

let server: Server | undefined;
let ga4: Platform | undefined;
const COOKIES = ['_ga', '_ga_TEST123', '_ga_OTHER99'];

afterEach(async () => {
  for (const name of COOKIES) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await ga4?.close();
  server = undefined;
  ga4 = undefined;
});

/** The real collector on 127.0.0.1, forwarding to GA4 MP, itself a local HTTP server. */
async function collectorToGa4() {
  ga4 = await startPlatform();
  const destination = ga4MeasurementProtocol({ measurementId: 'G-TEST123', apiSecret: 's', endpoint: `${ga4.url}/mp/collect`, events: { purchase_completed: 'purchase' } });
  const collector = createCollector({ contract, store: memoryDedupeStore(), destinations: [destination], allowedOrigins: '*' });
  server = createServer(toNodeHandler(collector));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`;
}

/** Tracks a purchase through the beacon and returns the GA4 MP request body. */
async function purchaseThroughBeacon() {
  const url = await collectorToGa4();
  const page = trackerWith([beacon({ url, storage: memoryStorage(), flushIntervalMs: 5 })]);
  page.tracker.track('purchase_completed', order('S-1'));
  await vi.waitFor(() => expect(ga4!.requests).toHaveLength(1), { timeout: 5000 });
  return ga4!.requests[0]!.body;
}

describe('GA4 session from the _ga_<container id> cookie', () => {
  it('reads a GS2 cookie and GA4 MP gets its session_id with a positive engagement time', async () => {
    document.cookie = '_ga=GA1.1.468604437.1611708469; path=/';
    document.cookie = '_ga_TEST123=GS2.1.s1746825440$o14$g1$t1746826000$j60$l0$h0; path=/';
    const body = await purchaseThroughBeacon();
    expect(body.client_id).toBe('468604437.1611708469');
    expect(body.events[0].params).toMatchObject({ session_id: '1746825440', engagement_time_msec: 1 });
  });

  it('reads a GS1 cookie the same way', async () => {
    document.cookie = '_ga=GA1.1.468604437.1611708469; path=/';
    document.cookie = '_ga_TEST123=GS1.1.1746825440.14.0.1746825440.0.0.0; path=/';
    const body = await purchaseThroughBeacon();
    expect(body.events[0].params.session_id).toBe('1746825440');
  });

  it('leaves the session out when two GA4 properties on the page have different sessions', async () => {
    document.cookie = '_ga=GA1.1.468604437.1611708469; path=/';
    document.cookie = '_ga_TEST123=GS2.1.s1746825440$o14; path=/';
    document.cookie = '_ga_OTHER99=GS2.1.s1746800000$o3; path=/';
    const body = await purchaseThroughBeacon();
    expect(body.events[0].params).not.toHaveProperty('session_id');
    expect(body.events[0].params.engagement_time_msec).toBe(1);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnalyticsBrowser } from '@segment/analytics-next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { segment, type SegmentAnalytics } from 'conversion-kit/destinations';
import { order, trackerWith } from './helpers';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Segment's tracking API on 127.0.0.1: records what analytics.js delivers (`/v1/t`, `/v1/batch`). */
async function segmentApi() {
  const received: Record<string, any>[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text) {
        const body = JSON.parse(text);
        received.push(...(Array.isArray(body.batch) ? body.batch : [body]));
      }
      response.writeHead(200, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}/v1`, received };
}

describe('segment with the real @segment/analytics-next', () => {
  it("delivers each event once with the envelope's eventId as messageId, adding the middleware once", async () => {
    const api = await segmentApi();
    const analytics = AnalyticsBrowser.load(
      { writeKey: 'test-key', cdnSettings: { integrations: { 'Segment.io': { apiKey: 'test-key', apiHost: api.host, protocol: 'http' } } } },
      { disableClientPersistence: true },
    );
    const middleware = vi.spyOn(analytics, 'addSourceMiddleware');
    const page = trackerWith([segment({ analytics: analytics as unknown as SegmentAnalytics, events: { purchase_completed: 'Order Completed' } })]);
    const first = page.tracker.track('purchase_completed', order('SEG-1')).eventId;
    const second = page.tracker.track('cta_clicked', { cta_id: 'hero' }).eventId;
    await vi.waitFor(() => expect(api.received.filter((e) => e.type === 'track')).toHaveLength(2), { timeout: 8000 });
    const tracks = api.received.filter((e) => e.type === 'track');
    expect(tracks.map((e) => [e.event, e.messageId])).toEqual([
      ['Order Completed', first],
      ['cta_clicked', second],
    ]);
    expect(middleware).toHaveBeenCalledTimes(1);
  });
});

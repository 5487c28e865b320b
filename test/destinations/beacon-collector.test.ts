import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage, type Envelope } from 'conversion-kit/core';
import { beacon } from 'conversion-kit/destinations';
import { createCollector, memoryDedupeStore, toNodeHandler } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { order, trackerWith } from './helpers';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** The real collector on 127.0.0.1, forwarding to a platform that is down for its first `outage` calls. */
async function collectorWithOutage(outage: number) {
  const received: Envelope[] = [];
  let calls = 0;
  const platform = {
    name: 'ga4',
    consent: 'none' as const,
    send(envelope: Envelope) {
      if (++calls <= outage) throw Object.assign(new Error('503 from the platform'), { retryable: true });
      received.push(envelope);
    },
  };
  const collector = createCollector({ contract, store: memoryDedupeStore(), destinations: [platform], allowedOrigins: '*' });
  server = createServer(toNodeHandler(collector));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`, received, calls: () => calls };
}

describe('beacon and the real collector', () => {
  it('sends an event again when the collector stored it but a platform behind it failed for now', async () => {
    const collector = await collectorWithOutage(1);
    const page = trackerWith([beacon({ url: collector.url, storage: memoryStorage(), flushIntervalMs: 5, backoffMs: 5, maxBackoffMs: 20 })]);
    const { eventId } = page.tracker.track('purchase_completed', order('R-1'));
    await vi.waitFor(() => expect(collector.received.map((e) => e.eventId)).toEqual([eventId]), { timeout: 5000 });
    await page.tracker.flush();
    expect(collector.calls()).toBe(2);
    expect(page.records.filter((r) => r.type === 'delivered').map((r) => r.eventId)).toEqual([eventId]);
  });
});

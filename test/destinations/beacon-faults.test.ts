import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from 'conversion-kit/core';
import { beacon } from 'conversion-kit/destinations';
import { startCollector, type Collector, type Fault } from '../fixtures/collector';
import { order, trackerWith } from './helpers';

let collector: Collector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

/** Tracks 40 events (every fourth a purchase) through a beacon with fast retries; returns their ids. */
async function trackThrough(faults: Fault[] | (() => Fault | undefined)) {
  collector = await startCollector({ faults });
  const destination = beacon({ url: collector.url, storage: memoryStorage(), batchSize: 5, flushIntervalMs: 5, timeoutMs: 150, backoffMs: 5, maxBackoffMs: 40 });
  const page = trackerWith([destination]);
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const result = i % 4 === 0 ? page.tracker.track('purchase_completed', order(`A-${i}`)) : page.tracker.track('cta_clicked', { cta_id: `c${i}` });
    ids.push(result.eventId);
  }
  await collector.waitForStored(ids.length, 15_000);
  await page.tracker.flush(); // the store is not yet the answer: wait for every answer
  return { ...page, ids, collector };
}

const deliveredOnceEach = (page: Awaited<ReturnType<typeof trackThrough>>) => {
  const delivered = page.records.flatMap((r) => (r.type === 'delivered' ? [r.eventId] : []));
  expect([...delivered].sort()).toEqual([...page.ids].sort());
  expect(page.records.filter((r) => r.type === 'failed')).toEqual([]);
};

describe('beacon under faults, against a real HTTP server', () => {
  it('delivers every event when the first requests fail with 500', async () => {
    const page = await trackThrough([500, 500, 500, 500]);
    expect([...page.collector.stored.keys()].sort()).toEqual([...page.ids].sort());
    expect(page.collector.requests.slice(0, 4).map((r) => r.answer)).toEqual([500, 500, 500, 500]);
    deliveredOnceEach(page);
  });

  it('delivers every event when requests time out, and the server stores none twice', async () => {
    const page = await trackThrough(['hang', 'store-then-hang', 'hang']);
    expect(page.collector.stored.size).toBe(40);
    // The batch stored before the timeout came again: the server saw it twice and stored it once.
    expect(page.collector.duplicates).toBeGreaterThanOrEqual(5);
    deliveredOnceEach(page);
  });

  it('delivers every event through dropped connections, 503 and 429', async () => {
    const page = await trackThrough(['reset', 503, 429, 'reset', 502]);
    expect(page.collector.stored.size).toBe(40);
    deliveredOnceEach(page);
  });

  it('delivers every event when a third of all requests fail in every way', async () => {
    const kinds: Fault[] = [500, 'store-then-hang', 'reset', 503, 'hang', 429];
    let request = 0;
    const page = await trackThrough(() => (request++ % 3 === 0 ? kinds[(request / 3) % kinds.length | 0] : undefined));
    expect([...page.collector.stored.keys()].sort()).toEqual([...page.ids].sort());
    expect(new Set(page.collector.requests.map((r) => r.answer)).size).toBeGreaterThan(3);
    deliveredOnceEach(page);
  });
});

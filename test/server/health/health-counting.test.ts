import { describe, expect, it } from 'vitest';
import { eventIdFor } from 'conversion-kit/core';
import { createCollector, memoryDedupeStore, type ServerDestination } from 'conversion-kit/server';
import { contract } from '../../fixtures/contract';
import { batchOf, purchaseEnvelope } from '../envelopes';

// Counting (src/server/stats) and judging (src/server/health) were built apart: this proves that what
// the collector counts is what collector.health() judges, through the default store.
describe('collector.health() judges what the collector counted', () => {
  it('reports the purchases, the rejected report, its release and the destination from real requests', async () => {
    const ga4: ServerDestination = { name: 'ga4', consent: 'none', send() {} };
    const collector = createCollector({ contract, store: memoryDedupeStore(), destinations: [ga4] });
    const post = (body: string) => collector(new Request('https://shop.example/api/collect', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    const release = 'v2.0.0';
    const orders = ['H-1', 'H-2', 'H-3'].map((order) => ({ ...purchaseEnvelope(), release, dedupeKey: order, payload: { order_id: order, value: 10, currency: 'EUR' } }));
    expect((await post(batchOf(...orders.map(withId)))).status).toBe(200);
    await post(batchOf(withId(orders[0]!))); // a resend: a duplicate
    await post(batchOf(withId({ ...orders[1]!, dedupeKey: 'H-9', payload: { order_id: 'H-9', value: 'ten', currency: 'EUR' } })));
    // Counting goes to the store after the answer, in the background.
    await new Promise((resolve) => setTimeout(resolve, 20));

    const purchases = (await collector.health()).events.find((event) => event.event === 'purchase_completed')!;
    expect(purchases.last24h).toMatchObject({ unique: 3, duplicate: 1 });
    expect(purchases.last24h.rejected).toBe(1);
    expect(purchases.lastSeen).not.toBeNull();
    expect(purchases.releases.map((entry) => entry.release)).toContain(release);
    expect(purchases.destinations).toEqual([expect.objectContaining({ destination: 'ga4', delivered: 3 })]);
    expect(purchases.topIssue?.message).toMatch(/purchase_completed\.value/);
  });
});

function withId<T extends { dedupeKey: string | null }>(envelope: T): T & { eventId: string } {
  return { ...envelope, eventId: eventIdFor('purchase_completed', envelope.dedupeKey!) };
}

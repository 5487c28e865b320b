import { describe, expect, it, vi } from 'vitest';
import { eventIdFor, randomEventId } from 'conversion-kit/core';
import { createCollector, createServerTracker, memoryDedupeStore } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { batchOf, ORDER, purchaseEnvelope } from './envelopes';
import { recording } from './recording';

function setup() {
  const store = memoryDedupeStore();
  const ga4 = recording('ga4', 'analytics');
  const meta = recording('meta', 'ads');
  const onError = vi.fn();
  const tracker = createServerTracker({ contract, store, destinations: [ga4, meta], onError });
  return { store, ga4, meta, onError, tracker };
}

describe('createServerTracker', () => {
  it('forwards a backend-confirmed purchase with the eventId the browser derives', async () => {
    const { tracker, ga4 } = setup();
    const result = await tracker.track('purchase_completed', ORDER);
    expect(result).toEqual({
      status: 'sent',
      eventId: eventIdFor('purchase_completed', 'A-1001'),
      destinations: [
        { destination: 'ga4', status: 'delivered' },
        { destination: 'meta', status: 'delivered' },
      ],
    });
    expect(ga4.received[0]!.envelope).toMatchObject({ source: 'server', conversion: true, dedupeKey: 'A-1001', payload: ORDER });
  });

  it('answers duplicate for an order already forwarded', async () => {
    const { tracker, meta } = setup();
    await tracker.track('purchase_completed', ORDER);
    const again = await tracker.track('purchase_completed', ORDER);
    expect(again.status).toBe('duplicate');
    expect(meta.received).toHaveLength(1);
  });

  it('answers duplicate for an order the browser already reported through the collector', async () => {
    const { store, ga4, meta, tracker } = setup();
    const collector = createCollector({ contract, store, destinations: [ga4, meta], consent: () => undefined });
    await collector(new Request('https://shop.example/collect', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: batchOf(purchaseEnvelope()) }));
    expect((await tracker.track('purchase_completed', ORDER)).status).toBe('duplicate');
    expect(ga4.received).toHaveLength(1);
  });

  it('returns invalid naming event and field, forwards nothing and never throws', async () => {
    const { tracker, ga4, onError } = setup();
    const result = await tracker.track('purchase_completed', { ...ORDER, value: 'lots' } as never);
    expect(result.status).toBe('invalid');
    expect(result.issues?.[0]?.path).toEqual(['value']);
    expect(onError.mock.calls[0]![0].message).toContain('purchase_completed.value:');
    expect(ga4.received).toEqual([]);
  });

  it('returns invalid for an event the contract does not have', async () => {
    const { tracker } = setup();
    const result = await tracker.track('order_refunded' as never, {} as never);
    expect(result).toMatchObject({ status: 'invalid', destinations: [] });
  });

  it('refuses an explicit eventId that is not eventIdFor(event, dedupeKey)', async () => {
    const { tracker, ga4 } = setup();
    const result = await tracker.track('purchase_completed', ORDER, { eventId: randomEventId() });
    expect(result.status).toBe('invalid');
    expect(result.issues?.[0]).toMatchObject({ path: ['eventId'], message: expect.stringContaining(`expected ${eventIdFor('purchase_completed', 'A-1001')}`) });
    expect(ga4.received).toEqual([]);
  });

  it('uses an explicit eventId for an event without a dedup key', async () => {
    const { tracker, ga4 } = setup();
    const eventId = randomEventId();
    await tracker.track('lead_submitted', { form_id: 'demo' }, { eventId });
    expect(ga4.received[0]!.envelope.eventId).toBe(eventId);
  });

  it('reports failed when a destination fails, and delivers only to it on the next call', async () => {
    const { tracker, ga4, meta } = setup();
    meta.fail = new Error('Meta answered 503');
    const first = await tracker.track('purchase_completed', ORDER);
    expect(first.status).toBe('failed');
    expect(first.destinations).toContainEqual({ destination: 'meta', status: 'failed', reason: 'Meta answered 503', retryable: true });
    meta.fail = null;
    const second = await tracker.track('purchase_completed', ORDER);
    expect(second.destinations).toEqual([
      { destination: 'ga4', status: 'duplicate' },
      { destination: 'meta', status: 'delivered' },
    ]);
    expect(ga4.received).toHaveLength(1);
  });

  it('hands user data, client id, campaign and time to the destinations', async () => {
    const { tracker, meta } = setup();
    const campaign = { first: null, last: { utm_source: 'google', landing_page: 'https://shop.example/', referrer: '', captured_at: 1 } };
    await tracker.track('purchase_completed', ORDER, {
      clientId: '123.456',
      userData: { email: 'ada@example.com' },
      campaign,
      timestamp: 1_764_372_000_000,
    });
    const { envelope, context } = meta.received[0]!;
    expect(envelope).toMatchObject({ identity: { ga_client_id: '123.456' }, campaign, timestamp: 1_764_372_000_000 });
    expect(context.userData).toEqual({ email: 'ada@example.com' });
  });

  it('skips an ads destination when the customer denied ads consent', async () => {
    const { tracker, meta } = setup();
    const result = await tracker.track('purchase_completed', ORDER, { consent: { ads: 'denied' } });
    expect(result.destinations).toContainEqual({ destination: 'meta', status: 'skipped', reason: 'ads consent is denied' });
    expect(meta.received).toEqual([]);
  });

  it('returns skipped, not sent, when consent kept the event from every destination', async () => {
    const { tracker, ga4, meta } = setup();
    const result = await tracker.track('purchase_completed', ORDER, { consent: { analytics: 'pending', ads: 'denied' } });
    expect(result.status).toBe('skipped');
    expect([...ga4.received, ...meta.received]).toEqual([]);
  });
});

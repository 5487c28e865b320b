import { describe, expect, it } from 'vitest';
import { memoryStorage } from 'conversion-kit/core';
import { createTestTracker } from 'conversion-kit/testing';
import { contract } from '../fixtures/contract';

const order = { order_id: 'A-1', value: 10, currency: 'EUR' };

describe('createTestTracker', () => {
  it('records what was sent, the conversions, the rejections and the duplicates', () => {
    const tracker = createTestTracker({ contract });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    tracker.track('purchase_completed', order);
    tracker.track('purchase_completed', order);
    tracker.track('lead_submitted', { form_id: '' });
    expect(tracker.sent.map((e) => e.event)).toEqual(['cta_clicked', 'purchase_completed']);
    expect(tracker.conversions().map((e) => e.event)).toEqual(['purchase_completed']);
    expect(tracker.conversions('cta_clicked')).toHaveLength(1);
    expect(tracker.duplicates.map((r) => r.envelope.dedupeKey)).toEqual(['A-1']);
    expect(tracker.rejected[0]!.error.message).toMatch(/lead_submitted\.form_id/);
  });

  it('starts clean after reset, dedup ledger included', () => {
    const tracker = createTestTracker({ contract });
    tracker.track('purchase_completed', order);
    tracker.reset();
    expect(tracker.sent).toHaveLength(0);
    expect(tracker.records).toHaveLength(0);
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
  });

  it("clears its own namespace's handoffs on reset, and leaves another namespace's", () => {
    const storage = memoryStorage();
    const shop = createTestTracker({ contract, storage, namespace: 'shop' });
    const gifts = createTestTracker({ contract, storage, namespace: 'gifts' });
    shop.handoff('purchase_completed', order);
    gifts.handoff('purchase_completed', order);
    shop.reset();
    expect(shop.completeHandoff('purchase_completed')).toBeNull();
    expect(gifts.completeHandoff('purchase_completed')?.status).toBe('sent');
  });

  it('shows held and dropped events under consent', () => {
    const tracker = createTestTracker({ contract, consent: { analytics: 'pending' } });
    tracker.track('purchase_completed', order);
    expect(tracker.held).toHaveLength(1);
    tracker.setConsent({ analytics: 'denied' });
    expect(tracker.held).toHaveLength(0);
    expect(tracker.dropped.map((r) => [r.destination, r.reason])).toEqual([['test-recorder', 'consent_denied']]);
    expect(tracker.sent).toHaveLength(0);
  });

  it('keeps an event held while any destination still waits, whatever the others did', () => {
    const meta = { name: 'meta', consent: 'ads' as const, send() {} };
    const tracker = createTestTracker({ contract, consent: { analytics: 'granted', ads: 'pending' }, destinations: [meta] });
    tracker.track('purchase_completed', order);
    expect(tracker.sent).toHaveLength(1);
    expect(tracker.held.map((record) => record.destinations)).toEqual([['meta']]);
    tracker.setConsent({ ads: 'granted' });
    expect(tracker.held).toEqual([]);
  });

  it('does not capture the test runner page URL unless asked', () => {
    expect(createTestTracker({ contract }).getCampaign()).toEqual({ first: null, last: null });
    const landed = createTestTracker({ contract, campaign: { url: 'https://shop.example/?utm_source=google' } });
    expect(landed.getCampaign().last?.utm_source).toBe('google');
  });
});

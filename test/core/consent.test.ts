import { describe, expect, it, vi } from 'vitest';
import { createTracker, memoryStorage, type Destination, type Envelope, type KeyValueStorage } from 'conversion-kit/core';
import { contract } from '../fixtures/contract';

function recording(name: string, consent: Destination['consent']): Destination & { received: Envelope[] } {
  const received: Envelope[] = [];
  return { name, consent, received, send: (envelope) => void received.push(envelope) };
}

const order = (id: string) => ({ order_id: id, value: 10, currency: 'EUR' });

function setup(consent?: Parameters<typeof createTracker>[0]['consent'], storage: KeyValueStorage = memoryStorage()) {
  const analytics = recording('ga4', 'analytics');
  const ads = recording('meta', 'ads');
  const necessary = recording('ops-log', 'none');
  const tracker = createTracker({ contract, storage, campaign: false, consent, destinations: [analytics, ads, necessary] });
  const records: string[] = [];
  tracker.subscribe((record) => records.push(`${record.type}${'destination' in record ? `:${record.destination}` : ''}`));
  return { tracker, analytics, ads, necessary, records };
}

describe('consent', () => {
  it('counts every category as granted without a consent option', () => {
    const { tracker, analytics, ads } = setup();
    expect(tracker.getConsent()).toEqual({ analytics: 'granted', ads: 'granted' });
    expect(tracker.track('purchase_completed', order('1')).status).toBe('sent');
    expect([analytics.received.length, ads.received.length]).toEqual([1, 1]);
  });

  it('holds events while consent is pending, then releases them in order when granted', () => {
    const { tracker, analytics, ads, necessary, records } = setup({ analytics: 'pending', ads: 'pending' });
    expect(tracker.track('purchase_completed', order('1')).status).toBe('queued');
    tracker.track('cta_clicked', { cta_id: 'hero' });
    tracker.track('purchase_completed', order('2'));
    expect(analytics.received).toHaveLength(0);
    expect(necessary.received).toHaveLength(3);
    expect(records.slice(0, 2)).toEqual(['queued', 'delivered:ops-log']);

    tracker.setConsent({ analytics: 'granted' });
    expect(analytics.received.map((e) => e.eventId)).toEqual(necessary.received.map((e) => e.eventId));
    expect(ads.received).toHaveLength(0);
    tracker.setConsent({ ads: 'granted' });
    expect(ads.received.map((e) => e.event)).toEqual(['purchase_completed', 'cta_clicked', 'purchase_completed']);
  });

  it('drops held events for a denied category and never sends them later', () => {
    const { tracker, analytics, ads, records } = setup({ analytics: 'pending', ads: 'pending' });
    tracker.track('purchase_completed', order('1'));
    tracker.setConsent({ analytics: 'granted', ads: 'denied' });
    expect(analytics.received).toHaveLength(1);
    expect(records).toContain('dropped:meta');
    tracker.setConsent({ ads: 'granted' });
    expect(ads.received).toHaveLength(0);
    expect(tracker.track('purchase_completed', order('1')).status).toBe('duplicate');
  });

  it('drops events for denied categories at once', () => {
    const { tracker, analytics, ads, records } = setup({ analytics: 'granted', ads: 'denied' });
    expect(tracker.track('purchase_completed', order('1')).status).toBe('sent');
    expect([analytics.received.length, ads.received.length]).toEqual([1, 0]);
    expect(records).toEqual(['sent', 'delivered:ga4', 'dropped:meta', 'delivered:ops-log']);
  });

  it('counts a held conversion once even when tracked again before the decision', () => {
    const { tracker, analytics } = setup({ analytics: 'pending' });
    tracker.track('purchase_completed', order('1'));
    expect(tracker.track('purchase_completed', order('1')).status).toBe('duplicate');
    tracker.setConsent({ analytics: 'granted' });
    expect(analytics.received).toHaveLength(1);
  });

  it('treats a category the consent option leaves out as pending, never as granted', () => {
    const { tracker, analytics, ads } = setup({ analytics: 'granted' });
    expect(tracker.getConsent()).toEqual({ analytics: 'granted', ads: 'pending' });
    tracker.track('purchase_completed', order('1'));
    expect([analytics.received.length, ads.received.length]).toEqual([1, 0]);
    tracker.setConsent({ ads: 'granted' });
    expect(ads.received).toHaveLength(1);
  });

  it('writes nothing about held events to storage', () => {
    const storage = memoryStorage();
    const setItem = vi.spyOn(storage, 'setItem');
    const { tracker } = setup({ analytics: 'pending', ads: 'pending' }, storage);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    tracker.track('lead_submitted', { form_id: 'demo' });
    expect(setItem).not.toHaveBeenCalled();
  });

  it('bounds the hold queue (500 events, whatever the destinations): further supporting events are dropped, a conversion takes the place of the oldest', () => {
    const { tracker, analytics, records } = setup({ analytics: 'pending', ads: 'granted' });
    for (let i = 0; i < 501; i++) tracker.track('cta_clicked', { cta_id: `c${i}` });
    expect(records.filter((r) => r === 'dropped:ga4')).toHaveLength(1); // c500, not held
    tracker.track('purchase_completed', order('keep'));
    expect(records.filter((r) => r === 'dropped:ga4')).toHaveLength(2); // c0, for the conversion
    tracker.setConsent({ analytics: 'granted' });
    expect(analytics.received).toHaveLength(500);
    expect(analytics.received[0]!.payload).toEqual({ cta_id: 'c1' });
    expect(analytics.received.at(-2)!.payload).toEqual({ cta_id: 'c499' });
    expect(analytics.received.at(-1)!.event).toBe('purchase_completed');
  });

  it('tells destinations about consent changes and notifies state subscribers once per change', () => {
    const updateConsent = vi.fn();
    const tracker = createTracker({
      contract,
      storage: memoryStorage(),
      campaign: false,
      consent: { analytics: 'pending', ads: 'pending' },
      destinations: [{ name: 'gtag', send() {}, updateConsent }],
    });
    const listener = vi.fn();
    tracker.subscribeState(listener);
    tracker.setConsent({ analytics: 'granted', ads: 'denied' });
    tracker.setConsent({ analytics: 'granted' });
    expect(updateConsent.mock.calls).toEqual([
      [{ analytics: 'pending', ads: 'pending' }],
      [{ analytics: 'granted', ads: 'denied' }],
    ]);
    expect(listener).toHaveBeenCalledOnce();
  });

  it("tells destinations a returning visitor's decision passed at creation", () => {
    const updateConsent = vi.fn();
    createTracker({
      contract,
      storage: memoryStorage(),
      campaign: false,
      consent: { analytics: 'granted', ads: 'denied' },
      destinations: [{ name: 'gtag', send() {}, updateConsent }],
    });
    expect(updateConsent.mock.calls).toEqual([[{ analytics: 'granted', ads: 'denied' }]]);
  });

  it('tells destinations nothing at creation without a consent option', () => {
    const updateConsent = vi.fn();
    createTracker({ contract, storage: memoryStorage(), campaign: false, destinations: [{ name: 'gtag', send() {}, updateConsent }] });
    expect(updateConsent).not.toHaveBeenCalled();
  });

  it('neither holds nor records an event for a destination that does not take it', () => {
    const ads: Destination & { received: Envelope[] } = {
      ...recording('google-ads', 'ads'),
      accepts: (envelope) => envelope.conversion,
    };
    const tracker = createTracker({ contract, storage: memoryStorage(), campaign: false, consent: { ads: 'pending' }, destinations: [ads] });
    const records: string[] = [];
    tracker.subscribe((record) => records.push(`${record.type}${'destination' in record ? `:${record.destination}` : ''}`));
    expect(tracker.track('cta_clicked', { cta_id: 'hero' }).status).toBe('sent');
    expect(tracker.track('purchase_completed', order('1')).status).toBe('queued');
    tracker.setConsent({ ads: 'granted' });
    expect(ads.received.map((e) => e.event)).toEqual(['purchase_completed']);
    expect(records).toEqual(['sent', 'queued', 'delivered:google-ads']);
  });
});

import { describe, expect, it } from 'vitest';
import { createTracker, memoryStorage, type Destination } from 'conversion-kit/core';
import { countDecisions, describeDecisions, summarizePayload } from '../../src/core/describe-records';
import { contract } from '../fixtures/contract';

const order = { order_id: 'A-1001', value: 1234.5, currency: 'EUR' };
const recorder = (name: string, consent: Destination['consent'] = 'analytics'): Destination => ({ name, consent, send: () => {} });

function trackerWith(destinations: Destination[], consent?: Parameters<typeof createTracker>[0]['consent']) {
  return createTracker({ contract, destinations, consent, storage: memoryStorage(), campaign: false });
}

describe('records in words', () => {
  it('puts each destination outcome under its decision, and a duplicate in a decision of its own', () => {
    const tracker = trackerWith([recorder('ga4'), recorder('meta', 'ads')]);
    tracker.track('purchase_completed', order);
    tracker.track('purchase_completed', order);
    expect(describeDecisions(tracker.getRecords()).map(({ status, outcomes }) => [status, outcomes.map((o) => o.text)])).toEqual([
      ['Sent', ['Delivered to ga4', 'Delivered to meta']],
      ['Duplicate, not sent again', []],
    ]);
  });

  it('says why each destination that will never get an event did not', () => {
    const tracker = trackerWith([recorder('ga4'), recorder('meta', 'ads')], { analytics: 'granted', ads: 'denied' });
    tracker.track('newsletter_signup', { form_id: 'footer' });
    expect(describeDecisions(tracker.getRecords())[0]!.outcomes.map((outcome) => outcome.text)).toEqual([
      'Delivered to ga4',
      'Not sent to meta: the visitor declined consent',
    ]);
  });

  it('words the value with its currency first, then the other fields', () => {
    expect(summarizePayload({ ...order, coupon: 'SPRING10' })).toBe('1,234.50 EUR · order_id A-1001 · coupon SPRING10');
    expect(summarizePayload({ form_id: 'x'.repeat(60) })).toBe(`form_id ${'x'.repeat(39)}…`);
  });

  it('counts accepted, duplicate and rejected calls per event', () => {
    const tracker = trackerWith([], { analytics: 'pending' });
    tracker.track('purchase_completed', order);
    tracker.track('purchase_completed', order);
    tracker.track('purchase_completed', { ...order, currency: 'euro' });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(countDecisions(tracker.getRecords())).toEqual([
      { event: 'purchase_completed', accepted: 1, duplicates: 1, rejected: 1 },
      { event: 'cta_clicked', accepted: 1, duplicates: 0, rejected: 0 },
    ]);
  });
});

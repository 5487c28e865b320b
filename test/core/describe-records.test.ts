import { describe, expect, it } from 'vitest';
import { createTracker, memoryStorage, type Destination } from 'conversion-kit/core';
import { countConversions, countDecisions, describeDecisions, summarizePayload } from '../../src/core/describe-records';
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

  it('words at most four fields besides the value, with or without a value', () => {
    const fields = { a: 1, b: 2, c: 3, d: 4, e: 5 };
    expect(summarizePayload(fields)).toBe('a 1 · b 2 · c 3 · d 4');
    expect(summarizePayload({ value: 9, ...fields })).toBe('9.00 · a 1 · b 2 · c 3 · d 4');
  });

  it('counts each call once per event: counted, duplicate or rejected', () => {
    const tracker = trackerWith([recorder('ga4')]);
    tracker.track('purchase_completed', order);
    tracker.track('purchase_completed', order);
    tracker.track('purchase_completed', { ...order, currency: 'euro' });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(countDecisions(tracker.getRecords())).toEqual([
      { event: 'purchase_completed', conversion: true, counted: 1, held: 0, dropped: 0, duplicates: 1, rejected: 1 },
      { event: 'cta_clicked', conversion: false, counted: 1, held: 0, dropped: 0, duplicates: 0, rejected: 0 },
    ]);
  });

  it('counts a held event as held, then as counted once a destination got it', () => {
    const tracker = trackerWith([recorder('ga4')], { analytics: 'pending' });
    tracker.track('purchase_completed', order);
    expect(countDecisions(tracker.getRecords())).toMatchObject([{ counted: 0, held: 1, dropped: 0 }]);
    tracker.setConsent({ analytics: 'granted' });
    expect(countDecisions(tracker.getRecords())).toMatchObject([{ counted: 1, held: 0, dropped: 0 }]);
  });

  it('counts a held event as dropped, never as counted, once every destination gave it up', () => {
    const tracker = trackerWith([recorder('ga4'), recorder('meta', 'ads')], { analytics: 'pending', ads: 'pending' });
    tracker.track('purchase_completed', order);
    tracker.setConsent({ ads: 'denied' });
    expect(countDecisions(tracker.getRecords())).toMatchObject([{ counted: 0, held: 1, dropped: 0 }]);
    tracker.setConsent({ analytics: 'denied' });
    expect(countDecisions(tracker.getRecords())).toMatchObject([{ counted: 0, held: 0, dropped: 1 }]);
  });

  it('counts the conversions counted, leaving out supporting events, held and rejected calls', () => {
    const tracker = trackerWith([recorder('ga4'), recorder('meta', 'ads')], { analytics: 'granted', ads: 'pending' });
    tracker.track('cta_clicked', { cta_id: 'hero' }); // sent to ga4, held for meta: counted
    tracker.track('purchase_completed', order);
    tracker.track('purchase_completed', { ...order, value: -1 });
    expect(countConversions(countDecisions(tracker.getRecords()))).toBe(1);
  });
});

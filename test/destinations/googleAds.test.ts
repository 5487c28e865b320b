import { afterEach, describe, expect, it } from 'vitest';
import { googleAds, hashUserData } from 'conversion-kit/destinations';
import { installGtagSnippet, resetPlatforms } from '../fixtures/platform-snippets';
import { order, settle, trackerWith } from './helpers';

afterEach(resetPlatforms);

const LABEL = 'AW-123456789/AbC-D_efG';

describe('googleAds', () => {
  it('sends a mapped conversion with send_to, value, currency and the dedup key as transaction_id', () => {
    const page = installGtagSnippet();
    const { tracker } = trackerWith([googleAds({ conversions: { purchase_completed: LABEL } })]);
    tracker.track('purchase_completed', order('A-1001'));
    expect(page.commands()).toEqual([
      ['event', 'conversion', { send_to: LABEL, value: 129, currency: 'EUR', transaction_id: 'A-1001' }],
    ]);
  });

  it('uses the event id as transaction_id for a conversion without a dedup key, and sends no value it lacks', () => {
    const page = installGtagSnippet();
    const { tracker } = trackerWith([googleAds({ conversions: { lead_submitted: 'AW-123456789/Lead' } })]);
    const { eventId } = tracker.track('lead_submitted', { form_id: 'demo' });
    expect(page.commands()).toEqual([['event', 'conversion', { send_to: 'AW-123456789/Lead', transaction_id: eventId }]]);
  });

  it('takes the parameters from the map when given', () => {
    const page = installGtagSnippet();
    const { tracker } = trackerWith([
      googleAds({ conversions: { lead_submitted: { sendTo: 'AW-1/Lead', params: () => ({ value: 40, currency: 'USD' }) } } }),
    ]);
    const { eventId } = tracker.track('lead_submitted', { form_id: 'demo' });
    expect(page.commands()).toEqual([['event', 'conversion', { send_to: 'AW-1/Lead', value: 40, currency: 'USD', transaction_id: eventId }]]);
  });

  it('takes only the mapped events: the others are not held, sent or recorded', () => {
    const page = installGtagSnippet();
    const { tracker, outcomes } = trackerWith([googleAds({ conversions: { purchase_completed: LABEL } })]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(page.commands()).toEqual([]);
    expect(outcomes()).toEqual([]);
  });

  it('declares ads consent', () => {
    expect(googleAds({ conversions: {} }).consent).toBe('ads');
  });

  it("sends hashed user data for enhanced conversions as the conversion's user_data parameter", async () => {
    const page = installGtagSnippet();
    const userData = await hashUserData({ email: 'jane@example.com', phone: '+1 650 555 1212' });
    const { tracker } = trackerWith([googleAds({ conversions: { purchase_completed: LABEL }, userData: () => userData })]);
    tracker.track('purchase_completed', order('A-1'));
    expect(page.commands()).toEqual([
      ['event', 'conversion', { send_to: LABEL, value: 129, currency: 'EUR', transaction_id: 'A-1', user_data: userData.google }],
    ]);
  });

  it('still sends the conversion when the userData getter throws, and reports the error', async () => {
    const page = installGtagSnippet();
    const userData = () => {
      throw new Error('customer not loaded');
    };
    const { tracker, onError, outcomes } = trackerWith([googleAds({ conversions: { purchase_completed: LABEL }, userData })]);
    tracker.track('purchase_completed', order('A-1'));
    expect(page.commands()).toEqual([['event', 'conversion', { send_to: LABEL, value: 129, currency: 'EUR', transaction_id: 'A-1' }]]);
    await settle();
    expect(outcomes()).toEqual(['failed:google-ads:purchase_completed']);
    expect(onError.mock.calls[0]![0].message).toMatch(/went without it.*customer not loaded/);
  });
});

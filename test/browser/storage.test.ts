import { afterEach, describe, expect, it } from 'vitest';
import { createTracker } from 'conversion-kit/core';
import { contract } from '../fixtures/contract';

afterEach(() => localStorage.clear());

describe('in a real browser', () => {
  it('persists the dedup ledger and campaign in localStorage across tracker instances (reloads)', () => {
    const landing = createTracker({ contract, campaign: { url: 'https://shop.example/?utm_source=google&gclid=Abc' } });
    expect(landing.track('purchase_completed', { order_id: 'B-1', value: 1, currency: 'EUR' }).status).toBe('sent');
    expect(Object.keys(localStorage)).toEqual(expect.arrayContaining(['conversion-kit:dedupe', 'conversion-kit:campaign']));
    const reloaded = createTracker({ contract });
    expect(reloaded.getCampaign().first).toMatchObject({ utm_source: 'google', gclid: 'Abc' });
    expect(reloaded.track('purchase_completed', { order_id: 'B-1', value: 1, currency: 'EUR' }).status).toBe('duplicate');
  });

  it('captures the real page URL and referrer by default', () => {
    const tracker = createTracker({ contract });
    expect(tracker.getCampaign().first?.landing_page).toBe(location.origin + location.pathname);
  });
});

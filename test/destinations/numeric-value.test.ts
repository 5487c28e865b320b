import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createTracker, defineContract, memoryStorage, type TrackingRecord } from 'conversion-kit/core';
import { googleAds, gtag, metaPixel } from 'conversion-kit/destinations';
import { installGtagSnippet, installMetaPixelSnippet, resetPlatforms } from '../fixtures/platform-snippets';

afterEach(resetPlatforms);

// A schema that keeps money as a decimal string, as many order APIs return it.
const contract = defineContract({
  purchase_completed: {
    schema: z.object({ order_id: z.string(), value: z.string(), currency: z.string() }),
    dedupeBy: 'order_id',
    conversion: true,
  },
});
const trackerWith = (destinations: Parameters<typeof createTracker>[0]['destinations']) =>
  createTracker({ contract, storage: memoryStorage(), campaign: false, destinations });

describe('a value kept as a decimal string', () => {
  // GA4 takes `value` as a number ("value: number", gtag.js event reference,
  // https://developers.google.com/analytics/devguides/collection/ga4/reference/events#purchase);
  // Meta's standard parameters too ("value: integer or float",
  // https://developers.facebook.com/docs/meta-pixel/reference#object-properties).
  it('reaches GA4, Google Ads and the Meta pixel as the same number', () => {
    const google = installGtagSnippet();
    const meta = installMetaPixelSnippet();
    const tracker = trackerWith([
      gtag({ events: { purchase_completed: 'purchase' } }),
      googleAds({ conversions: { purchase_completed: 'AW-123456789/AbC-D_efG' } }),
      metaPixel({ events: { purchase_completed: 'Purchase' } }),
    ]);
    tracker.track('purchase_completed', { order_id: 'A-1001', value: '129.50', currency: 'EUR' });
    const values = google.commands().map((command) => (command[2] as { value?: unknown }).value);
    expect(values).toEqual([129.5, 129.5]);
    const purchase = meta.calls().find((call) => call[0] === 'track' && call[1] === 'Purchase');
    expect((purchase?.[2] as { value?: unknown }).value).toBe(129.5);
  });

  it('leaves out a value that is not a decimal number, and names it on the delivered record', async () => {
    // Issue 10's rule: a value is sent in the form the platform documents, or left out with a
    // recorded reason, as the server destinations do ('12,50' is no number GA4 or Meta can read).
    const google = installGtagSnippet();
    const meta = installMetaPixelSnippet();
    const tracker = trackerWith([
      gtag({ events: { purchase_completed: 'purchase' } }),
      googleAds({ conversions: { purchase_completed: 'AW-123456789/AbC-D_efG' } }),
      metaPixel({ events: { purchase_completed: 'Purchase' } }),
    ]);
    const records: TrackingRecord[] = [];
    tracker.subscribe((record) => records.push(record));
    tracker.track('purchase_completed', { order_id: 'A-1002', value: '12,50', currency: 'EUR' });
    for (const command of google.commands()) expect(command[2]).not.toHaveProperty('value');
    const purchase = meta.calls().find((call) => call[0] === 'track' && call[1] === 'Purchase');
    expect(purchase?.[2]).not.toHaveProperty('value');
    await vi.waitFor(() => expect(records.filter((record) => record.type === 'delivered')).toHaveLength(3));
    for (const record of records) {
      if (record.type === 'delivered') expect(record.omitted).toEqual(['value: not a number or a decimal string, left out']);
    }
  });
});

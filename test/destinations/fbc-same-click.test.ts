import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from 'conversion-kit/core';
import { beacon, metaPixel } from 'conversion-kit/destinations';
import { startCollector, type Collector } from '../fixtures/collector';
import { installMetaPixelSnippet, resetPlatforms } from '../fixtures/platform-snippets';
import { trackerWith } from './helpers';

// Meta, "fbp and fbc Parameters": fbc is fb.<subdomainIndex>.<creationTime>.<fbclid>, creationTime
// being when the click id was first saved (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc).
// The pixel in <head> usually saves it first; the same click must keep that cookie and its time.
let collector: Collector | undefined;
afterEach(async () => {
  document.cookie = '_fbc=; path=/; max-age=0';
  resetPlatforms();
  await collector?.close();
  collector = undefined;
});

const PIXEL_FBC = `fb.1.${Date.now() - 5_000}.AbC-123_x`; // the landing URL's fbclid, saved by the pixel first

describe('an _fbc the pixel wrote for the same click', () => {
  it('is kept by metaPixel, not rewritten with a later creation time', () => {
    installMetaPixelSnippet();
    document.cookie = `_fbc=${PIXEL_FBC}; path=/`;
    const { tracker } = trackerWith([metaPixel({ events: { lead_submitted: 'Lead' } })]);
    tracker.track('lead_submitted', { form_id: 'demo' });
    expect(tracker.getCampaign().last!.fbc).not.toBe(PIXEL_FBC); // the campaign derived its own, later one
    expect(document.cookie).toContain(`_fbc=${PIXEL_FBC}`);
  });

  it('is the fbc the beacon sends to the server', async () => {
    collector = await startCollector();
    document.cookie = `_fbc=${PIXEL_FBC}; path=/`;
    const { tracker } = trackerWith([beacon({ url: collector.url, storage: memoryStorage(), flushIntervalMs: 5 })]);
    tracker.track('lead_submitted', { form_id: 'demo' });
    await collector.waitForStored(1);
    expect(collector.requests[0]!.events[0]!.identity?.fbc).toBe(PIXEL_FBC);
  });
});

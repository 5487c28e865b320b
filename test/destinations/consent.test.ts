import { afterEach, describe, expect, it } from 'vitest';
import { gtag, googleAds, metaPixel } from 'conversion-kit/destinations';
import { installGtagSnippet, installMetaPixelSnippet, resetPlatforms } from '../fixtures/platform-snippets';
import { order, settle, trackerWith } from './helpers';

afterEach(resetPlatforms);

const destinations = () => [
  gtag({ events: { purchase_completed: 'purchase' } }),
  googleAds({ conversions: { purchase_completed: 'AW-1/Purchase' } }),
  metaPixel({ events: { purchase_completed: 'Purchase' } }),
];

describe('consent with the real destinations', () => {
  it('holds every platform call while consent is pending', () => {
    const google = installGtagSnippet();
    const meta = installMetaPixelSnippet();
    const { tracker } = trackerWith(destinations(), { consent: { analytics: 'pending', ads: 'pending' } });
    expect(tracker.track('purchase_completed', order('A-1')).status).toBe('queued');
    expect(google.commands()).toEqual([]);
    expect(meta.calls()).toEqual([]);
  });

  it('tells Consent Mode first, then releases GA4 in order, while ads wait for their own decision', () => {
    const google = installGtagSnippet();
    const meta = installMetaPixelSnippet();
    const { tracker } = trackerWith(destinations(), { consent: { analytics: 'pending', ads: 'pending' } });
    tracker.track('purchase_completed', order('A-1'));
    tracker.track('cta_clicked', { cta_id: 'hero' });
    tracker.setConsent({ analytics: 'granted' });
    expect(google.commands().map((command) => command.slice(0, 2))).toEqual([
      ['consent', 'update'],
      ['event', 'purchase'],
      ['event', 'cta_clicked'],
    ]);
    expect(google.commands()[0]![2]).toEqual({ analytics_storage: 'granted' });
    expect(meta.calls()).toEqual([]);
  });

  it('sends the held conversions to the ad platforms when ads are granted', () => {
    const google = installGtagSnippet();
    const meta = installMetaPixelSnippet();
    const { tracker } = trackerWith(destinations(), { consent: { analytics: 'granted', ads: 'pending' } });
    tracker.track('purchase_completed', order('A-1'));
    tracker.setConsent({ ads: 'granted' });
    expect(google.commands().map((command) => command[1])).toEqual(['update', 'purchase', 'update', 'conversion']);
    expect(google.commands()[2]).toEqual([
      'consent',
      'update',
      { analytics_storage: 'granted', ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' },
    ]);
    expect(meta.calls().map((call) => call.slice(0, 2))).toEqual([['consent', 'grant'], ['track', 'Purchase']]);
  });

  it('drops held conversions for the ad platforms when ads are denied, and never sends them later', async () => {
    const google = installGtagSnippet();
    const meta = installMetaPixelSnippet();
    const { tracker, outcomes } = trackerWith(destinations(), { consent: { analytics: 'pending', ads: 'pending' } });
    tracker.track('purchase_completed', order('A-1'));
    tracker.setConsent({ analytics: 'granted', ads: 'denied' });
    tracker.setConsent({ ads: 'granted' });
    await settle();
    expect(outcomes()).toEqual([
      'delivered:gtag:purchase_completed',
      'dropped:google-ads:purchase_completed',
      'dropped:meta-pixel:purchase_completed',
    ]);
    expect(google.commands().filter((command) => command[1] === 'conversion')).toEqual([]);
    expect(meta.calls().filter((call) => call[0] !== 'consent')).toEqual([]);
  });

  it("forwards a returning visitor's decision passed at creation to Consent Mode, once for gtag and googleAds together", () => {
    const google = installGtagSnippet();
    trackerWith(destinations(), { consent: { analytics: 'granted', ads: 'denied' } });
    expect(google.commands()).toEqual([
      ['consent', 'update', { analytics_storage: 'granted', ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' }],
    ]);
  });

  it('sends no consent command without a consent option or while everything is pending', () => {
    const google = installGtagSnippet();
    trackerWith(destinations());
    trackerWith(destinations(), { consent: { analytics: 'pending', ads: 'pending' } });
    expect(google.commands()).toEqual([]);
  });

  it('forwards nothing when consentMode is off (the CMP drives Consent Mode itself)', () => {
    const google = installGtagSnippet();
    const { tracker } = trackerWith([gtag({ consentMode: false })], { consent: { analytics: 'pending' } });
    tracker.setConsent({ analytics: 'granted' });
    expect(google.commands().map((command) => command[0])).toEqual([]);
  });
});

describe("consent forwarded to Meta's pixel", () => {
  it("tells the pixel each ads decision once: fbq('consent', 'grant'), then 'revoke'", () => {
    const pixel = installMetaPixelSnippet();
    const { tracker } = trackerWith([metaPixel({ events: { purchase_completed: 'Purchase' } })], { consent: { ads: 'pending' } });
    tracker.setConsent({ ads: 'granted' });
    tracker.setConsent({ analytics: 'denied' }); // not an ads decision: nothing new for the pixel
    tracker.setConsent({ ads: 'denied' });
    expect(pixel.calls()).toEqual([
      ['consent', 'grant'],
      ['consent', 'revoke'],
    ]);
  });

  it("forwards a returning visitor's ads decision passed at creation", () => {
    const pixel = installMetaPixelSnippet();
    trackerWith([metaPixel({ events: { purchase_completed: 'Purchase' } })], { consent: { analytics: 'granted', ads: 'denied' } });
    expect(pixel.calls()).toEqual([['consent', 'revoke']]);
  });

  it('tells the pixel nothing while ads are pending, or when consentMode is off', () => {
    const pixel = installMetaPixelSnippet();
    const { tracker } = trackerWith([metaPixel({ events: {} })], { consent: { analytics: 'pending', ads: 'pending' } });
    tracker.setConsent({ analytics: 'granted' });
    const { tracker: managed } = trackerWith([metaPixel({ events: {}, consentMode: false })], { consent: { ads: 'pending' } });
    managed.setConsent({ ads: 'granted' });
    expect(pixel.calls()).toEqual([]);
  });
});

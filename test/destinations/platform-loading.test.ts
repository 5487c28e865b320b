import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gtag, googleAds, metaPixel } from 'conversion-kit/destinations';
import { installGtagSnippet, installMetaPixelSnippet, resetPlatforms } from '../fixtures/platform-snippets';
import { order, trackerWith } from './helpers';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  resetPlatforms();
});

const failures = (records: ReturnType<typeof trackerWith>['records']) =>
  records.flatMap((r) => (r.type === 'failed' ? [`${r.event}:${(r as { destination: string }).destination}: ${r.error.message}`] : []));

describe('consent decided before the platform script loads', () => {
  it('reaches the Meta pixel when it loads, however late, before the conversion', async () => {
    const { tracker } = trackerWith([metaPixel({ events: { purchase_completed: 'Purchase' } })], { consent: { analytics: 'granted', ads: 'pending' } });
    tracker.setConsent({ ads: 'granted' });
    await vi.advanceTimersByTimeAsync(15_000); // past waitMs: the pixel is injected late
    const pixel = installMetaPixelSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    tracker.track('purchase_completed', order('C-1'));
    expect(pixel.calls().map((call) => call.slice(0, 2))).toEqual([
      ['consent', 'grant'],
      ['track', 'Purchase'],
    ]);
  });

  it('reaches Consent Mode when gtag.js loads, however late, once for both Google destinations', async () => {
    const { tracker } = trackerWith(
      [gtag({ events: { purchase_completed: 'purchase' } }), googleAds({ conversions: { purchase_completed: 'AW-1/Purchase' } })],
      { consent: { analytics: 'pending', ads: 'pending' } },
    );
    tracker.setConsent({ analytics: 'granted', ads: 'granted' });
    await vi.advanceTimersByTimeAsync(15_000);
    const google = installGtagSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    expect(google.commands()).toEqual([
      ['consent', 'update', { analytics_storage: 'granted', ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' }],
    ]);
  });

  it('sends only the latest decision when several were made before the pixel loaded', async () => {
    const { tracker } = trackerWith([metaPixel({ events: { purchase_completed: 'Purchase' } })], { consent: { analytics: 'granted', ads: 'pending' } });
    tracker.setConsent({ ads: 'granted' });
    tracker.setConsent({ ads: 'denied' });
    const pixel = installMetaPixelSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    expect(pixel.calls()).toEqual([['consent', 'revoke']]);
  });
});

describe('a denial cancels what waits for the script', () => {
  it('never sends to the pixel a conversion that waited when ads consent was then denied', async () => {
    const { tracker, records } = trackerWith([metaPixel({ events: { lead_submitted: 'Lead' } })], { consent: { analytics: 'granted', ads: 'granted' } });
    tracker.track('lead_submitted', { form_id: 'demo' });
    tracker.setConsent({ ads: 'denied' });
    const pixel = installMetaPixelSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    expect(pixel.calls()).toEqual([['consent', 'revoke']]);
    expect(failures(records)).toEqual([expect.stringMatching(/^lead_submitted:meta-pixel: .*fbq not loaded before ads consent was denied; not sent$/)]);
  });

  it('never sends a Google Ads conversion that waited when ads consent was then denied, while GA4 keeps its event', async () => {
    const { tracker, records } = trackerWith(
      [gtag({ events: { purchase_completed: 'purchase' } }), googleAds({ conversions: { purchase_completed: 'AW-1/Purchase' } })],
      { consent: { analytics: 'granted', ads: 'granted' } },
    );
    tracker.track('purchase_completed', order('D-1'));
    tracker.setConsent({ ads: 'denied' });
    const google = installGtagSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    const sent = google.commands().map((command) => command.slice(0, 2).join(' '));
    expect(sent).not.toContain('event conversion');
    expect(sent).toContain('event purchase');
    expect(sent[0]).toBe('consent update'); // the latest decision, before anything else
    expect(google.commands()[0]![2]).toMatchObject({ analytics_storage: 'granted', ad_storage: 'denied' });
    expect(failures(records)).toEqual([expect.stringMatching(/^purchase_completed:google-ads: .*gtag not loaded before ads consent was denied; not sent$/)]);
  });
});

describe('a script blocked behind the official stub', () => {
  it("reports a purchase failed when Meta's base code is there but fbevents.js never loads", async () => {
    const pixel = installMetaPixelSnippet('1234567890', { loaded: false });
    const { tracker, records, outcomes } = trackerWith([metaPixel({ events: { purchase_completed: 'Purchase' }, waitMs: 3000 })]);
    tracker.track('purchase_completed', order('E-1'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(outcomes()).toEqual(['failed:meta-pixel:purchase_completed']);
    expect(failures(records)[0]).toMatch(/fbq missing after 3000 ms \(blocked or not installed\)/);
    expect(pixel.calls()).toEqual([]); // nothing sits in the stub's queue as if sent
  });

  it('delivers what waited once fbevents.js loads behind the stub', async () => {
    const pixel = installMetaPixelSnippet('1234567890', { loaded: false });
    const { tracker, outcomes } = trackerWith([metaPixel({ events: { purchase_completed: 'Purchase' } })]);
    tracker.track('purchase_completed', order('E-2'));
    await vi.advanceTimersByTimeAsync(500);
    expect(outcomes()).toEqual([]);
    pixel.load();
    await vi.advanceTimersByTimeAsync(1000);
    expect(outcomes()).toEqual(['delivered:meta-pixel:purchase_completed']);
    expect(pixel.calls().map((call) => call[1])).toEqual(['Purchase']);
  });

  it("reports a purchase failed when Google's gtag stub is there but gtag.js never loads", async () => {
    const google = installGtagSnippet('G-TEST123', { loaded: false });
    const { tracker, outcomes } = trackerWith([gtag({ events: { purchase_completed: 'purchase' }, waitMs: 3000 })]);
    tracker.track('purchase_completed', order('E-3'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(outcomes()).toEqual(['failed:gtag:purchase_completed']);
    expect(google.commands()).toEqual([]);
  });

  it('delivers what waited once gtag.js takes over dataLayer.push', async () => {
    const google = installGtagSnippet('G-TEST123', { loaded: false });
    const { tracker, outcomes } = trackerWith([gtag({ events: { purchase_completed: 'purchase' } })]);
    tracker.track('purchase_completed', order('E-4'));
    await vi.advanceTimersByTimeAsync(500);
    google.load();
    await vi.advanceTimersByTimeAsync(1000);
    expect(outcomes()).toEqual(['delivered:gtag:purchase_completed']);
    expect(google.commands().map((command) => command[1])).toEqual(['purchase']);
  });
});

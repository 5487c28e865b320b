import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from 'conversion-kit/core';
import { hashUserData, metaPixel } from 'conversion-kit/destinations';
import { installMetaPixelSnippet, resetPlatforms } from '../fixtures/platform-snippets';
import { order, settle, trackerWith } from './helpers';

afterEach(resetPlatforms);

const events = { purchase_completed: 'Purchase', lead_submitted: 'Lead', newsletter_signup: 'NewsletterSignup' } as const;

describe('metaPixel', () => {
  it("tracks a standard event with the envelope's eventId as eventID, for Conversions API dedup", () => {
    const pixel = installMetaPixelSnippet();
    const { tracker } = trackerWith([metaPixel({ events })]);
    const { eventId } = tracker.track('purchase_completed', order('A-1001'));
    expect(pixel.calls()).toEqual([['track', 'Purchase', { order_id: 'A-1001', value: 129, currency: 'EUR' }, { eventID: eventId }]]);
  });

  it('tracks a name that is not a standard event with trackCustom', () => {
    const pixel = installMetaPixelSnippet();
    const { tracker } = trackerWith([metaPixel({ events })]);
    const { eventId } = tracker.track('newsletter_signup', { form_id: 'footer' });
    expect(pixel.calls()).toEqual([['trackCustom', 'NewsletterSignup', { form_id: 'footer' }, { eventID: eventId }]]);
  });

  it('takes only the mapped events', () => {
    const pixel = installMetaPixelSnippet();
    const { tracker, outcomes } = trackerWith([metaPixel({ events })]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(pixel.calls()).toEqual([]);
    expect(outcomes()).toEqual([]);
  });

  it('builds parameters with the map', () => {
    const pixel = installMetaPixelSnippet();
    const { tracker } = trackerWith([
      metaPixel({
        events: { purchase_completed: { name: 'Purchase', params: ({ payload }) => ({ value: payload.value, currency: payload.currency, content_type: 'product' }) } },
      }),
    ]);
    tracker.track('purchase_completed', order('A-1'));
    expect(pixel.calls()[0]![2]).toEqual({ value: 129, currency: 'EUR', content_type: 'product' });
  });

  it("writes the campaign's click id to _fbc when the pixel has none, so a late pixel attributes the click", () => {
    installMetaPixelSnippet();
    const { tracker } = trackerWith([metaPixel({ events })]);
    tracker.track('lead_submitted', { form_id: 'demo' });
    const fbc = tracker.getCampaign().last!.fbc!;
    expect(fbc).toMatch(/^fb\.1\.\d{13}\.AbC-123_x$/);
    expect(document.cookie).toContain(`_fbc=${fbc}`);
  });

  it('keeps a newer _fbc the pixel wrote', () => {
    installMetaPixelSnippet();
    const newer = `fb.1.${Date.now() + 60_000}.NewerClick`;
    document.cookie = `_fbc=${newer}; path=/`;
    const { tracker } = trackerWith([metaPixel({ events })]);
    tracker.track('lead_submitted', { form_id: 'demo' });
    expect(document.cookie).toContain(`_fbc=${newer}`);
  });

  it("never writes a click id that is not in Meta's format: a crafted fbclid cannot add cookie attributes", () => {
    const pixel = installMetaPixelSnippet();
    // Campaign capture derives no fbc from such an fbclid; a tampered stored touch can still hold one.
    const storage = memoryStorage();
    const crafted = 'fb.1.1764000000000.x; max-age=99999999; SameSite=None';
    storage.setItem('conversion-kit:campaign', JSON.stringify({ first: null, last: { fbclid: 'x', fbc: crafted, landing_page: '', referrer: '', captured_at: Date.now() } }));
    const { tracker } = trackerWith([metaPixel({ events })], { storage, campaign: false });
    tracker.track('lead_submitted', { form_id: 'demo' });
    expect(tracker.getCampaign().last!.fbc).toBe(crafted);
    expect(document.cookie).not.toContain('_fbc=');
    expect(pixel.calls().map((call) => call[1])).toEqual(['Lead']); // the event still went
  });

  it('writes no cookie when told not to', () => {
    installMetaPixelSnippet();
    const { tracker } = trackerWith([metaPixel({ events, fbcCookie: false })]);
    tracker.track('lead_submitted', { form_id: 'demo' });
    expect(document.cookie).not.toContain('_fbc=');
  });

  it('sends hashed advanced matching with fbq init before the event, once per user', async () => {
    const pixel = installMetaPixelSnippet('998877');
    const userData = await hashUserData({ email: 'John_Smith@gmail.com' });
    const { tracker } = trackerWith([metaPixel({ events, pixelId: '998877', userData: () => userData })]);
    tracker.track('lead_submitted', { form_id: 'demo' });
    tracker.track('purchase_completed', order('A-1'));
    expect(pixel.calls().map((call) => call.slice(0, 2))).toEqual([['init', '998877'], ['track', 'Lead'], ['track', 'Purchase']]);
    expect(pixel.calls()[0]![2]).toEqual({ em: '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f' });
  });

  it('tracks the event without advanced matching when the user data is refused, then reports it', async () => {
    const pixel = installMetaPixelSnippet();
    const { tracker, onError, outcomes } = trackerWith([metaPixel({ events, pixelId: '1', userData: () => ({ meta: { em: 'john@example.com' } }) as never })]);
    const { eventId } = tracker.track('lead_submitted', { form_id: 'demo' });
    expect(pixel.calls()).toEqual([['track', 'Lead', { form_id: 'demo' }, { eventID: eventId }]]);
    await settle();
    expect(outcomes()).toEqual(['failed:meta-pixel:lead_submitted']);
    expect(onError.mock.calls[0]![0].message).toMatch(/went without it.*meta\.em is not hashed/);
  });

  it('asks for the pixel id when given user data without one', () => {
    expect(() => metaPixel({ events, userData: () => undefined })).toThrow(/needs pixelId/);
  });

  it('declares ads consent', () => {
    expect(metaPixel({ events }).consent).toBe('ads');
  });
});

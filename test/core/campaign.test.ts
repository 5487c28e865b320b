import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracker, decorateUrl, memoryStorage, type KeyValueStorage } from 'conversion-kit/core';
import { contract } from '../fixtures/contract';

const order = { order_id: 'A-1001', value: 129, currency: 'EUR' };
const DAY = 24 * 3600_000;

function visit(storage: KeyValueStorage, url: string, referrer = '') {
  return createTracker({ contract, storage, campaign: { url, referrer } });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('campaign capture', () => {
  it('captures UTM parameters, ad click ids, landing page and referrer', () => {
    const tracker = visit(
      memoryStorage(),
      'https://shop.example/landing?utm_source=google&utm_medium=cpc&utm_campaign=winter_sale&utm_term=boots' +
        '&utm_content=ad_b&utm_id=123&gclid=Cj0KCQ&gbraid=gb&wbraid=wb&dclid=dc&msclkid=ms&ttclid=tt&li_fat_id=li&twclid=tw&ref=ignored',
      'https://www.google.com/',
    );
    expect(tracker.getCampaign().last).toEqual({
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'winter_sale',
      utm_term: 'boots',
      utm_content: 'ad_b',
      utm_id: '123',
      gclid: 'Cj0KCQ',
      gbraid: 'gb',
      wbraid: 'wb',
      dclid: 'dc',
      msclkid: 'ms',
      ttclid: 'tt',
      li_fat_id: 'li',
      twclid: 'tw',
      landing_page: 'https://shop.example/landing',
      referrer: 'https://www.google.com/',
      captured_at: expect.any(Number),
    });
  });

  it('carries the campaign through a redirect and a reload to a conversion on another page', () => {
    const storage = memoryStorage();
    visit(storage, 'https://shop.example/?utm_source=newsletter&utm_campaign=black_friday');
    visit(storage, 'https://shop.example/products/boots'); // redirect hop without parameters
    const checkout = visit(storage, 'https://shop.example/checkout'); // reload on a later page
    const received: unknown[] = [];
    const tracker = createTracker({ contract, storage, campaign: { url: 'https://shop.example/checkout' }, destinations: [{ name: 'r', send: (e) => void received.push(e.campaign) }] });
    void checkout;
    tracker.track('purchase_completed', order);
    expect(received[0]).toMatchObject({
      first: { utm_source: 'newsletter', utm_campaign: 'black_friday', landing_page: 'https://shop.example/' },
      last: { utm_source: 'newsletter', utm_campaign: 'black_friday' },
    });
  });

  it('updates last touch on a new campaign visit and keeps first touch', () => {
    const storage = memoryStorage();
    visit(storage, 'https://shop.example/?utm_source=google&utm_medium=cpc&gclid=abc');
    const later = visit(storage, 'https://shop.example/?utm_source=meta&utm_medium=paid_social&fbclid=XyZ');
    const { first, last } = later.getCampaign();
    expect(first).toMatchObject({ utm_source: 'google', gclid: 'abc' });
    expect(last).toMatchObject({ utm_source: 'meta', fbclid: 'XyZ' });
    expect(last).not.toHaveProperty('gclid');
  });

  it('records a visit without parameters as first touch, and lets a later campaign become last touch', () => {
    const storage = memoryStorage();
    const organic = visit(storage, 'https://shop.example/blog/post', 'https://duckduckgo.com/');
    expect(organic.getCampaign().first).toMatchObject({ landing_page: 'https://shop.example/blog/post', referrer: 'https://duckduckgo.com/' });
    const paid = visit(storage, 'https://shop.example/?utm_source=google');
    expect(paid.getCampaign().first).toMatchObject({ referrer: 'https://duckduckgo.com/' });
    expect(paid.getCampaign().last).toMatchObject({ utm_source: 'google' });
  });

  it('keeps the original touch and its time when the same parameters arrive again (a refresh)', () => {
    vi.useFakeTimers({ now: new Date('2026-11-01T00:00:00Z') });
    const storage = memoryStorage();
    const url = 'https://shop.example/?utm_source=google&fbclid=AbC';
    const before = visit(storage, url).getCampaign().last;
    vi.advanceTimersByTime(60_000);
    const after = visit(storage, url).getCampaign().last;
    expect(after).toEqual(before);
  });

  it('expires touches after the TTL (90 days by default)', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const storage = memoryStorage();
    visit(storage, 'https://shop.example/?utm_source=google');
    vi.advanceTimersByTime(89 * DAY);
    expect(visit(storage, 'https://shop.example/').getCampaign().last).toMatchObject({ utm_source: 'google' });
    vi.advanceTimersByTime(2 * DAY);
    const expired = createTracker({ contract, storage, campaign: false });
    expect(expired.getCampaign()).toEqual({ first: null, last: null });
  });

  it('promotes the last touch to first when only the first touch expired', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const storage = memoryStorage();
    const ttl = { ttlMs: 10 * DAY };
    createTracker({ contract, storage, campaign: { url: 'https://a.example/?utm_source=google', ...ttl } });
    vi.advanceTimersByTime(8 * DAY);
    createTracker({ contract, storage, campaign: { url: 'https://a.example/?utm_source=meta', ...ttl } });
    vi.advanceTimersByTime(3 * DAY);
    const tracker = createTracker({ contract, storage, campaign: { ...ttl, url: 'https://a.example/' } });
    expect(tracker.getCampaign().first).toMatchObject({ utm_source: 'meta' });
    expect(tracker.getCampaign().last).toMatchObject({ utm_source: 'meta' });
  });

  it('derives Meta fbc from fbclid, case kept, with the time fbclid was first seen', () => {
    vi.useFakeTimers({ now: new Date('2026-11-01T00:00:00Z') });
    const storage = memoryStorage();
    const tracker = visit(storage, 'https://shop.example/?fbclid=IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk');
    expect(tracker.getCampaign().last?.fbc).toBe(
      `fb.1.${Date.parse('2026-11-01T00:00:00Z')}.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk`,
    );
  });

  it('derives no fbc from an fbclid outside Meta\'s alphabet (cookie attribute injection)', () => {
    const tracker = visit(memoryStorage(), 'https://shop.example/?fbclid=x%3B%20Secure%3B%20max-age%3D99999999');
    expect(tracker.getCampaign().last).toMatchObject({ fbclid: 'x; Secure; max-age=99999999' });
    expect(tracker.getCampaign().last).not.toHaveProperty('fbc');
  });

  it('does not capture when campaign is false', () => {
    const tracker = createTracker({ contract, storage: memoryStorage(), campaign: false });
    expect(tracker.getCampaign()).toEqual({ first: null, last: null });
  });

  it('notifies state subscribers with a new snapshot when a client-side navigation brings new UTMs', () => {
    const tracker = visit(memoryStorage(), 'https://shop.example/');
    const before = tracker.getCampaign();
    expect(tracker.getCampaign()).toBe(before);
    const listener = vi.fn();
    tracker.subscribeState(listener);
    tracker.captureCampaign('https://shop.example/pricing?utm_source=linkedin');
    expect(listener).toHaveBeenCalledOnce();
    expect(tracker.getCampaign()).not.toBe(before);
    expect(tracker.getCampaign().last?.utm_source).toBe('linkedin');
  });
});

describe("GA4's manual-tagging parameters", () => {
  // https://support.google.com/analytics/answer/10917952 (URL builders: collect campaign data with custom URLs)
  it('captures utm_source_platform, utm_creative_format, utm_marketing_tactic and gclsrc with the rest', () => {
    const tracker = visit(
      memoryStorage(),
      'https://shop.example/?utm_source=google&utm_medium=cpc&utm_source_platform=Search%20Ads%20360&utm_creative_format=video&utm_marketing_tactic=remarketing&gclid=Cj0&gclsrc=aw.ds',
    );
    expect(tracker.getCampaign().last).toMatchObject({
      utm_source: 'google',
      utm_source_platform: 'Search Ads 360',
      utm_creative_format: 'video',
      utm_marketing_tactic: 'remarketing',
      gclid: 'Cj0',
      gclsrc: 'aw.ds',
    });
  });
});

describe('client-side routers', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('resolves a router path against the current location (what Next.js and React Router hand over)', () => {
    vi.stubGlobal('location', { href: 'https://shop.example/blog/post?utm_source=google', pathname: '/blog/post' });
    const tracker = createTracker({ contract, storage: memoryStorage() });
    tracker.captureCampaign('/pricing?utm_source=newsletter&utm_campaign=spring');
    expect(tracker.getCampaign().last).toMatchObject({ utm_source: 'newsletter', utm_campaign: 'spring', landing_page: 'https://shop.example/pricing' });
    expect(tracker.getCampaign().first).toMatchObject({ utm_source: 'google', landing_page: 'https://shop.example/blog/post' });
  });

  it('records a first visit given as a path with its real landing page, not an empty one', () => {
    vi.stubGlobal('location', { href: 'https://shop.example/', pathname: '/' });
    const tracker = createTracker({ contract, storage: memoryStorage(), campaign: false });
    tracker.captureCampaign('/pricing', 'https://www.google.com/');
    expect(tracker.getCampaign().first).toMatchObject({ landing_page: 'https://shop.example/pricing', referrer: 'https://www.google.com/' });
  });

  it('captures the parameters of a hash route (#/page?utm_source=…)', () => {
    const tracker = visit(memoryStorage(), 'https://app.example/#/pricing?utm_source=newsletter&gclid=abc');
    expect(tracker.getCampaign().last).toMatchObject({ utm_source: 'newsletter', gclid: 'abc', landing_page: 'https://app.example/' });
  });

  it('lets the query string win over a hash route with the same parameter', () => {
    const tracker = visit(memoryStorage(), 'https://app.example/?utm_source=google#/x?utm_source=other&utm_medium=cpc');
    expect(tracker.getCampaign().last).toMatchObject({ utm_source: 'google', utm_medium: 'cpc' });
  });

  it('refuses a path it cannot resolve (no location: server, worker) with a warning, and stores nothing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const storage = memoryStorage();
    const tracker = createTracker({ contract, storage, campaign: false });
    expect(() => tracker.captureCampaign('/pricing?utm_source=newsletter')).not.toThrow();
    expect(tracker.getCampaign()).toEqual({ first: null, last: null });
    expect(storage.getItem('conversion-kit:campaign')).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/\[conversion-kit\] captureCampaign\("\/pricing\?utm_source=newsletter"\): expected an absolute URL/));
    warn.mockRestore();
  });
});

describe('reading the campaign while a page stays open', () => {
  it('drops a touch that expires while the page is open', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const tracker = createTracker({ contract, storage: memoryStorage(), campaign: { url: 'https://shop.example/?utm_source=google', ttlMs: DAY } });
    expect(tracker.getCampaign().last).toMatchObject({ utm_source: 'google' });
    vi.advanceTimersByTime(DAY + 1);
    expect(tracker.getCampaign()).toEqual({ first: null, last: null });
  });

  it('attaches the touch another tab captured later to a conversion in this tab', () => {
    const storage = memoryStorage(); // one localStorage, two tabs
    const received: Array<{ campaign: { last: { utm_source?: string } | null } }> = [];
    const firstTab = createTracker({
      contract,
      storage,
      campaign: { url: 'https://shop.example/?utm_source=google' },
      destinations: [{ name: 'recorder', send: (envelope) => void received.push(envelope as never) }],
    });
    expect(firstTab.getCampaign().last?.utm_source).toBe('google');
    createTracker({ contract, storage, campaign: { url: 'https://shop.example/?utm_source=meta' } }); // the new ad, in tab 2
    firstTab.track('purchase_completed', order);
    expect(received[0]!.campaign.last?.utm_source).toBe('meta');
    expect(firstTab.getCampaign().last?.utm_source).toBe('meta');
  });

  it('keeps the same snapshot while nothing changed (for useSyncExternalStore)', () => {
    const tracker = visit(memoryStorage(), 'https://shop.example/?utm_source=google');
    expect(tracker.getCampaign()).toBe(tracker.getCampaign());
  });
});

describe('hostile campaign values', () => {
  it('strips control characters, trims and keeps script text inert in its own field', () => {
    const tracker = visit(memoryStorage(), 'https://shop.example/?utm_source=%20%3Cscript%3Ealert(1)%3C%2Fscript%3E%00%0A%1F%20&utm_medium=cpc');
    expect(tracker.getCampaign().last).toMatchObject({ utm_source: '<script>alert(1)</script>', utm_medium: 'cpc' });
  });

  it('removes invisible characters that could disguise a value (bidi overrides, zero-width spaces)', () => {
    const tracker = visit(memoryStorage(), 'https://shop.example/?utm_campaign=spring%E2%80%AE_sale%E2%80%8B%EF%BB%BF&utm_source=goo%E2%81%A0gle');
    expect(tracker.getCampaign().last).toMatchObject({ utm_campaign: 'spring_sale', utm_source: 'google' });
  });

  it('caps each value at 256 characters', () => {
    const tracker = visit(memoryStorage(), `https://shop.example/?utm_campaign=${'x'.repeat(10_000)}&utm_source=${'😀'.repeat(300)}`);
    const last = tracker.getCampaign().last!;
    expect(last.utm_campaign).toHaveLength(256);
    expect(Array.from(last.utm_source!)).toEqual(Array(128).fill('😀'));
  });

  it('does not let an encoded separator smuggle a second parameter', () => {
    const tracker = visit(memoryStorage(), 'https://shop.example/?utm_source=evil%26utm_medium%3Dinjected');
    expect(tracker.getCampaign().last).toMatchObject({ utm_source: 'evil&utm_medium=injected' });
    expect(tracker.getCampaign().last).not.toHaveProperty('utm_medium');
  });

  it('survives broken percent-encoding and URLs that do not parse', () => {
    expect(() => visit(memoryStorage(), 'https://shop.example/?utm_source=%E0%A4%A&utm_medium=%')).not.toThrow();
    expect(visit(memoryStorage(), 'https://shop.example/?utm_source=%E0%A4%A').getCampaign().last?.utm_source).toBe('\uFFFD%A');
    expect(() => visit(memoryStorage(), 'http://[::1')).not.toThrow();
  });

  it('keeps only the known keys, even from tampered storage', () => {
    const storage = memoryStorage();
    storage.setItem('conversion-kit:campaign', JSON.stringify({
      first: { utm_source: 'google', evil: '<img onerror>', captured_at: Date.now(), landing_page: 'x'.repeat(1000), referrer: 5 },
      last: 'not an object',
    }));
    const tracker = createTracker({ contract, storage, campaign: false });
    const { first, last } = tracker.getCampaign();
    expect(last).toEqual(first);
    expect(first).toEqual({ utm_source: 'google', captured_at: expect.any(Number), landing_page: 'x'.repeat(256), referrer: '' });
  });

  it('ignores corrupted stored campaign data', () => {
    const storage = memoryStorage();
    storage.setItem('conversion-kit:campaign', '{"first":');
    expect(visit(storage, 'https://shop.example/?utm_source=google').getCampaign().first).toMatchObject({ utm_source: 'google' });
  });
});

describe('decorateUrl', () => {
  it('appends the stored campaign parameters, leaving the ones already there', () => {
    const tracker = visit(memoryStorage(), 'https://shop.example/?utm_source=google&utm_medium=cpc&gclid=abc');
    expect(decorateUrl('https://pay.example/checkout?utm_medium=email#step-2', tracker.getCampaign())).toBe(
      'https://pay.example/checkout?utm_medium=email&utm_source=google&gclid=abc#step-2',
    );
  });

  it('returns what is not an absolute URL unchanged', () => {
    const tracker = visit(memoryStorage(), 'https://shop.example/?utm_source=google');
    expect(decorateUrl('/pricing?plan=team', tracker.getCampaign())).toBe('/pricing?plan=team');
    expect(decorateUrl('http://[::1', tracker.getCampaign())).toBe('http://[::1');
  });

  it('returns the URL unchanged without a campaign', () => {
    const tracker = createTracker({ contract, storage: memoryStorage(), campaign: false });
    expect(decorateUrl('https://pay.example/', tracker.getCampaign())).toBe('https://pay.example/');
  });
});

// @vitest-environment-options {"url": "https://www.example.com/checkout"}
import { afterEach, describe, expect, it } from 'vitest';
import { metaPixel } from 'conversion-kit/destinations';
import { installMetaPixelSnippet, resetPlatforms } from '../fixtures/platform-snippets';
import { trackerWith } from './helpers';

// A page on www.example.com: Meta's pixel keeps _fbc on example.com, for every subdomain.
afterEach(() => {
  document.cookie = '_fbc=; path=/; domain=example.com; max-age=0';
  resetPlatforms();
});

describe('metaPixel on a subdomain', () => {
  it("replaces the pixel's older _fbc on the registrable domain instead of adding a host-only second one", () => {
    installMetaPixelSnippet();
    document.cookie = '_fbc=fb.1.1554763741205.OlderClick; path=/; domain=example.com'; // as the pixel writes it
    const { tracker } = trackerWith([metaPixel({ events: { lead_submitted: 'Lead' } })]);
    tracker.track('lead_submitted', { form_id: 'demo' });
    const fbc = tracker.getCampaign().last!.fbc!;
    expect(document.cookie.match(/_fbc=[^;]*/g)).toEqual([`_fbc=${fbc}`]);
  });
});

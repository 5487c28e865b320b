import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from 'conversion-kit/core';
import { beacon, dataLayer, gtag, googleAds, metaPixel, segment } from 'conversion-kit/destinations';
import { resetPlatforms } from '../fixtures/platform-snippets';
import { order, trackerWith } from './helpers';

afterEach(resetPlatforms);

/** The six destinations of the docs' example; the beacon's collector is never reached (consent stays pending). */
const six = () => [
  dataLayer(),
  gtag({ events: { purchase_completed: 'purchase' } }),
  googleAds({ conversions: { purchase_completed: 'AW-1/Purchase' } }),
  metaPixel({ events: { purchase_completed: 'Purchase' } }),
  segment(),
  beacon({ url: 'http://127.0.0.1:9/collect', storage: memoryStorage() }),
];

const dropped = (records: ReturnType<typeof trackerWith>['records']) =>
  records.flatMap((r) => (r.type === 'dropped' ? [`${r.event}:${(r as { destination: string }).destination}`] : []));

describe('events held for consent, bounded per event', () => {
  it('never drops a held conversion for supporting events, with six destinations', () => {
    const page = trackerWith(six(), { consent: { analytics: 'pending', ads: 'pending' } });
    for (let i = 0; i < 125; i++) page.tracker.track('cta_clicked', { cta_id: `c${i}` });
    for (let i = 0; i < 100; i++) page.tracker.track('purchase_completed', order(`H-${i}`));
    expect(dropped(page.records).filter((d) => d.startsWith('purchase_completed'))).toEqual([]);
  });

  it('drops a supporting event for every destination or for none, so the platforms agree', () => {
    const page = trackerWith(six(), { consent: { analytics: 'pending', ads: 'pending' } });
    for (let i = 0; i < 600; i++) page.tracker.track('cta_clicked', { cta_id: `c${i}` });
    const byEvent = new Map<string, number>();
    for (const r of page.records) if (r.type === 'dropped') byEvent.set(r.eventId, (byEvent.get(r.eventId) ?? 0) + 1);
    expect(byEvent.size).toBe(100); // 500 events held, whatever the number of destinations
    expect(new Set(byEvent.values())).toEqual(new Set([4])); // dataLayer, gtag, segment, beacon take clicks
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { dataLayer } from 'conversion-kit/destinations';
import { resetPlatforms } from '../fixtures/platform-snippets';
import { order, trackerWith } from './helpers';

const layer = (name = 'dataLayer') => (window as unknown as Record<string, unknown[]>)[name]!;

afterEach(resetPlatforms);

describe('dataLayer', () => {
  it('pushes the event, its id, the payload and the campaign for GTM', () => {
    (window as unknown as { dataLayer: unknown[] }).dataLayer = [];
    const { tracker } = trackerWith([dataLayer()]);
    const { eventId } = tracker.track('purchase_completed', order('A-1001'));
    expect(layer()).toEqual([
      { event: 'purchase_completed', event_id: eventId, order_id: 'A-1001', value: 129, currency: 'EUR', campaign: tracker.getCampaign() },
    ]);
  });

  it("creates the data layer as Google's snippet does when GTM has not loaded yet, so GTM reads it later", () => {
    const { tracker } = trackerWith([dataLayer()]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(layer()).toMatchObject([{ event: 'cta_clicked', cta_id: 'hero' }]);
  });

  it('pushes to a renamed data layer', () => {
    const { tracker } = trackerWith([dataLayer({ name: 'customLayer' })]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(layer('customLayer')).toHaveLength(1);
  });

  it('renames events for GTM and leaves out the ones mapped to false', () => {
    const { tracker, outcomes } = trackerWith([dataLayer({ events: { purchase_completed: 'purchase', cta_clicked: false } })]);
    tracker.track('purchase_completed', order('A-1'));
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(layer().map((entry) => (entry as { event: string }).event)).toEqual(['purchase']);
    expect(outcomes()).toEqual(['delivered:dataLayer:purchase_completed']);
  });

  it('keeps the GTM event name when the payload has a field named event', () => {
    const { tracker } = trackerWith([dataLayer()]);
    tracker.track('form_started', { form_id: 'demo', event: 'spoofed' } as never);
    expect(layer()[0]).toMatchObject({ event: 'form_started' });
  });

  it('records a failure instead of throwing when the data layer is not an array', () => {
    (window as unknown as { dataLayer: unknown }).dataLayer = 'broken';
    const { tracker, onError, outcomes } = trackerWith([dataLayer()]);
    expect(tracker.track('cta_clicked', { cta_id: 'hero' }).status).toBe('sent');
    expect(outcomes()).toEqual(['failed:dataLayer:cta_clicked']);
    expect(onError.mock.calls[0]![0].message).toMatch(/window\.dataLayer is not an array/);
  });
});

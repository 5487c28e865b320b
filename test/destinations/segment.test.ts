import { afterEach, describe, expect, it } from 'vitest';
import { segment } from 'conversion-kit/destinations';
import { installSegmentSnippet, loadedSegment, resetPlatforms } from '../fixtures/platform-snippets';
import { order, trackerWith } from './helpers';

afterEach(resetPlatforms);

const campaign = { name: 'spring', source: 'google', medium: 'cpc' };

describe('segment', () => {
  it("queues track on the snippet with the eventId as messageId and the last touch as Segment's context.campaign", () => {
    const page = installSegmentSnippet();
    const { tracker } = trackerWith([segment({ events: { purchase_completed: 'Order Completed' } })]);
    const { eventId } = tracker.track('purchase_completed', order('A-1001'));
    expect(page.calls()).toEqual([
      ['addSourceMiddleware', expect.any(Function)],
      ['track', 'Order Completed', { order_id: 'A-1001', value: 129, currency: 'EUR' }, { messageId: eventId, context: { campaign } }],
    ]);
  });

  it('makes Segment\'s messageId the eventId once analytics.js has filed it under context, so Segment dedups browser and server sends', () => {
    const { instance, events } = loadedSegment();
    const { tracker } = trackerWith([segment({ analytics: instance })]);
    const { eventId } = tracker.track('purchase_completed', order('A-1001'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'purchase_completed', messageId: eventId, context: { campaign, messageId: eventId } });
  });

  it("leaves Segment's own messageId alone when told to", () => {
    const { instance, events } = loadedSegment();
    const { tracker } = trackerWith([segment({ analytics: instance, messageId: false })]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(events[0]!.messageId).toMatch(/^ajs-next-/);
  });

  it('adds the middleware once per analytics instance', () => {
    const page = installSegmentSnippet();
    const { tracker } = trackerWith([segment()]);
    tracker.track('cta_clicked', { cta_id: 'a' });
    tracker.track('cta_clicked', { cta_id: 'b' });
    expect(page.calls().map((call) => call[0])).toEqual(['addSourceMiddleware', 'track', 'track']);
  });

  it('sends no campaign context without UTM parameters', () => {
    const { instance, events } = loadedSegment();
    const { tracker } = trackerWith([segment({ analytics: instance })], { campaign: false });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(events[0]!.context).toEqual({ messageId: expect.any(String) });
  });

  it('leaves out events mapped to false', () => {
    const { instance, events } = loadedSegment();
    const { tracker } = trackerWith([segment({ analytics: () => instance, events: { cta_clicked: false } })]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(events).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gtag, metaPixel, segment } from 'conversion-kit/destinations';
import { installGtagSnippet, installMetaPixelSnippet, installSegmentSnippet, loadedSegment, resetPlatforms } from '../fixtures/platform-snippets';
import { order, trackerWith } from './helpers';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  resetPlatforms();
});

describe('a platform global that appears late', () => {
  it('queues gtag calls in memory and replays them in order once gtag appears', async () => {
    const { tracker, outcomes } = trackerWith([gtag({ events: { purchase_completed: 'purchase' } })]);
    expect(tracker.track('purchase_completed', order('A-1')).status).toBe('sent');
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await vi.advanceTimersByTimeAsync(500);
    expect(outcomes()).toEqual([]); // nothing delivered while gtag is missing
    const page = installGtagSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.commands().map((command) => command[1])).toEqual(['purchase', 'cta_clicked']);
    expect(outcomes()).toEqual(['delivered:gtag:purchase_completed', 'delivered:gtag:cta_clicked']);
  });

  it('replays what waited before a call made once the global is there', () => {
    const { tracker } = trackerWith([gtag()]);
    tracker.track('cta_clicked', { cta_id: 'first' });
    const page = installGtagSnippet();
    tracker.track('cta_clicked', { cta_id: 'second' }); // before the next poll
    expect(page.commands().map((command) => (command[2] as { cta_id: string }).cta_id)).toEqual(['first', 'second']);
  });

  it('queues fbq calls until the pixel base code runs', async () => {
    const { tracker } = trackerWith([metaPixel({ events: { purchase_completed: 'Purchase', lead_submitted: 'Lead' } })]);
    tracker.track('lead_submitted', { form_id: 'demo' });
    tracker.track('purchase_completed', order('A-1'));
    const pixel = installMetaPixelSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    expect(pixel.calls().map((call) => call[1])).toEqual(['Lead', 'Purchase']);
  });

  it('queues analytics calls until the Segment snippet runs', async () => {
    const { tracker } = trackerWith([segment()]);
    tracker.track('cta_clicked', { cta_id: 'a' });
    tracker.track('cta_clicked', { cta_id: 'b' });
    const page = installSegmentSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.calls().filter((call) => call[0] === 'track').map((call) => (call[2] as { cta_id: string }).cta_id)).toEqual(['a', 'b']);
  });

  it('reports events as failed, never throwing, when the global never appears', async () => {
    const { tracker, onError, outcomes } = trackerWith([gtag({ waitMs: 3000 })]);
    expect(() => tracker.track('cta_clicked', { cta_id: 'hero' })).not.toThrow();
    await vi.advanceTimersByTimeAsync(5000);
    expect(outcomes()).toEqual(['failed:gtag:cta_clicked']);
    expect(onError.mock.calls[0]![0].message).toMatch(/gtag missing after 3000 ms/);
    installGtagSnippet();
    tracker.track('cta_clicked', { cta_id: 'later' });
    expect(outcomes()).toEqual(['failed:gtag:cta_clicked', 'delivered:gtag:cta_clicked']);
  });

  it('keeps at most 100 calls waiting, failing the oldest beyond that', async () => {
    const { tracker, outcomes } = trackerWith([gtag()]);
    for (let i = 0; i < 101; i++) tracker.track('cta_clicked', { cta_id: `c${i}` });
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes()).toEqual(['failed:gtag:cta_clicked']);
    const page = installGtagSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.commands()).toHaveLength(100);
    expect(page.commands()[0]![2]).toEqual({ cta_id: 'c1' });
  });

  it('fails the oldest supporting call beyond 100, never a waiting conversion', async () => {
    const { tracker, outcomes } = trackerWith([gtag({ events: { purchase_completed: 'purchase' } })]);
    tracker.track('purchase_completed', order('A-1'));
    for (let i = 0; i < 100; i++) tracker.track('cta_clicked', { cta_id: `c${i}` });
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes()).toEqual(['failed:gtag:cta_clicked']);
    const page = installGtagSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.commands().map((command) => command[1])).toEqual(['purchase', ...Array(99).fill('cta_clicked')]);
    expect(page.commands()[1]![2]).toEqual({ cta_id: 'c1' });
  });

  it("treats a throwing analytics getter as not there yet, without an error escaping to the page", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (event: ErrorEvent) => uncaught.push(event.error);
    window.addEventListener('error', onUncaught);
    let ready = false;
    const { instance, events } = loadedSegment();
    const { tracker, outcomes } = trackerWith([segment({ analytics: () => { if (!ready) throw new Error('not ready'); return instance; } })]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await vi.advanceTimersByTimeAsync(500);
    ready = true;
    await vi.advanceTimersByTimeAsync(1000);
    window.removeEventListener('error', onUncaught);
    expect(uncaught).toEqual([]);
    expect(events).toHaveLength(1);
    expect(outcomes()).toEqual(['delivered:segment:cta_clicked']);
  });

  it('stops polling once nothing waits', async () => {
    const { tracker } = trackerWith([gtag()]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    installGtagSnippet();
    await vi.advanceTimersByTimeAsync(1000);
    expect(vi.getTimerCount()).toBe(0);
  });
});

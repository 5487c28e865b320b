import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracker } from 'conversion-kit/core';
import { contract } from '../fixtures/contract';

afterEach(() => {
  localStorage.clear();
  document.querySelectorAll('iframe').forEach((frame) => frame.remove());
});

/** A second browsing context of the same origin: its localStorage writes reach this page as `storage` events, as another tab's do. */
async function otherTab(): Promise<Window> {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  await new Promise((resolve) => setTimeout(resolve, 0));
  return frame.contentWindow!;
}

describe('campaign across tabs, in a real browser', () => {
  it("tells this page's subscribers about a touch another tab captured, and attaches it to the next conversion", async () => {
    const received: Array<{ campaign: { last: { utm_source?: string } | null } }> = [];
    const tracker = createTracker({
      contract,
      campaign: { url: 'https://shop.example/?utm_source=google' },
      destinations: [{ name: 'recorder', send: (envelope) => void received.push(envelope as never) }],
    });
    const changed = vi.fn();
    tracker.subscribeState(changed);
    const tab = await otherTab();
    createTracker({ contract, storage: tab.localStorage, campaign: { url: 'https://shop.example/?utm_source=meta' } });
    await vi.waitFor(() => expect(changed).toHaveBeenCalled());
    expect(tracker.getCampaign().last?.utm_source).toBe('meta');
    tracker.track('purchase_completed', { order_id: 'T-1', value: 1, currency: 'EUR' });
    // An in-page destination gets a deduplicated conversion once the tabs' claim is settled (Web Locks).
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]!.campaign.last?.utm_source).toBe('meta');
  });
});

import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useEffect, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConversionOnView, ConversionProvider } from 'conversion-kit';
import { memoryStorage } from 'conversion-kit/core';
import { demoTracker, renderWithTracker } from './helpers';

const order = { order_id: 'A-1001', value: 129, currency: 'EUR' };

/** Each "page load" is a new tracker over the same storage, as a real reload is. */
function pageLoad(storage = memoryStorage()) {
  return demoTracker({ storage });
}

describe('ConversionOnView', () => {
  it('fires the handed-off conversion once when the thank-you page mounts', () => {
    const storage = memoryStorage();
    pageLoad(storage).handoff('purchase_completed', order);
    const thankYou = pageLoad(storage);
    renderWithTracker(<ConversionOnView conversion="purchase_completed" />, { tracker: thankYou });
    expect(thankYou.conversions('purchase_completed').map((e) => e.payload)).toEqual([order]);
  });

  it('fires nothing when the thank-you page is opened directly', () => {
    const { tracker } = renderWithTracker(<ConversionOnView conversion="purchase_completed" />);
    expect(tracker.sent).toHaveLength(0);
  });

  it('fires nothing when the thank-you page is refreshed', () => {
    const storage = memoryStorage();
    pageLoad(storage).handoff('purchase_completed', order);
    const first = pageLoad(storage);
    const view = renderWithTracker(<ConversionOnView conversion="purchase_completed" />, { tracker: first });
    view.unmount();
    const refreshed = pageLoad(storage);
    renderWithTracker(<ConversionOnView conversion="purchase_completed" />, { tracker: refreshed });
    expect(first.sent).toHaveLength(1);
    expect(refreshed.sent).toHaveLength(0);
  });

  it('fires an explicit payload once, and not again on refresh (dedup ledger)', () => {
    const storage = memoryStorage();
    const first = pageLoad(storage);
    renderWithTracker(<ConversionOnView conversion="purchase_completed" payload={order} />, { tracker: first }).unmount();
    const refreshed = pageLoad(storage);
    renderWithTracker(<ConversionOnView conversion="purchase_completed" payload={order} />, { tracker: refreshed });
    expect(first.sent).toHaveLength(1);
    expect(refreshed.sent).toHaveLength(0);
    expect(refreshed.duplicates).toHaveLength(1);
  });

  it('fires a handoff once and ignores the explicit payload beside it', () => {
    const storage = memoryStorage();
    pageLoad(storage).handoff('purchase_completed', order);
    const thankYou = pageLoad(storage);
    renderWithTracker(
      <ConversionOnView conversion="purchase_completed" payload={{ order_id: 'A-2002', value: 5, currency: 'EUR' }} />,
      { tracker: thankYou },
    );
    expect(thankYou.sent.map((e) => e.payload)).toEqual([order]);
  });

  it('waits for a payload that loads after mount', async () => {
    function ThankYou() {
      const [loaded, setLoaded] = useState<typeof order | undefined>();
      useEffect(() => {
        const timer = setTimeout(() => setLoaded(order), 10);
        return () => clearTimeout(timer);
      }, []);
      return <ConversionOnView conversion="purchase_completed" payload={loaded}>{loaded ? 'Thanks!' : 'Loading'}</ConversionOnView>;
    }
    const { tracker } = renderWithTracker(<ThankYou />);
    expect(tracker.sent).toHaveLength(0);
    await screen.findByText('Thanks!');
    await waitFor(() => expect(tracker.conversions('purchase_completed')).toHaveLength(1));
  });

  it('fires once under StrictMode double effects and re-renders, even without a dedup key', () => {
    const tracker = demoTracker();
    const ui = (n: number) => (
      <StrictMode>
        <ConversionProvider tracker={tracker}>
          <ConversionOnView conversion="newsletter_signup" payload={{ form_id: 'footer' }}>{n}</ConversionOnView>
        </ConversionProvider>
      </StrictMode>
    );
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { rerender } = render(ui(1));
    rerender(ui(2));
    rerender(ui(3));
    expect(tracker.conversions('newsletter_signup')).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/\[conversion-kit\] <ConversionOnView conversion="newsletter_signup"> has no dedup key/));
    warn.mockRestore();
  });
  describe('on a thank-you view that stays mounted (a route with params, a one-page checkout)', () => {
    const orderB = { order_id: 'B-2002', value: 40, currency: 'EUR' };

    it('fires each distinct order given as payload, once each', () => {
      const { tracker, rerender } = renderWithTracker(<ConversionOnView conversion="purchase_completed" payload={order} />);
      rerender(<ConversionOnView conversion="purchase_completed" payload={{ ...order }} />);
      rerender(<ConversionOnView conversion="purchase_completed" payload={orderB} />);
      rerender(<ConversionOnView conversion="purchase_completed" payload={orderB} />);
      expect(tracker.conversions('purchase_completed').map((e) => e.dedupeKey)).toEqual(['A-1001', 'B-2002']);
      expect(tracker.duplicates).toHaveLength(0);
    });

    it('fires the new conversion when the conversion prop changes', () => {
      const { tracker, rerender } = renderWithTracker(<ConversionOnView conversion="lead_submitted" payload={{ form_id: 'demo' }} dedupeKey="L-1" />);
      rerender(<ConversionOnView conversion="newsletter_signup" payload={{ form_id: 'demo' }} dedupeKey="L-1" />);
      expect(tracker.conversions().map((e) => e.event)).toEqual(['lead_submitted', 'newsletter_signup']);
    });

    it('fires a second handed-off order while it stays mounted', () => {
      const { tracker } = renderWithTracker(<ConversionOnView conversion="purchase_completed" />);
      act(() => void tracker.handoff('purchase_completed', order));
      act(() => void tracker.handoff('purchase_completed', orderB));
      expect(tracker.conversions('purchase_completed').map((e) => e.dedupeKey)).toEqual(['A-1001', 'B-2002']);
    });

    it('still fires each order once under StrictMode and a remount', () => {
      const storage = memoryStorage();
      const tracker = pageLoad(storage);
      const view = renderWithTracker(<ConversionOnView conversion="purchase_completed" payload={order} />, { tracker });
      view.rerender(<ConversionOnView conversion="purchase_completed" payload={orderB} />);
      view.unmount();
      renderWithTracker(<ConversionOnView conversion="purchase_completed" payload={orderB} />, { tracker });
      expect(tracker.conversions('purchase_completed').map((e) => e.dedupeKey)).toEqual(['A-1001', 'B-2002']);
    });
  });

  it('falls back to the explicit payload when the pending handoff no longer passes the contract', () => {
    const storage = memoryStorage();
    // A handoff stored before a deploy changed the schema: the thank-you page can no longer send it.
    storage.setItem(
      'conversion-kit:handoff',
      JSON.stringify({ old: { event: 'purchase_completed', payload: { order_id: 'A-1001', value: '129' }, options: {}, expiresAt: Date.now() + 60_000 } }),
    );
    const thankYou = pageLoad(storage);
    renderWithTracker(<ConversionOnView conversion="purchase_completed" payload={order} />, { tracker: thankYou });
    expect(thankYou.rejected).toHaveLength(1);
    expect(thankYou.conversions('purchase_completed').map((e) => e.payload)).toEqual([order]);
  });
});

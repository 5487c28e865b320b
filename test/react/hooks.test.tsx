import { act, render, renderHook, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Profiler, startTransition, Suspense, use, useState, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import {
  ConversionDebugger,
  ConversionOnView,
  ConversionProvider,
  TrackedCheckout,
  TrackedForm,
  useCampaign,
  useConsent,
  useConversion,
  useTracker,
} from 'conversion-kit';
import { demoTracker, renderWithTracker } from './helpers';

const wrapperFor = (tracker = demoTracker()) =>
  function Wrapper({ children }: { children: ReactNode }) {
    return <ConversionProvider tracker={tracker}>{children}</ConversionProvider>;
  };

describe('outside the provider', () => {
  it.each([
    ['useTracker', () => renderHook(() => useTracker())],
    ['useConversion', () => renderHook(() => useConversion('cta_clicked'))],
    ['useCampaign', () => renderHook(() => useCampaign())],
    ['useConsent', () => renderHook(() => useConsent())],
    ['TrackedForm', () => render(<TrackedForm conversion="lead_submitted" formId="x" onSubmit={() => null} />)],
    ['TrackedCheckout', () => render(<TrackedCheckout conversion="purchase_completed" onConfirm={() => ({ order_id: 'A', value: 1, currency: 'EUR' })}>{() => null}</TrackedCheckout>)],
    ['ConversionOnView', () => render(<ConversionOnView conversion="purchase_completed" />)],
  ])('%s throws an error naming itself and the provider', (name, run) => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(run).toThrow(`[conversion-kit] ${name} must be used inside <ConversionProvider>`);
    error.mockRestore();
  });
  it('in production renders the page, fires nothing and says so once: tracking never breaks a marketing page', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      render(
        <>
          <TrackedForm conversion="lead_submitted" formId="demo" onSubmit={async () => ({ ok: true })}>
            <button type="submit">Request a demo</button>
          </TrackedForm>
          <ConversionOnView conversion="purchase_completed" payload={{ order_id: 'A-1', value: 1, currency: 'EUR' }}>
            <p>Thank you</p>
          </ConversionOnView>
          <ConversionDebugger />
        </>,
      );
      expect(screen.getByText('Thank you')).toBeInTheDocument();
      await userEvent.setup().click(screen.getByRole('button', { name: 'Request a demo' }));
      const reports = error.mock.calls.filter((call) => String(call[0]).includes('must be used inside <ConversionProvider>'));
      expect(reports).toHaveLength(1);
      expect(String(reports[0]![0])).toMatch(/nothing is tracked/);
    } finally {
      error.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});

describe('useConversion', () => {
  it('returns the same functions on every render', () => {
    const { result, rerender } = renderHook(() => useConversion('cta_clicked'), { wrapper: wrapperFor() });
    const first = result.current;
    rerender();
    expect(result.current.track).toBe(first.track);
    expect(result.current.trackOnSuccess).toBe(first.trackOnSuccess);
  });

  it('never re-renders its component when the campaign, consent or records change', async () => {
    const tracker = demoTracker({ consent: { analytics: 'pending', ads: 'pending' } });
    let renders = 0;
    function CtaButton() {
      const { track } = useConversion('cta_clicked');
      return <button onClick={() => track({ cta_id: 'hero' })}>Start free trial</button>;
    }
    render(
      <ConversionProvider tracker={tracker}>
        <Profiler id="cta" onRender={() => (renders += 1)}>
          <CtaButton />
        </Profiler>
      </ConversionProvider>,
    );
    expect(renders).toBe(1);
    act(() => tracker.captureCampaign('https://shop.example/?utm_source=google&utm_medium=cpc'));
    act(() => tracker.setConsent({ analytics: 'granted' }));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Start free trial' }));
    act(() => void tracker.track('purchase_completed', { order_id: 'A', value: 1, currency: 'EUR' }));
    expect(tracker.getCampaign().last?.utm_source).toBe('google');
    expect(tracker.sent.map((e) => e.event)).toEqual(['cta_clicked', 'purchase_completed']);
    expect(renders).toBe(1);
  });

  it('tracks on success only, and re-throws a rejection without tracking', async () => {
    const tracker = demoTracker();
    const { result } = renderHook(() => useConversion('lead_submitted'), { wrapper: wrapperFor(tracker) });
    await expect(result.current.trackOnSuccess(Promise.reject(new Error('CRM down')), () => ({ form_id: 'x' }))).rejects.toThrow('CRM down');
    expect(tracker.sent).toHaveLength(0);
    const value = await result.current.trackOnSuccess(
      async () => ({ id: 'lead-9' }),
      () => ({ form_id: 'demo' }),
      (lead) => ({ dedupeKey: lead.id }),
    );
    expect(value).toEqual({ id: 'lead-9' });
    expect(tracker.sent).toEqual([expect.objectContaining({ event: 'lead_submitted', dedupeKey: 'lead-9' })]);
  });

  it('tracks a fetch Response only when it is ok, returning it either way', async () => {
    const tracker = demoTracker();
    const { result } = renderHook(() => useConversion('newsletter_signup'), { wrapper: wrapperFor(tracker) });
    const refused = await result.current.trackOnSuccess(Promise.resolve(new Response(null, { status: 500 })), () => ({ form_id: 'footer' }));
    expect(refused.status).toBe(500);
    expect(tracker.sent).toHaveLength(0);
    await result.current.trackOnSuccess(Promise.resolve(new Response(null, { status: 201 })), () => ({ form_id: 'footer' }));
    expect(tracker.conversions('newsletter_signup')).toHaveLength(1);
  });
});

describe('useCampaign', () => {
  it('re-renders with the new touch when the campaign changes', () => {
    const tracker = demoTracker({ campaign: { url: 'https://shop.example/?utm_source=google' } });
    function Banner() {
      const { first, last } = useCampaign();
      return <p>{`${first?.utm_source} -> ${last?.utm_source}`}</p>;
    }
    render(<ConversionProvider tracker={tracker}><Banner /></ConversionProvider>);
    expect(screen.getByText('google -> google')).toBeInTheDocument();
    act(() => tracker.captureCampaign('https://shop.example/?utm_source=newsletter'));
    expect(screen.getByText('google -> newsletter')).toBeInTheDocument();
  });

  it("re-renders with another tab's touch (the storage event)", () => {
    localStorage.clear();
    const tracker = demoTracker({ storage: localStorage, campaign: { url: 'https://shop.example/?utm_source=google' } });
    function Banner() {
      return <p>{`last: ${useCampaign().last?.utm_source}`}</p>;
    }
    render(<ConversionProvider tracker={tracker}><Banner /></ConversionProvider>);
    expect(screen.getByText('last: google')).toBeInTheDocument();
    // What another tab's tracker writes; the browser then tells this tab with a storage event.
    demoTracker({ storage: localStorage, campaign: { url: 'https://shop.example/?utm_source=meta' } });
    act(() => void window.dispatchEvent(new StorageEvent('storage', { key: 'conversion-kit:campaign' })));
    expect(screen.getByText('last: meta')).toBeInTheDocument();
    localStorage.clear();
  });
});

describe('useConsent', () => {
  it('reads consent and releases held conversions when the visitor accepts', async () => {
    const tracker = demoTracker({ consent: { analytics: 'pending', ads: 'pending' } });
    function Banner() {
      const { consent, setConsent } = useConsent();
      return consent.analytics === 'pending' ? (
        <button onClick={() => setConsent({ analytics: 'granted', ads: 'granted' })}>Accept all</button>
      ) : (
        <p>analytics {consent.analytics}</p>
      );
    }
    render(<ConversionProvider tracker={tracker}><Banner /></ConversionProvider>);
    tracker.track('newsletter_signup', { form_id: 'footer' });
    expect(tracker.held).toHaveLength(1);
    expect(tracker.sent).toHaveLength(0);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Accept all' }));
    expect(screen.getByText('analytics granted')).toBeInTheDocument();
    expect(tracker.held).toHaveLength(0);
    expect(tracker.sent).toHaveLength(1);
  });
});

describe('StrictMode and concurrent rendering', () => {
  it('fires once per confirmed submit in StrictMode with interrupted transitions around it', async () => {
    const tracker = demoTracker();
    function Page() {
      const [tab, setTab] = useState(0);
      return (
        <>
          <button onClick={() => setTab((n) => n + 1)}>Next tab {tab}</button>
          <TrackedForm conversion="newsletter_signup" formId="footer" onSubmit={async () => ({})} payload={() => ({ form_id: 'footer' })}>
            <button>Subscribe</button>
          </TrackedForm>
        </>
      );
    }
    renderWithTracker(<Page />, { tracker });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /Next tab/ }));
    await user.click(screen.getByRole('button', { name: 'Subscribe' }));
    await user.click(screen.getByRole('button', { name: /Next tab/ }));
    await vi.waitFor(() => expect(tracker.conversions()).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tracker.conversions()).toHaveLength(1);
  });

  it('fires once when a concurrent render is suspended, discarded and retried', async () => {
    const tracker = demoTracker();
    let resolveData!: (value: string) => void;
    const data = new Promise<string>((resolve) => (resolveData = resolve));
    function OrderDetails() {
      return <p>{use(data)}</p>;
    }
    function ThankYou() {
      return (
        <Suspense fallback={<p>Loading order</p>}>
          <ConversionOnView conversion="purchase_completed" payload={{ order_id: 'C-1', value: 5, currency: 'EUR' }} />
          <OrderDetails />
        </Suspense>
      );
    }
    const view = renderWithTracker(<p>checkout</p>, { tracker });
    await act(async () => startTransition(() => view.rerender(<ThankYou />)));
    expect(tracker.sent).toHaveLength(0);
    await act(async () => resolveData('Order C-1'));
    expect(await screen.findByText('Order C-1')).toBeInTheDocument();
    expect(tracker.conversions('purchase_completed')).toHaveLength(1);
  });
});

describe('server rendering', () => {
  it('hydrates consent and campaign readers without a mismatch when the browser knows more than the server', async () => {
    const { renderToString } = await import('react-dom/server');
    const { hydrateRoot } = await import('react-dom/client');
    function Banner() {
      const { consent } = useConsent();
      const { last } = useCampaign();
      return <p>{`ads ${consent.ads}, from ${last?.utm_source ?? 'nowhere'}`}</p>;
    }
    const serverTracker = demoTracker({ consent: { analytics: 'pending', ads: 'pending' } });
    const container = document.createElement('div');
    container.innerHTML = renderToString(<ConversionProvider tracker={serverTracker}><Banner /></ConversionProvider>);
    document.body.append(container);
    const browserTracker = demoTracker({ consent: { analytics: 'granted', ads: 'granted' }, campaign: { url: 'https://shop.example/?utm_source=google' } });
    const onRecoverableError = vi.fn();
    await act(async () => {
      hydrateRoot(container, <ConversionProvider tracker={browserTracker}><Banner /></ConversionProvider>, { onRecoverableError });
    });
    expect(onRecoverableError).not.toHaveBeenCalled();
    expect(container.textContent).toBe('ads granted, from google');
    container.remove();
  });
});

import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Profiler } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { ConversionDebugger, ConversionProvider, useCampaign, useConversion } from 'conversion-kit';
import { demoTracker, renderWithTracker } from './helpers';

const order = { order_id: 'A-1001', value: 135, currency: 'EUR' };

function decisions() {
  return within(screen.getByRole('log', { name: 'Decisions' }));
}

describe('ConversionDebugger', () => {
  it('opens from its button, moves focus into the panel, and Escape closes it back onto the button', async () => {
    renderWithTracker(<ConversionDebugger />);
    const user = userEvent.setup();
    const toggle = screen.getByRole('button', { name: 'Conversions (0)' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('group', { name: 'Conversion debugger details' })).toBeNull();

    await user.click(toggle);
    const panel = screen.getByRole('group', { name: 'Conversion debugger details' });
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(toggle).toHaveAttribute('aria-controls', panel.id);
    expect(panel).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: 'Conversion debugger details' })).toBeNull();
    expect(toggle).toHaveFocus();
  });

  it('opens from the keyboard alone', async () => {
    renderWithTracker(<ConversionDebugger />);
    const user = userEvent.setup();
    await user.tab();
    expect(screen.getByRole('button', { name: /Conversions/ })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('group', { name: 'Conversion debugger details' })).toHaveFocus();
  });

  it('starts open with defaultOpen without taking focus from the page', () => {
    renderWithTracker(<ConversionDebugger defaultOpen />);
    expect(screen.getByRole('group', { name: 'Conversion debugger details' })).toBeVisible();
    expect(document.body).toHaveFocus();
  });

  it('lists a sent conversion with its value in words and what each destination did', () => {
    const { tracker } = renderWithTracker(<ConversionDebugger defaultOpen />);
    act(() => void tracker.track('purchase_completed', order));
    const entry = decisions().getAllByRole('listitem')[0]!;
    expect(entry).toHaveTextContent('Sent');
    expect(entry).toHaveTextContent('purchase_completed · 135.00 EUR · order_id A-1001');
    expect(within(entry).getByRole('list', { name: 'Destinations' })).toHaveTextContent('Delivered to test-recorder');
  });

  it('shows a rejected payload with each failing field and the reason', () => {
    const { tracker } = renderWithTracker(<ConversionDebugger defaultOpen />);
    act(() => void tracker.track('purchase_completed', { order_id: 'A-2', value: '129.00' as never, currency: 'euro' }));
    const entry = decisions().getAllByRole('listitem')[0]!;
    expect(entry).toHaveTextContent('Rejected');
    const why = within(entry).getByRole('list', { name: 'Why' });
    expect(within(why).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^value: .*number/i),
      'currency: expected an ISO 4217 code such as EUR',
    ]);
  });

  it('shows a second confirmation of the same order as a duplicate that counts once', () => {
    const { tracker } = renderWithTracker(<ConversionDebugger defaultOpen />);
    act(() => {
      tracker.track('purchase_completed', order);
      tracker.track('purchase_completed', order);
    });
    const [, second] = decisions().getAllByRole('listitem').filter((li) => li.parentElement?.tagName === 'OL');
    expect(second).toHaveTextContent('Duplicate, not sent again');
    expect(second).toHaveTextContent('A-1001 was already sent; it counts once.');
    const row = screen.getByRole('row', { name: /purchase_completed/ });
    expect(within(row).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['1', '1']);
    expect(screen.getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Event', 'Counted', 'Duplicates']);
  });

  it('shows an event held for consent, then dropped when the visitor declines', () => {
    const tracker = demoTracker({ consent: { analytics: 'pending', ads: 'pending' } });
    renderWithTracker(<ConversionDebugger defaultOpen />, { tracker });
    act(() => void tracker.track('newsletter_signup', { form_id: 'footer' }));
    const entry = decisions().getAllByRole('listitem')[0]!;
    expect(entry).toHaveTextContent('Held for consent');
    expect(entry).toHaveTextContent("Waits for the visitor's consent before going to test-recorder.");
    expect(screen.getByText('Analytics').nextElementSibling).toHaveTextContent('Not decided yet');

    act(() => tracker.setConsent({ analytics: 'denied', ads: 'denied' }));
    expect(entry).toHaveTextContent('Not sent to test-recorder: the visitor declined consent');
    expect(screen.getByText('Analytics').nextElementSibling).toHaveTextContent('Denied');
  });

  it('counts an event held for consent only once it is released, and a dropped one never', () => {
    const tracker = demoTracker({ consent: { analytics: 'pending', ads: 'pending' } });
    renderWithTracker(<ConversionDebugger defaultOpen />, { tracker });
    const cells = () => within(screen.getByRole('row', { name: /newsletter_signup/ })).getAllByRole('cell').map((cell) => cell.textContent);
    act(() => void tracker.track('newsletter_signup', { form_id: 'footer' }));
    expect(cells()).toEqual(['0', '1']); // Counted, Held
    expect(screen.getByRole('button', { name: 'Conversions (0)' })).toBeInTheDocument();

    act(() => tracker.setConsent({ analytics: 'denied', ads: 'denied' }));
    expect(screen.getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Event', 'Counted', 'Dropped']);
    expect(cells()).toEqual(['0', '1']);
    expect(screen.getByRole('button', { name: 'Conversions (0)' })).toBeInTheDocument();
  });

  it('counts on its button the conversions counted, not supporting events or rejected calls', () => {
    const { tracker } = renderWithTracker(<ConversionDebugger />);
    act(() => {
      tracker.track('form_started', { form_id: 'demo-request' });
      tracker.track('purchase_completed', { ...order, value: '135' as never });
      tracker.track('purchase_completed', order);
      tracker.track('purchase_completed', order);
    });
    expect(screen.getByRole('button', { name: 'Conversions (1)' })).toBeInTheDocument();
  });

  describe('counts over the page lifetime, however few records are kept', () => {
    // Ten destinations: 11 records per conversion, so the 200 kept records hold only the last 18.
    const tenDestinations = () =>
      demoTracker({ destinations: Array.from({ length: 9 }, (_, n) => ({ name: `platform-${n}`, send: () => {} })) });
    // The panel stays closed (its table is rendered, hidden): an open list of 200 decisions is slow to query.
    const cells = () =>
      within(screen.getByRole('row', { name: /purchase_completed/, hidden: true })).getAllByRole('cell', { hidden: true }).map((cell) => cell.textContent);

    it('counts every conversion, one render at a time', () => {
      const tracker = tenDestinations();
      renderWithTracker(<ConversionDebugger />, { tracker, strict: false });
      for (let n = 1; n <= 25; n += 1) act(() => void tracker.track('purchase_completed', { ...order, order_id: `A-${n}` }));
      expect(screen.getByRole('button', { name: 'Conversions (25)' })).toBeInTheDocument();
      expect(cells()).toEqual(['25']);
    }, 20_000); // 25 renders of a debugger with 200 records: slow on a loaded machine

    it('counts a burst of conversions tracked between two renders', () => {
      const tracker = tenDestinations();
      renderWithTracker(<ConversionDebugger />, { tracker });
      act(() => {
        for (let n = 1; n <= 40; n += 1) tracker.track('purchase_completed', { ...order, order_id: `B-${n}` });
        tracker.track('purchase_completed', { ...order, order_id: 'B-1' });
      });
      expect(screen.getByRole('button', { name: 'Conversions (40)' })).toBeInTheDocument();
      expect(cells()).toEqual(['40', '1']);
    });

    it('starts its counts from what was tracked before it mounted', () => {
      const tracker = tenDestinations();
      tracker.track('purchase_completed', order);
      renderWithTracker(<ConversionDebugger />, { tracker });
      act(() => void tracker.track('purchase_completed', { ...order, order_id: 'A-2' }));
      expect(screen.getByRole('button', { name: 'Conversions (2)' })).toBeInTheDocument();
    });
  });

  it('shows a destination failure with its message', () => {
    const tracker = demoTracker({
      destinations: [{ name: 'crm', send: () => Promise.reject(new Error('CRM answered 503')) }],
    });
    renderWithTracker(<ConversionDebugger defaultOpen />, { tracker });
    act(() => void tracker.track('lead_submitted', { form_id: 'demo-request' }));
    return vi.waitFor(() =>
      expect(decisions().getByRole('list', { name: 'Destinations' })).toHaveTextContent(
        'Failed at crm: lead_submitted could not be sent to crm: CRM answered 503',
      ),
    );
  });

  it('shows the first and last touch of the campaign in words', () => {
    const tracker = demoTracker({
      campaign: { url: 'https://www.example.com/landing?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=Abc123' },
    });
    renderWithTracker(<ConversionDebugger defaultOpen />, { tracker });
    expect(screen.getByText('First touch').nextElementSibling).toHaveTextContent(
      'google / cpc · campaign spring · gclid Abc123 · landed on www.example.com/landing',
    );
    expect(screen.getByText('Last touch').nextElementSibling).toHaveTextContent('Same as the first touch');
    act(() => tracker.captureCampaign('https://www.example.com/?utm_source=newsletter&utm_medium=email'));
    expect(screen.getByText('Last touch').nextElementSibling).toHaveTextContent('newsletter / email');
  });

  it('shows what was tracked before it mounted', () => {
    const tracker = demoTracker();
    tracker.track('cta_clicked', { cta_id: 'hero' });
    renderWithTracker(<ConversionDebugger defaultOpen />, { tracker });
    expect(decisions().getAllByRole('listitem')[0]).toHaveTextContent('cta_clicked · cta_id hero');
  });

  it('clears the list and the counts, then shows only what comes next', async () => {
    const { tracker } = renderWithTracker(<ConversionDebugger defaultOpen />);
    act(() => void tracker.track('newsletter_signup', { form_id: 'header' }));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Clear the list' }));
    expect(decisions().queryAllByRole('listitem')).toHaveLength(0);
    expect(screen.getByText('No event yet.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Conversions (0)' })).toBeInTheDocument();
    act(() => void tracker.track('newsletter_signup', { form_id: 'footer' }));
    expect(decisions().getAllByRole('listitem')).toHaveLength(2); // the decision and its destination
    expect(screen.getByRole('button', { name: 'Conversions (1)' })).toBeInTheDocument();
  });

  it('never re-renders components that use the other hooks', () => {
    const tracker = demoTracker();
    let renders = 0;
    function Cta() {
      useConversion('cta_clicked');
      useCampaign();
      return <p>cta</p>;
    }
    render(
      <ConversionProvider tracker={tracker}>
        <Profiler id="cta" onRender={() => (renders += 1)}>
          <Cta />
        </Profiler>
        <ConversionDebugger defaultOpen />
      </ConversionProvider>,
    );
    act(() => {
      tracker.track('cta_clicked', { cta_id: 'hero' });
      tracker.track('purchase_completed', order);
    });
    expect(screen.getByRole('button', { name: 'Conversions (1)' })).toBeInTheDocument();
    expect(renders).toBe(1);
  });

  it('adds no stylesheet and no class names to the page', () => {
    const before = document.head.innerHTML;
    const { tracker, container } = renderWithTracker(<ConversionDebugger defaultOpen />);
    act(() => void tracker.track('purchase_completed', order));
    expect(document.head.innerHTML).toBe(before);
    expect(container.querySelectorAll('style, link, [class]')).toHaveLength(0);
  });

  it('renders on the server with no records, so hydration matches', () => {
    const tracker = demoTracker();
    tracker.track('cta_clicked', { cta_id: 'hero' });
    const html = renderToString(
      <ConversionProvider tracker={tracker}>
        <ConversionDebugger />
      </ConversionProvider>,
    );
    expect(html).toContain('Conversions (<!-- -->0<!-- -->)');
  });

  it('hydrates without a mismatch when the tracker starts with a stored consent choice', async () => {
    // The server cannot know the visitor's choice; the browser's tracker starts with it (from a cookie).
    const serverHtml = renderToString(
      <ConversionProvider tracker={demoTracker({ consent: { analytics: 'pending', ads: 'pending' } })}>
        <ConversionDebugger defaultOpen />
      </ConversionProvider>,
    );
    const container = document.createElement('div');
    container.innerHTML = serverHtml;
    document.body.append(container);
    const browserTracker = demoTracker({ consent: { analytics: 'granted', ads: 'denied' } });
    browserTracker.track('cta_clicked', { cta_id: 'hero' });
    const onRecoverableError = vi.fn();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const root = await act(async () =>
      hydrateRoot(
        container,
        <ConversionProvider tracker={browserTracker}>
          <ConversionDebugger defaultOpen />
        </ConversionProvider>,
        { onRecoverableError },
      ),
    );
    error.mockRestore();
    expect(onRecoverableError).not.toHaveBeenCalled();
    // After hydration the real state shows.
    expect(within(container).getByRole('group', { name: 'Conversion debugger details' })).toHaveTextContent('Granted');
    act(() => root.unmount());
    container.remove();
  });

  it('names itself when used outside the provider', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<ConversionDebugger />)).toThrow(
      '[conversion-kit] ConversionDebugger must be used inside <ConversionProvider>',
    );
    error.mockRestore();
  });
});

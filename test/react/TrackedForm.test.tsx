import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createPortal } from 'react-dom';
import { describe, expect, it, vi } from 'vitest';
import { ResponseError, TrackedForm } from 'conversion-kit';
import { deferred, renderWithTracker } from './helpers';

function DemoForm(props: {
  onSubmit: (data: FormData) => unknown;
  submitLabel?: string;
  emailLabel?: string;
  onFailure?: (error: unknown) => void;
}) {
  return (
    <TrackedForm
      conversion="lead_submitted"
      formId="demo-request"
      startEvent="form_started"
      aria-label="Demo request"
      className="hero-form"
      onSubmit={props.onSubmit}
      payload={(_result, data) => ({ form_id: 'demo-request', plan: data.get('plan') as 'team' })}
      onFailure={props.onFailure}
    >
      {({ state, error }) => (
        <>
          <label>
            {props.emailLabel ?? 'Work email'}
            <input name="email" type="email" required />
          </label>
          <input type="hidden" name="plan" value="team" />
          <button type="submit">{props.submitLabel ?? 'Request a demo'}</button>
          {state === 'error' && <p role="alert">Could not send: {error instanceof Error ? error.message : 'unknown'}</p>}
          {state === 'success' && <p role="status">Thanks, we will be in touch</p>}
        </>
      )}
    </TrackedForm>
  );
}

async function fillAndSubmit(user = userEvent.setup(), label = 'Work email', button = 'Request a demo') {
  await user.type(screen.getByLabelText(label), 'ada@example.com');
  await user.click(screen.getByRole('button', { name: button }));
  return user;
}

describe('TrackedForm', () => {
  it('fires the conversion once the submission succeeds, with the payload built from the result', async () => {
    const onSubmit = vi.fn(async (data: FormData) => ({ leadId: `lead-for-${String(data.get('email'))}` }));
    const { tracker } = renderWithTracker(<DemoForm onSubmit={onSubmit} />);
    await fillAndSubmit();
    await screen.findByRole('status');
    expect(onSubmit).toHaveBeenCalledOnce();
    expect(onSubmit.mock.calls[0]![0].get('email')).toBe('ada@example.com');
    expect(tracker.conversions('lead_submitted').map((e) => e.payload)).toEqual([{ form_id: 'demo-request', plan: 'team' }]);
  });

  it('fires nothing while the request is pending, only when it succeeds', async () => {
    const request = deferred<{ ok: true }>();
    const { tracker } = renderWithTracker(<DemoForm onSubmit={() => request.promise} />);
    await fillAndSubmit();
    const form = screen.getByRole('form', { name: 'Demo request' });
    expect(form).toHaveAttribute('data-state', 'submitting');
    expect(form).toHaveAttribute('aria-busy', 'true');
    expect(tracker.conversions()).toHaveLength(0);
    await act(async () => request.resolve({ ok: true }));
    expect(form).toHaveAttribute('data-state', 'success');
    expect(tracker.conversions()).toHaveLength(1);
  });

  it('fires nothing when the server rejects, and shows the error', async () => {
    const onFailure = vi.fn();
    const { tracker } = renderWithTracker(
      <DemoForm onSubmit={async () => new Response('{"error":"invalid email"}', { status: 422 })} onFailure={onFailure} />,
    );
    await fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not send: The server answered 422');
    expect(screen.getByRole('form', { name: 'Demo request' })).toHaveAttribute('data-state', 'error');
    expect(onFailure.mock.calls[0]![0]).toBeInstanceOf(ResponseError);
    expect(tracker.conversions()).toHaveLength(0);
  });

  it('counts one conversion when a retry succeeds after a network failure', async () => {
    let attempts = 0;
    const onSubmit = async () => {
      attempts += 1;
      if (attempts === 1) throw new TypeError('Failed to fetch');
      return { ok: true };
    };
    const { tracker } = renderWithTracker(<DemoForm onSubmit={onSubmit} />);
    const user = await fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('Failed to fetch');
    expect(tracker.conversions()).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Request a demo' }));
    await screen.findByRole('status');
    expect(attempts).toBe(2);
    expect(tracker.conversions('lead_submitted')).toHaveLength(1);
  });

  it('sends one request and one conversion for a double click while pending', async () => {
    const request = deferred<{ ok: true }>();
    const onSubmit = vi.fn(() => request.promise);
    const { tracker } = renderWithTracker(<DemoForm onSubmit={onSubmit} />);
    const user = await fillAndSubmit();
    await user.dblClick(screen.getByRole('button', { name: 'Request a demo' }));
    await act(async () => request.resolve({ ok: true }));
    expect(onSubmit).toHaveBeenCalledOnce();
    expect(tracker.conversions()).toHaveLength(1);
  });

  it('does not submit when the browser blocks an invalid form, and fires nothing', async () => {
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    const { tracker } = renderWithTracker(<DemoForm onSubmit={onSubmit} />);
    await user.click(screen.getByRole('button', { name: 'Request a demo' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(tracker.conversions()).toHaveLength(0);
  });

  it('fires the start event once, on the first interaction', async () => {
    const { tracker } = renderWithTracker(<DemoForm onSubmit={async () => ({})} />);
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Work email'));
    await user.type(screen.getByLabelText('Work email'), 'ada');
    await user.tab();
    await user.click(screen.getByLabelText('Work email'));
    expect(tracker.sent.filter((e) => e.event === 'form_started').map((e) => e.payload)).toEqual([{ form_id: 'demo-request' }]);
  });

  it('shows stable data attributes and passes other form props through', () => {
    renderWithTracker(<DemoForm onSubmit={async () => ({})} />);
    const form = screen.getByRole('form', { name: 'Demo request' });
    expect(form).toHaveAttribute('data-conversion', 'lead_submitted');
    expect(form).toHaveAttribute('data-track-form', 'demo-request');
    expect(form).toHaveAttribute('data-state', 'idle');
    expect(form).toHaveClass('hero-form');
  });

  it('still fires after a copy change: triggers use data attributes, not labels or classes', async () => {
    const { tracker } = renderWithTracker(
      <DemoForm onSubmit={async () => ({})} emailLabel="Your business e-mail" submitLabel="Talk to sales" />,
    );
    await fillAndSubmit(userEvent.setup(), 'Your business e-mail', 'Talk to sales');
    await waitFor(() => expect(tracker.conversions('lead_submitted')).toHaveLength(1));
    expect(document.querySelector('[data-track-form="demo-request"]')).toBe(screen.getByRole('form'));
  });

  it('keeps the submit successful when the payload mapper throws, and records why nothing fired', async () => {
    const onError = vi.fn();
    const { tracker } = renderWithTracker(
      <TrackedForm
        conversion="lead_submitted"
        formId="demo"
        onSubmit={async () => ({})}
        payload={() => {
          throw new Error('result.lead is undefined');
        }}
      >
        {({ state }) => <button data-state-shown={state}>Send</button>}
      </TrackedForm>,
      { tracker: (await import('./helpers')).demoTracker({ onError }) },
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(screen.getByRole('button')).toHaveAttribute('data-state-shown', 'success'));
    expect(tracker.conversions()).toHaveLength(0);
    expect(tracker.rejected[0]!.error.message).toMatch(/lead_submitted was not sent: lead_submitted: building the payload threw Error: result.lead is undefined/);
    expect(onError).toHaveBeenCalledOnce();
  });

  it('reports an invalid payload by field without breaking the form', async () => {
    const { tracker } = renderWithTracker(
      <TrackedForm conversion="lead_submitted" formId="" onSubmit={async () => ({})}>
        {({ state }) => <button>{state === 'success' ? 'Sent' : 'Send'}</button>}
      </TrackedForm>,
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('button', { name: 'Sent' });
    expect(tracker.rejected[0]!.error.message).toMatch(/lead_submitted\.form_id: /);
  });
  describe('a form rendered through a portal inside it (a modal, a coupon dialog)', () => {
    function LeadWithCouponDialog(props: { onLead: (data: FormData) => unknown; onCoupon: (data: FormData) => void }) {
      return (
        <TrackedForm conversion="lead_submitted" formId="demo-request" aria-label="Demo request" onSubmit={props.onLead}>
          <input name="email" aria-label="Work email" defaultValue="ada@example.com" />
          <button type="submit">Request a demo</button>
          {createPortal(
            <form
              aria-label="Coupon"
              onSubmit={(event) => {
                event.preventDefault();
                props.onCoupon(new FormData(event.currentTarget));
              }}
            >
              <input name="coupon" aria-label="Coupon code" defaultValue="SPRING" />
              <button type="submit" name="action" value="apply">Apply coupon</button>
            </form>,
            document.body,
          )}
        </TrackedForm>
      );
    }

    it('does not submit the lead or count a conversion when the inner form is submitted', async () => {
      const onLead = vi.fn(async () => ({}));
      const onCoupon = vi.fn();
      const uncaught = vi.fn();
      window.addEventListener('error', uncaught);
      const { tracker } = renderWithTracker(<LeadWithCouponDialog onLead={onLead} onCoupon={onCoupon} />);
      await userEvent.setup().click(screen.getByRole('button', { name: 'Apply coupon' }));
      window.removeEventListener('error', uncaught);
      expect(onCoupon).toHaveBeenCalledOnce();
      expect(onCoupon.mock.calls[0]![0].get('coupon')).toBe('SPRING');
      expect(onLead).not.toHaveBeenCalled();
      expect(uncaught).not.toHaveBeenCalled();
      expect(screen.getByRole('form', { name: 'Demo request' })).toHaveAttribute('data-state', 'idle');
      expect(tracker.conversions()).toHaveLength(0);
    });

    it('does not count the lead for an inner form submitted without a button (Enter, requestSubmit)', async () => {
      const onLead = vi.fn(async () => ({}));
      const { tracker } = renderWithTracker(
        <TrackedForm conversion="lead_submitted" formId="demo-request" onSubmit={onLead}>
          {createPortal(
            <form aria-label="Newsletter" onSubmit={(event) => event.preventDefault()}>
              <input name="email" aria-label="Newsletter email" />
            </form>,
            document.body,
          )}
        </TrackedForm>,
      );
      await act(async () => (screen.getByRole('form', { name: 'Newsletter' }) as HTMLFormElement).requestSubmit());
      expect(onLead).not.toHaveBeenCalled();
      expect(tracker.conversions()).toHaveLength(0);
    });

    it('still submits the lead from its own button', async () => {
      const onLead = vi.fn(async () => ({}));
      const { tracker } = renderWithTracker(<LeadWithCouponDialog onLead={onLead} onCoupon={() => {}} />);
      await userEvent.setup().click(screen.getByRole('button', { name: 'Request a demo' }));
      await waitFor(() => expect(tracker.conversions('lead_submitted')).toHaveLength(1));
      expect(onLead).toHaveBeenCalledOnce();
    });
  });
  it('stays idle after reset() while a submission is pending, still counts the lead it confirms, and accepts a new submit', async () => {
    const first = deferred<{ ok: true }>();
    const onSubmit = vi.fn().mockReturnValueOnce(first.promise).mockResolvedValueOnce({ ok: true });
    const onSuccess = vi.fn();
    const { tracker } = renderWithTracker(
      <TrackedForm conversion="lead_submitted" formId="demo" aria-label="Demo" onSubmit={onSubmit} onSuccess={onSuccess}>
        {({ reset }) => (
          <>
            <button type="submit">Send</button>
            <button type="button" onClick={reset}>Start over</button>
          </>
        )}
      </TrackedForm>,
    );
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'Demo' });
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(form).toHaveAttribute('data-state', 'submitting');
    await user.click(screen.getByRole('button', { name: 'Start over' }));
    expect(form).toHaveAttribute('data-state', 'idle');
    await act(async () => first.resolve({ ok: true }));
    expect(form).toHaveAttribute('data-state', 'idle'); // the abandoned attempt no longer drives the form
    expect(onSuccess).not.toHaveBeenCalled();
    expect(tracker.conversions('lead_submitted')).toHaveLength(1); // the lead it created is real
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(form).toHaveAttribute('data-state', 'success'));
    expect(onSubmit).toHaveBeenCalledTimes(2);
    expect(onSuccess).toHaveBeenCalledOnce();
  });

  it('lets a new submit start right after reset() while the first one is still pending', async () => {
    const first = deferred<{ ok: true }>();
    const onSubmit = vi.fn().mockReturnValueOnce(first.promise).mockResolvedValueOnce({ ok: true });
    renderWithTracker(
      <TrackedForm conversion="lead_submitted" formId="demo" aria-label="Demo" onSubmit={onSubmit}>
        {({ reset }) => (
          <>
            <button type="submit">Send</button>
            <button type="button" onClick={reset}>Start over</button>
          </>
        )}
      </TrackedForm>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await user.click(screen.getByRole('button', { name: 'Start over' }));
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(screen.getByRole('form', { name: 'Demo' })).toHaveAttribute('data-state', 'success'));
    expect(onSubmit).toHaveBeenCalledTimes(2);
    await act(async () => first.resolve({ ok: true }));
  });
});

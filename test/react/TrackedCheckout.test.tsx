import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { TrackedCheckout } from 'conversion-kit';
import { deferred, renderWithTracker } from './helpers';

interface ConfirmedOrder {
  order_id: string;
  value: number;
  currency: string;
}

function Checkout({ onConfirm, cartTotal = 150 }: { onConfirm: () => Promise<ConfirmedOrder>; cartTotal?: number }) {
  return (
    <TrackedCheckout conversion="purchase_completed" onConfirm={onConfirm} aria-label="Checkout">
      {({ checkout, state, error, result }) => (
        <>
          <p>Cart total: {cartTotal} EUR</p>
          <button onClick={checkout}>Pay now</button>
          {state === 'error' && <p role="alert">Payment declined: {String((error as Error).message)}</p>}
          {state === 'success' && <p role="status">Order {result?.order_id} confirmed</p>}
        </>
      )}
    </TrackedCheckout>
  );
}

describe('TrackedCheckout', () => {
  it('fires the purchase with the value, currency and id of the confirmed order, not the cart', async () => {
    // The cart said 150 EUR; the payment provider confirmed 135 EUR after a discount.
    const confirmed = { order_id: 'A-1001', value: 135, currency: 'EUR' };
    const { tracker } = renderWithTracker(<Checkout cartTotal={150} onConfirm={async () => confirmed} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Pay now' }));
    await screen.findByRole('status');
    expect(tracker.conversions('purchase_completed')).toEqual([
      expect.objectContaining({ payload: confirmed, dedupeKey: 'A-1001' }),
    ]);
  });

  it('sends the proof the backend signed with the confirmed order, for a collector that requires it', async () => {
    const confirmed = { order_id: 'A-1001', value: 135, currency: 'EUR', proof: 'v1.signed-by-the-backend' };
    const { tracker } = renderWithTracker(
      <TrackedCheckout conversion="purchase_completed" onConfirm={async () => confirmed} payload={({ proof: _, ...order }) => order} proof={(order) => order.proof}>
        {({ checkout, state }) => <button onClick={checkout}>{state === 'success' ? 'Paid' : 'Pay now'}</button>}
      </TrackedCheckout>,
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Pay now' }));
    await screen.findByRole('button', { name: 'Paid' });
    expect(tracker.conversions('purchase_completed')).toEqual([
      expect.objectContaining({ payload: { order_id: 'A-1001', value: 135, currency: 'EUR' }, proof: 'v1.signed-by-the-backend' }),
    ]);
  });

  it('fires nothing when the payment is declined', async () => {
    const { tracker } = renderWithTracker(<Checkout onConfirm={() => Promise.reject(new Error('card_declined'))} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Pay now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('card_declined');
    expect(screen.getByLabelText('Checkout')).toHaveAttribute('data-state', 'error');
    expect(tracker.conversions()).toHaveLength(0);
  });

  it('confirms once for a double click while the payment is pending', async () => {
    const payment = deferred<ConfirmedOrder>();
    const onConfirm = vi.fn(() => payment.promise);
    const { tracker } = renderWithTracker(<Checkout onConfirm={onConfirm} />);
    const user = userEvent.setup();
    await user.dblClick(screen.getByRole('button', { name: 'Pay now' }));
    expect(screen.getByLabelText('Checkout')).toHaveAttribute('data-state', 'submitting');
    await act(async () => payment.resolve({ order_id: 'A-1', value: 10, currency: 'EUR' }));
    expect(onConfirm).toHaveBeenCalledOnce();
    expect(tracker.conversions()).toHaveLength(1);
  });

  it('counts the same order confirmed twice once, the second as a duplicate', async () => {
    const { tracker } = renderWithTracker(<Checkout onConfirm={async () => ({ order_id: 'A-7', value: 10, currency: 'EUR' })} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Pay now' }));
    await screen.findByRole('status');
    await user.click(screen.getByRole('button', { name: 'Pay now' }));
    await vi.waitFor(() => expect(tracker.duplicates).toHaveLength(1));
    expect(tracker.conversions('purchase_completed')).toHaveLength(1);
  });

  it('maps the confirmed order with payload and shows data attributes', async () => {
    const { tracker } = renderWithTracker(
      <TrackedCheckout
        conversion="purchase_completed"
        data-testid="checkout"
        onConfirm={async () => ({ id: 'B-2', amountCents: 4990, currency: 'usd' })}
        payload={(order) => ({ order_id: order.id, value: order.amountCents / 100, currency: order.currency.toUpperCase() })}
      >
        {({ checkout }) => <button onClick={checkout}>Pay</button>}
      </TrackedCheckout>,
    );
    const wrapper = screen.getByTestId('checkout');
    expect(wrapper).toHaveAttribute('data-conversion', 'purchase_completed');
    expect(wrapper).toHaveAttribute('data-track-checkout');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Pay' }));
    await vi.waitFor(() => expect(tracker.conversions()).toHaveLength(1));
    expect(tracker.conversions()[0]!.payload).toEqual({ order_id: 'B-2', value: 49.9, currency: 'USD' });
  });
});

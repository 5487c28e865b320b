// The README's quick start, as is.
import { ConversionProvider, TrackedCheckout, TrackedForm } from 'conversion-kit';
import { tracker } from './tracking';

type Order = { order_id: string; value: number; currency: string };

// Your payment call: resolves to the confirmed order, rejects when the payment is declined.
async function pay(cartId: string): Promise<Order> {
  const response = await fetch(`/api/carts/${cartId}/pay`, { method: 'POST' });
  if (!response.ok) throw new Error(`payment declined (${response.status})`);
  return (await response.json()) as Order;
}

export function App({ cartId }: { cartId: string }) {
  return (
    <ConversionProvider tracker={tracker}>
      <TrackedForm
        conversion="lead_submitted"
        formId="demo-request"
        onSubmit={(data) => fetch('/api/leads', { method: 'POST', body: data })}
      >
        <input name="email" type="email" required aria-label="Work email" />
        <button>Request a demo</button>
      </TrackedForm>

      <TrackedCheckout conversion="purchase_completed" onConfirm={() => pay(cartId)}>
        {({ checkout, state }) => (
          <button onClick={checkout} disabled={state === 'submitting'}>Pay</button>
        )}
      </TrackedCheckout>
    </ConversionProvider>
  );
}

import { useRef, useState, type ReactNode } from 'react';
import { TrackedCheckout, useTracker, type SubmitState } from 'conversion-kit';
import { ApiError, type ProviderOrder } from './backend';

export interface CheckoutProps {
  /** Charges the card; resolves to the order the payment provider confirmed. */
  pay: (card: string) => Promise<ProviderOrder>;
  /**
   * Where the purchase is reported. `'here'` (default): on this page, when the provider confirms
   * (`<TrackedCheckout>`). `'thank-you-page'`: handed off (`tracker.handoff`) to the page the visitor
   * is sent to next, which reports it with `<ConversionOnView>`.
   */
  report?: 'here' | 'thank-you-page';
  /** Called with the confirmed order, e.g. to go to the thank-you page. */
  onConfirmed?: (order: ProviderOrder) => void;
}

const CART = { item: 'Team plan, 12 months', total: 150, currency: 'EUR' };

/** The purchase as the contract wants it, from the provider's confirmed order (never the cart). */
const toPurchase = (order: ProviderOrder) => ({
  order_id: order.id,
  value: order.total,
  currency: order.currency,
  coupon: order.coupon,
});

const money = (amount: number, currency: string) => `${Number(amount).toFixed(2)} ${currency}`;

function declineText(error: unknown): string {
  return error instanceof ApiError ? `Payment declined: ${error.message} No money was taken.` : 'We could not reach the payment provider. Please try again.';
}

interface PaymentStepProps {
  state: SubmitState;
  error: unknown;
  order: ProviderOrder | undefined;
  card: string;
  onCard: (card: string) => void;
  onPay: () => void;
}

function PaymentStep({ state, error, order, card, onCard, onPay }: PaymentStepProps) {
  return (
    <form
      aria-label="Payment"
      onSubmit={(event) => {
        event.preventDefault();
        onPay();
      }}
    >
      <label className="demo-field">
        Card number
        <input name="card" inputMode="numeric" autoComplete="cc-number" value={card} onChange={(event) => onCard(event.target.value)} />
      </label>
      <button type="submit" className="demo-button">Pay now</button>
      <p role="status" className="demo-status">
        {state === 'submitting' && 'Confirming your payment…'}
        {state === 'success' && order && `Payment confirmed: order ${order.id}, ${money(order.total, order.currency)} charged.`}
      </p>
      {state === 'error' && <p role="alert" className="demo-alert">{declineText(error)}</p>}
    </form>
  );
}

/** Payment that hands the purchase off to the thank-you page instead of reporting it here. */
interface HandoffPaymentProps {
  pay: () => Promise<ProviderOrder>;
  onConfirmed?: (order: ProviderOrder) => void;
  children: (step: Omit<PaymentStepProps, 'card' | 'onCard'>) => ReactNode;
}

function HandoffPayment({ pay, onConfirmed, children }: HandoffPaymentProps) {
  const tracker = useTracker();
  const [step, setStep] = useState<{ state: SubmitState; error?: unknown; order?: ProviderOrder }>({ state: 'idle' });
  const pending = useRef(false);
  const onPay = async () => {
    if (pending.current) return;
    pending.current = true;
    setStep({ state: 'submitting' });
    try {
      const order = await pay();
      tracker.handoff('purchase_completed', toPurchase(order));
      setStep({ state: 'success', order });
      onConfirmed?.(order);
    } catch (error) {
      setStep({ state: 'error', error });
    } finally {
      pending.current = false;
    }
  };
  return children({ state: step.state, error: step.error, order: step.order, onPay });
}

/**
 * A two-step checkout: the cart, then the payment. `purchase_completed` carries the value the
 * payment provider confirmed (135 EUR after the coupon), not the cart's 150 EUR; a declined card
 * fires nothing; the same order confirmed twice counts once (deduplicated by `order_id`).
 */
export function Checkout({ pay, report = 'here', onConfirmed }: CheckoutProps) {
  const [step, setStep] = useState<'cart' | 'payment'>('cart');
  const [card, setCard] = useState('4242 4242 4242 4242');

  if (step === 'cart') {
    return (
      <section className="demo-card" aria-labelledby="cart-heading">
        <h1 id="cart-heading">Your cart</h1>
        <p>
          {CART.item}: {money(CART.total, CART.currency)}
        </p>
        <button type="button" className="demo-button" onClick={() => setStep('payment')}>
          Continue to payment
        </button>
      </section>
    );
  }

  const heading = <h1 id="payment-heading">Payment</h1>;
  if (report === 'thank-you-page') {
    return (
      <section className="demo-card" aria-labelledby="payment-heading">
        {heading}
        <HandoffPayment pay={() => pay(card)} onConfirmed={onConfirmed}>
          {(props) => <PaymentStep {...props} card={card} onCard={setCard} />}
        </HandoffPayment>
      </section>
    );
  }
  return (
    <TrackedCheckout
      conversion="purchase_completed"
      className="demo-card"
      role="region"
      aria-labelledby="payment-heading"
      onConfirm={() => pay(card)}
      payload={toPurchase}
      onSuccess={onConfirmed}
    >
      {({ checkout, state, error, result }) => (
        <>
          {heading}
          <PaymentStep state={state} error={error} order={result} card={card} onCard={setCard} onPay={checkout} />
        </>
      )}
    </TrackedCheckout>
  );
}

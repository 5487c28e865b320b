import { useRef, useState } from 'react';
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
  error?: unknown;
  order?: ProviderOrder;
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

/**
 * The payment step of a checkout that redirects to a thank-you page: on confirmation it hands the
 * purchase off (`tracker.handoff`) and the thank-you page reports it with `<ConversionOnView>`.
 *
 * Why not `<TrackedCheckout>` with the handoff in `onSuccess`: it would also report the purchase
 * here, and the thank-you page's report would then be a duplicate. The kit's part is the one
 * `handoff` call; the rest is the payment form's own state (pending, declined, confirmed) that any
 * checkout keeps, including the guard against paying twice on a double click.
 */
interface HandoffPaymentStepProps extends Pick<PaymentStepProps, 'card' | 'onCard'>, Pick<CheckoutProps, 'pay' | 'onConfirmed'> {}

function HandoffPaymentStep({ pay, card, onCard, onConfirmed }: HandoffPaymentStepProps) {
  const tracker = useTracker();
  const [payment, setPayment] = useState<{ state: SubmitState; error?: unknown; order?: ProviderOrder }>({ state: 'idle' });
  const paying = useRef(false);
  const onPay = async () => {
    if (paying.current) return;
    paying.current = true;
    setPayment({ state: 'submitting' });
    try {
      const order = await pay(card);
      tracker.handoff('purchase_completed', toPurchase(order));
      setPayment({ state: 'success', order });
      onConfirmed?.(order);
    } catch (error) {
      setPayment({ state: 'error', error });
    } finally {
      paying.current = false;
    }
  };
  return <PaymentStep {...payment} card={card} onCard={onCard} onPay={onPay} />;
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
        <HandoffPaymentStep pay={pay} card={card} onCard={setCard} onConfirmed={onConfirmed} />
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

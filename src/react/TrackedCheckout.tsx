'use client';

import { forwardRef, useCallback, type HTMLAttributes, type ReactElement, type ReactNode, type Ref } from 'react';
import type { PayloadInput } from '../core/contract';
import type { RegisteredContract, RegisteredEvent } from './register';
import { useTrackedSubmission, type SubmissionRenderProps } from './useTrackedSubmission';

/** What the `children` function of {@link TrackedCheckout} receives. */
export interface CheckoutRenderProps<Order> extends SubmissionRenderProps<Order> {
  /**
   * Runs `onConfirm`; ignored while a confirmation is pending. Stable. A declined payment does not
   * reject (it is the `error` state); only an `onSuccess` or `onFailure` callback that throws does.
   */
  checkout: () => Promise<void>;
}

/** Props of {@link TrackedCheckout}; other `<div>` props pass through. */
export interface TrackedCheckoutProps<E extends RegisteredEvent, Order>
  extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /**
   * The conversion fired once the order is confirmed.
   *
   * @example
   * conversion="purchase_completed"
   */
  conversion: E;
  /**
   * Confirms the payment and resolves to the confirmed order. A rejection (declined) fires nothing.
   *
   * @example
   * onConfirm={() => api.confirmPayment(paymentIntentId)} // resolves to the confirmed order
   */
  onConfirm: () => Order | Promise<Order>;
  /**
   * Builds the payload from the confirmed order. Default: the order itself.
   *
   * @example
   * payload={(order) => ({ order_id: order.id, value: order.amountCents / 100, currency: order.currency })}
   */
  payload?: (order: Order) => PayloadInput<RegisteredContract, E>;
  /**
   * A dedup key from the order, when the contract's `dedupeBy` field does not give one.
   *
   * @example
   * dedupeKey={(order) => order.id}
   */
  dedupeKey?: (order: Order) => string | number | undefined;
  /**
   * The proof your backend signed for this order (`signConversion` in `conversion-kit/server`),
   * taken from the confirmation: a collector with `proofs` forwards the purchase only with it.
   *
   * @example
   * proof={(order) => order.proof}
   */
  proof?: (order: Order) => string | undefined;
  /**
   * Called after a confirmed order.
   *
   * @example
   * onSuccess={(order) => tracker.handoff('purchase_completed', order)}
   */
  onSuccess?: (order: Order) => void;
  /**
   * Called after a failed confirmation.
   *
   * @example
   * onFailure={() => setMessage('Your card was declined')}
   */
  onFailure?: (error: unknown) => void;
  /** Renders the checkout from its state; `checkout()` starts the confirmation. */
  /**
   * Renders the checkout from its state; `checkout()` starts the confirmation.
   *
   * @example
   * {({ checkout, state }) => <button onClick={checkout} disabled={state === 'submitting'}>Pay</button>}
   */
  children: (props: CheckoutRenderProps<Order>) => ReactNode;
}

const orderAsPayload = <Order,>(order: Order) => order;

function TrackedCheckoutInner<E extends RegisteredEvent, Order>(
  props: TrackedCheckoutProps<E, Order>,
  ref: Ref<HTMLDivElement>,
) {
  const [run, elementProps, renderProps, latest] = useTrackedSubmission<Order, [], TrackedCheckoutProps<E, Order>>('TrackedCheckout', props, orderAsPayload);
  const { onConfirm: _oc, children, ...divProps } = elementProps;
  const checkout = useCallback(() => run(() => latest.current.onConfirm()), [run, latest]);

  return (
    <div {...divProps} ref={ref} data-track-checkout="">
      {children({ ...renderProps, checkout })}
    </div>
  );
}

/**
 * Fires the purchase when the payment is confirmed, with the value, currency and order id of the
 * confirmed order (not the cart), deduped by the contract's `dedupeBy` field. A declined payment fires
 * nothing; a second click while confirming is ignored. Renders a `<div>` with `data-conversion`,
 * `data-track-checkout` and `data-state`.
 *
 * @example
 * <TrackedCheckout conversion="purchase_completed" onConfirm={() => api.pay(cartId)}>
 *   {({ checkout, state }) => (
 *     <button onClick={checkout} disabled={state === 'submitting'}>Pay now</button>
 *   )}
 * </TrackedCheckout>
 */
export const TrackedCheckout = forwardRef(TrackedCheckoutInner) as {
  // With a `payload` mapper the confirmed order may have any shape...
  <E extends RegisteredEvent, Order>(
    props: TrackedCheckoutProps<E, Order> & {
      payload: (order: Order) => PayloadInput<RegisteredContract, E>;
      ref?: Ref<HTMLDivElement>;
    },
  ): ReactElement;
  // ...without one, the order itself is the payload, so it must be one.
  <E extends RegisteredEvent, Order extends PayloadInput<RegisteredContract, E>>(
    props: TrackedCheckoutProps<E, Order> & { ref?: Ref<HTMLDivElement> },
  ): ReactElement;
};

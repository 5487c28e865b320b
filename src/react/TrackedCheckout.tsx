import { forwardRef, useCallback, type HTMLAttributes, type ReactElement, type ReactNode, type Ref } from 'react';
import type { PayloadInput } from '../core/contract';
import type { RegisteredContract, RegisteredEvent } from './register';
import { useLatest } from './useLatest';
import { useTrackedSubmission, type SubmissionRenderProps } from './useTrackedSubmission';

/** What the `children` function of {@link TrackedCheckout} receives. */
export interface CheckoutRenderProps<Order> extends SubmissionRenderProps<Order> {
  /** Runs `onConfirm`; ignored while a confirmation is pending. Never rejects. Stable. */
  checkout: () => Promise<void>;
}

/** Props of {@link TrackedCheckout}; other `<div>` props pass through. */
export interface TrackedCheckoutProps<E extends RegisteredEvent, Order>
  extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /** The conversion fired once the order is confirmed. */
  conversion: E;
  /** Confirms the payment and resolves to the confirmed order. A rejection (declined) fires nothing. */
  onConfirm: () => Order | Promise<Order>;
  /** Builds the payload from the confirmed order. Default: the order itself. */
  payload?: (order: Order) => PayloadInput<RegisteredContract, E>;
  /** A dedup key from the order, when the contract's `dedupeBy` field does not give one. */
  dedupeKey?: (order: Order) => string | number | undefined;
  /** Called after a confirmed order. */
  onSuccess?: (order: Order) => void;
  /** Called after a failed confirmation. */
  onFailure?: (error: unknown) => void;
  children: (props: CheckoutRenderProps<Order>) => ReactNode;
}

const orderAsPayload = <Order,>(order: Order) => order;

function TrackedCheckoutInner<E extends RegisteredEvent, Order>(
  props: TrackedCheckoutProps<E, Order>,
  ref: Ref<HTMLDivElement>,
) {
  const {
    conversion: _c, onConfirm: _oc, payload: _p, dedupeKey: _d, onSuccess: _os, onFailure: _of, children, ...divProps
  } = props;
  const { run, attributes, renderProps } = useTrackedSubmission<Order, []>('TrackedCheckout', props, orderAsPayload);
  const latest = useLatest(props);
  const checkout = useCallback(() => run(() => latest.current.onConfirm()), [run, latest]);

  return (
    <div {...divProps} {...attributes} ref={ref} data-track-checkout="">
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
export const TrackedCheckout = forwardRef(TrackedCheckoutInner) as <E extends RegisteredEvent, Order = unknown>(
  props: TrackedCheckoutProps<E, Order> & { ref?: Ref<HTMLDivElement> },
) => ReactElement;

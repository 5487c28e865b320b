import { forwardRef, useCallback, type HTMLAttributes, type ReactElement, type ReactNode, type Ref } from 'react';
import type { PayloadInput } from '../core/contract';
import { useTrackerFor } from './ConversionProvider';
import type { RegisteredContract, RegisteredEvent } from './register';
import type { SubmissionRenderProps } from './TrackedForm';
import { trackConfirmed } from './trackConfirmed';
import { useLatest } from './useLatest';
import { useSubmission } from './useSubmission';

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

function TrackedCheckoutInner<E extends RegisteredEvent, Order>(
  props: TrackedCheckoutProps<E, Order>,
  ref: Ref<HTMLDivElement>,
) {
  const {
    conversion, onConfirm: _onConfirm, payload: _payload, dedupeKey: _dedupeKey, onSuccess: _onSuccess,
    onFailure: _onFailure, children, ...divProps
  } = props;
  const tracker = useTrackerFor('TrackedCheckout');
  const [snapshot, submission] = useSubmission<Order>();
  const latest = useLatest(props);

  const checkout = useCallback(async () => {
    const final = await submission.run(
      () => latest.current.onConfirm(),
      (order) => {
        const { payload, dedupeKey, conversion: event } = latest.current;
        trackConfirmed(tracker, event, () => [
          payload ? payload(order) : order,
          dedupeKey ? { dedupeKey: dedupeKey(order) } : undefined,
        ]);
      },
    );
    if (final?.state === 'success') latest.current.onSuccess?.(final.result as Order);
    if (final?.state === 'error') latest.current.onFailure?.(final.error);
  }, [submission, tracker, latest]);

  return (
    <div
      {...divProps}
      ref={ref}
      aria-busy={snapshot.state === 'submitting' || undefined}
      data-conversion={conversion}
      data-track-checkout=""
      data-state={snapshot.state}
    >
      {children({ ...snapshot, checkout, reset: submission.reset } as CheckoutRenderProps<Order>)}
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

'use client';


import { useEffect, useRef, type ReactNode } from 'react';
import { definitionOf } from '../core/contract';
import type { PayloadInput } from '../core/contract';
import { warnOnce } from '../core/warn';
import { useTrackerFor } from './ConversionProvider';
import type { RegisteredContract, RegisteredEvent } from './register';
import { useLatest } from './useLatest';

/** Props of {@link ConversionOnView}. */
export interface ConversionOnViewProps<E extends RegisteredEvent> {
  /**
   * The conversion to report.
   *
   * @example
   * conversion="purchase_completed"
   */
  conversion: E;
  /**
   * The confirmed payload, for pages that get the order from the server. While it is `undefined`
   * nothing fires, so it can wait for data to load. A pending `tracker.handoff` of the same event wins.
   *
   * @example
   * payload={order} // from your server; undefined while it loads
   */
  payload?: PayloadInput<RegisteredContract, E> | undefined;
  /**
   * The dedup key, when the contract's `dedupeBy` field does not give one.
   *
   * @example
   * dedupeKey={order.id}
   */
  dedupeKey?: string | number;
  /**
   * A UUID shared with your server, when there is no dedup key.
   *
   * @example
   * eventId={submission.eventId}
   */
  eventId?: string;
  /**
   * Rendered as is: the thank-you content.
   *
   * @example
   * <h1>Thank you for your order</h1>
   */
  children?: ReactNode;
}

/**
 * Reports a conversion once, when the thank-you page mounts: the one handed off before the redirect
 * (`tracker.handoff`), or else an explicit `payload`. A direct visit (no handoff) and a refresh (handoff
 * consumed, dedup key already sent) fire nothing; StrictMode's double effects fire once.
 *
 * @example
 * // checkout page, after the payment is confirmed:
 * tracker.handoff('purchase_completed', order); router.push('/thank-you');
 * // thank-you page:
 * <ConversionOnView conversion="purchase_completed" />
 */
export function ConversionOnView<E extends RegisteredEvent>(props: ConversionOnViewProps<E>): ReactNode {
  const { conversion, payload, children } = props;
  const tracker = useTrackerFor('ConversionOnView');
  const latest = useLatest(props);
  const fired = useRef(false);

  useEffect(() => {
    if (fired.current) return;
    const handedOff = tracker.completeHandoff(conversion) !== null;
    const { payload: confirmed, dedupeKey, eventId } = latest.current;
    fired.current = handedOff || confirmed !== undefined;
    if (handedOff || confirmed === undefined) return;
    if (
      process.env.NODE_ENV !== 'production' && // React itself needs NODE_ENV defined
      dedupeKey === undefined && eventId === undefined && !definitionOf(tracker.contract, conversion)?.dedupeBy
    ) {
      warnOnce(`<ConversionOnView conversion="${conversion}"> has no dedup key: every mount (a refresh) fires again. Pass dedupeKey or give the event a dedupeBy field.`);
    }
    tracker.track(conversion, confirmed as PayloadInput<RegisteredContract, E>, { dedupeKey, eventId });
  }, [tracker, conversion, payload === undefined, latest]);

  return children ?? null;
}

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
   * nothing fires, so it can wait for data to load. A pending `tracker.handoff` of the same event wins
   * (one that no longer passes the contract does not).
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
 * consumed, dedup key already sent) fire nothing; StrictMode's double effects fire once. A view that
 * stays mounted (`/orders/:id/thanks`, a one-page checkout) fires each distinct conversion once: a new
 * handoff of its event, or a payload with another dedup key (or `eventId`), or another `conversion`.
 *
 * @example
 * // checkout page, after the payment is confirmed:
 * tracker.handoff('purchase_completed', order); router.push('/thank-you');
 * // thank-you page:
 * <ConversionOnView conversion="purchase_completed" />
 */
export function ConversionOnView<E extends RegisteredEvent>(props: ConversionOnViewProps<E>): ReactNode {
  const { conversion, payload, dedupeKey, eventId, children } = props;
  const tracker = useTrackerFor('ConversionOnView');
  const latest = useLatest(props);
  // The conversion last reported by this view: a payload that keeps its identity fires once.
  const fired = useRef<string>(undefined);
  const field = definitionOf(tracker.contract, conversion)?.dedupeBy;
  const identity = dedupeKey ?? eventId ?? (field && (payload as Record<string, unknown> | undefined)?.[field]);
  const current = payload === undefined ? undefined : `${conversion}\n${identity ?? ''}`;

  useEffect(() => {
    // An `invalid` handoff (stored before a schema change) was not reported: the payload may stand in.
    const takeHandoff = () => (tracker.completeHandoff(conversion)?.status ?? 'invalid') !== 'invalid';
    if (takeHandoff()) {
      // The handoff stands for the payload on screen (or, before it loads, for one without a key).
      fired.current = current ?? `${conversion}\n`;
    } else if (current !== undefined && fired.current !== current) {
      fired.current = current;
      if (process.env.NODE_ENV !== 'production' && identity === undefined) { // React itself needs NODE_ENV defined
        warnOnce(`<ConversionOnView conversion="${conversion}"> has no dedup key: every mount (a refresh) fires again. Pass dedupeKey or give the event a dedupeBy field.`);
      }
      // The props carry the track options, dedupeKey and eventId (they have no proof, the only other one).
      tracker.track(conversion, latest.current.payload as PayloadInput<RegisteredContract, E>, latest.current);
    }
    // A handoff stored while the view stays mounted is reported at once.
    return tracker.subscribeState(takeHandoff);
  }, [tracker, conversion, current, latest]);

  return children ?? null;
}

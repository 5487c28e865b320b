'use client';


import { useMemo } from 'react';
import type { PayloadInput } from '../core/contract';
import { isFailedResponse } from '../core/submission';
import type { TrackResult } from '../core/tracker';
import type { TrackOptions } from '../core/validation';
import { useTrackerFor } from './ConversionProvider';
import { trackConfirmed } from './trackConfirmed';
import type { RegisteredContract, RegisteredEvent } from './register';

/**
 * Awaits `operation` and tracks only if it succeeds: a rejection tracks nothing and is re-thrown; a
 * fetch `Response` that is not ok tracks nothing and is returned as is. Resolves to the operation's
 * value. Without `toPayload`, the resolved value itself is the payload, so it must be one.
 *
 * @example
 * await trackOnSuccess(api.createLead(form), (lead) => ({ form_id: 'demo', lead_id: lead.id }), (lead) => ({ dedupeKey: lead.id }));
 */
export interface TrackOnSuccess<E extends RegisteredEvent> {
  <Result>(
    operation: Promise<Result> | (() => Result | Promise<Result>),
    toPayload: (result: Result) => PayloadInput<RegisteredContract, E>,
    options?: TrackOptions | ((result: Result) => TrackOptions),
  ): Promise<Result>;
  <Result extends PayloadInput<RegisteredContract, E>>(
    operation: Promise<Result> | (() => Result | Promise<Result>),
  ): Promise<Result>;
}

/** What {@link useConversion} returns. Both functions are referentially stable. */
export interface UseConversionResult<E extends RegisteredEvent> {
  /**
   * Tracks the event now. Use it only where success is already confirmed.
   *
   * @example
   * const { track } = useConversion('newsletter_signup');
   * useEffect(() => { if (confirmedByEmailLink) track({ form_id: 'footer' }); }, [confirmedByEmailLink]);
   */
  track: (payload: PayloadInput<RegisteredContract, E>, options?: TrackOptions) => TrackResult;
  trackOnSuccess: TrackOnSuccess<E>;
}

/**
 * Fires one event of the contract, from code you control. Never subscribes, so it never re-renders
 * its component.
 *
 * @example
 * const { trackOnSuccess } = useConversion('lead_submitted');
 * const onSubmit = () =>
 *   trackOnSuccess(fetch('/api/leads', { method: 'POST', body }), () => ({ form_id: 'demo-request' }));
 */
export function useConversion<E extends RegisteredEvent>(event: E): UseConversionResult<E> {
  const tracker = useTrackerFor('useConversion');
  return useMemo(
    (): UseConversionResult<E> => ({
      track: (payload, options) => tracker.track(event, payload, options),
      trackOnSuccess: async <Result,>(
        operation: Promise<Result> | (() => Result | Promise<Result>),
        toPayload?: (result: Result) => PayloadInput<RegisteredContract, E>,
        options?: TrackOptions | ((result: Result) => TrackOptions),
      ) => {
        const result = await (typeof operation === 'function' ? operation() : operation);
        if (!isFailedResponse(result)) {
          trackConfirmed(tracker, event, () => [
            toPayload ? toPayload(result) : result,
            typeof options === 'function' ? options(result) : options,
          ]);
        }
        return result;
      },
    }),
    [tracker, event],
  );
}

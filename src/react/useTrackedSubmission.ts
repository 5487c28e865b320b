import { useCallback, useRef, useState } from 'react';
import { ResponseError } from '../core/errors';
import { isFailedResponse, type SubmissionSnapshot, type SubmitState } from '../core/submission';
import type { TrackOptions } from '../core/validation';
import { useTrackerFor } from './ConversionProvider';
import type { RegisteredEvent } from './register';
import { trackConfirmed } from './trackConfirmed';
import { useLatest } from './useLatest';

/** What a `children` function of a tracked form or checkout receives. */
export interface SubmissionRenderProps<Result> {
  state: SubmitState;
  /** The confirmed result, after `success`. */
  result?: Result;
  /** The failure, after `error`: the rejection, or a `ResponseError` for a non-ok `Response`. */
  error?: unknown;
  /** Back to `idle`. */
  reset: () => void;
}

/** The props a tracked form and a tracked checkout share. */
export interface TrackedSubmissionProps<Result, Extra extends unknown[]> {
  conversion: RegisteredEvent;
  payload?: (result: Result, ...extra: Extra) => unknown;
  dedupeKey?: (result: Result, ...extra: Extra) => string | number | undefined;
  onSuccess?: (result: Result) => void;
  onFailure?: (error: unknown) => void;
}

const IDLE: SubmissionSnapshot<never> = { state: 'idle' };

/**
 * The submit lifecycle of `<TrackedForm>` and `<TrackedCheckout>`, after react-hook-form's
 * `handleSubmit`: mark submitting, run the operation, and only once it is confirmed track the
 * conversion; then publish the final state and call `onSuccess` or `onFailure`. A call while one is
 * pending is ignored (a ref, so a double click in the same frame is caught too).
 */
export function useTrackedSubmission<Result, Extra extends unknown[]>(
  caller: string,
  props: TrackedSubmissionProps<Result, Extra>,
  defaultPayload: (result: Result) => unknown,
) {
  const tracker = useTrackerFor(caller);
  const [snapshot, setSnapshot] = useState<SubmissionSnapshot<Result>>(IDLE);
  const pending = useRef(false);
  const latest = useLatest({ ...props, defaultPayload });

  const run = useCallback(
    async (operation: () => Result | Promise<Result>, ...extra: Extra) => {
      if (pending.current) return;
      pending.current = true;
      setSnapshot({ state: 'submitting' });
      let result: Result;
      try {
        result = await operation();
        if (isFailedResponse(result)) throw new ResponseError(result);
      } catch (error) {
        pending.current = false;
        setSnapshot({ state: 'error', error });
        latest.current.onFailure?.(error);
        return;
      }
      pending.current = false;
      const { conversion, payload, dedupeKey } = latest.current;
      trackConfirmed(tracker, conversion, () => [
        payload ? payload(result, ...extra) : latest.current.defaultPayload(result),
        dedupeKey && ({ dedupeKey: dedupeKey(result, ...extra) } as TrackOptions),
      ]);
      setSnapshot({ state: 'success', result });
      latest.current.onSuccess?.(result);
    },
    [tracker, latest],
  );
  const reset = useCallback(() => setSnapshot(IDLE), []);

  return {
    run,
    /** The data attributes and ARIA state of the rendered element. */
    attributes: {
      'aria-busy': snapshot.state === 'submitting' || undefined,
      'data-conversion': props.conversion,
      'data-state': snapshot.state,
    },
    renderProps: { ...snapshot, reset } as SubmissionRenderProps<Result>,
  };
}

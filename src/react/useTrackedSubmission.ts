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
  /** Back to `idle`; while submitting, abandons the attempt (see `TrackedForm`). */
  reset: () => void;
}

/** The props a tracked form and a tracked checkout share. */
export interface TrackedSubmissionProps<Result, Extra extends unknown[]> {
  conversion: RegisteredEvent;
  payload?: (result: Result, ...extra: Extra) => unknown;
  dedupeKey?: (result: Result, ...extra: Extra) => string | number | undefined;
  proof?: (result: Result, ...extra: Extra) => string | undefined;
  onSuccess?: (result: Result) => void;
  onFailure?: (error: unknown) => void;
}

const IDLE: SubmissionSnapshot<never> = { state: 'idle' };

/**
 * The submit lifecycle of `<TrackedForm>` and `<TrackedCheckout>`, after react-hook-form's
 * `handleSubmit`: mark submitting, run the operation, and only once it is confirmed track the
 * conversion; then publish the final state and call `onSuccess` or `onFailure`. A call while one is
 * pending is ignored (a ref, so a double click in the same frame is caught too). `reset()` while
 * pending abandons the attempt: the form is idle and accepts a new submit at once; a confirmed
 * success of the abandoned attempt still counts (it happened), but no longer changes the state or
 * calls the callbacks.
 *
 * Returns `[run, elementProps, renderProps, latest, tracker]`, a tuple as `useState` does:
 * `elementProps` are the props without the shared ones above, with the data attributes and ARIA state
 * of the rendered element; `latest` the latest props (for the component's own callbacks), `tracker`
 * the provider's.
 */
export function useTrackedSubmission<Result, Extra extends unknown[], Props extends TrackedSubmissionProps<Result, Extra>>(
  caller: string,
  props: Props,
  defaultPayload: (result: Result) => unknown,
) {
  const tracker = useTrackerFor(caller);
  const [snapshot, setSnapshot] = useState<SubmissionSnapshot<Result>>(IDLE);
  // The attempt in flight, or null; reset() abandons it, so a stale attempt can tell.
  const active = useRef<object | null>(null);
  // Without a `payload` prop the default builds it (the extra arguments are ignored).
  const latest = useLatest({ ...props, payload: props.payload ?? defaultPayload });

  const run = useCallback(
    async (operation: () => Result | Promise<Result>, ...extra: Extra) => {
      if (active.current) return;
      const attempt = (active.current = {});
      /**
       * Publishes the outcome, then calls the app's callback, unless `reset()` abandoned this attempt.
       * A callback that throws is the app's own error: it reaches the page the way an event handler's
       * does (`window` `error`), never as an unhandled rejection of the submit, and never undoes the
       * published state.
       */
      const settle = <A,>(next: SubmissionSnapshot<Result>, callback: ((arg: A) => void) | undefined, arg: A) => {
        if (active.current !== attempt) return;
        active.current = null;
        setSnapshot(next);
        try {
          callback?.(arg);
        } catch (error) {
          // `reportError` where the browser has it; an uncaught throw, which is what it does, elsewhere.
          typeof reportError === 'function' ? reportError(error) : setTimeout(() => { throw error; });
        }
      };
      setSnapshot({ state: 'submitting' });
      let result: Result;
      try {
        result = await operation();
        if (isFailedResponse(result)) throw new ResponseError(result);
      } catch (error) {
        return settle({ state: 'error', error }, latest.current.onFailure, error);
      }
      const { conversion, payload, dedupeKey, proof } = latest.current;
      trackConfirmed(tracker, conversion, () => [
        payload(result, ...extra),
        { dedupeKey: dedupeKey?.(result, ...extra), proof: proof?.(result, ...extra) } as TrackOptions,
      ]);
      settle({ state: 'success', result }, latest.current.onSuccess, result);
    },
    [tracker, latest],
  );
  const reset = useCallback(() => {
    active.current = null;
    setSnapshot(IDLE);
  }, []);
  const { conversion, payload: _p, dedupeKey: _d, proof: _pr, onSuccess: _os, onFailure: _of, ...rest } = props;

  return [
    run,
    {
      ...rest,
      'aria-busy': snapshot.state === 'submitting' || undefined,
      'data-conversion': conversion,
      'data-state': snapshot.state,
    },
    { ...snapshot, reset } as SubmissionRenderProps<Result>,
    latest,
    tracker,
  ] as const;
}

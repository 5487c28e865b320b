import {
  forwardRef,
  useRef,
  type FormEvent,
  type FormHTMLAttributes,
  type ReactElement,
  type ReactNode,
  type Ref,
  type SyntheticEvent,
} from 'react';
import type { PayloadInput } from '../core/contract';
import type { SubmitState } from '../core/submission';
import { useTrackerFor } from './ConversionProvider';
import type { RegisteredContract, RegisteredEvent } from './register';
import { trackConfirmed } from './trackConfirmed';
import { useLatest } from './useLatest';
import { useSubmission } from './useSubmission';

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

/** Props of {@link TrackedForm}; other `<form>` props pass through. */
export interface TrackedFormProps<E extends RegisteredEvent, Result>
  extends Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'children'> {
  /** The event fired once the submission is confirmed. */
  conversion: E;
  /** Identifies the form in the DOM (`data-track-form`) and in the default payload `{ form_id }`. */
  formId: string;
  /**
   * Sends the form. Tracked as a success when it resolves, except to a `Response` that is not ok.
   * A rejection tracks nothing and shows the error state.
   */
  onSubmit: (formData: FormData, event: FormEvent<HTMLFormElement>) => Result | Promise<Result>;
  /** Builds the payload from the confirmed result. Default: `{ form_id: formId }`. */
  payload?: (result: Result, formData: FormData) => PayloadInput<RegisteredContract, E>;
  /** A dedup key from the confirmed result (a lead id), when the contract's `dedupeBy` does not give one. */
  dedupeKey?: (result: Result, formData: FormData) => string | number | undefined;
  /** A supporting event fired once, on the first focus or input (e.g. `form_started`). */
  startEvent?: RegisteredEvent;
  /** The start event's payload. Default: `{ form_id: formId }`. */
  startPayload?: Record<string, unknown>;
  /** Called after a confirmed success. */
  onSuccess?: (result: Result) => void;
  /** Called after a failure. */
  onFailure?: (error: unknown) => void;
  children?: ReactNode | ((props: SubmissionRenderProps<Result>) => ReactNode);
}

function readFormData(form: HTMLFormElement, submitter: unknown): FormData {
  try {
    return new FormData(form, (submitter as HTMLElement | null) ?? undefined);
  } catch {
    return new FormData(form);
  }
}

function TrackedFormInner<E extends RegisteredEvent, Result>(
  props: TrackedFormProps<E, Result>,
  ref: Ref<HTMLFormElement>,
) {
  const {
    conversion, formId, onSubmit: _onSubmit, payload: _payload, dedupeKey: _dedupeKey, startEvent,
    startPayload: _startPayload, onSuccess: _onSuccess, onFailure: _onFailure, children, ...formProps
  } = props;
  const tracker = useTrackerFor('TrackedForm');
  const [snapshot, submission] = useSubmission<Result>();
  const latest = useLatest(props);
  const started = useRef(false);

  const handleStart = (event: SyntheticEvent<HTMLFormElement>) => {
    const { onFocus, onInput, startPayload } = latest.current;
    (event.type === 'focus' ? onFocus : onInput)?.(event as never);
    if (!startEvent || started.current || event.defaultPrevented) return;
    started.current = true;
    trackConfirmed(tracker, startEvent, () => [startPayload ?? { form_id: formId }]);
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = readFormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    void submission
      .run(
        () => latest.current.onSubmit(formData, event),
        (result) => {
          const { payload, dedupeKey } = latest.current;
          trackConfirmed(tracker, conversion, () => [
            payload ? payload(result, formData) : { form_id: formId },
            dedupeKey ? { dedupeKey: dedupeKey(result, formData) } : undefined,
          ]);
        },
      )
      .then((final) => {
        if (final?.state === 'success') latest.current.onSuccess?.(final.result as Result);
        if (final?.state === 'error') latest.current.onFailure?.(final.error);
      });
  };

  return (
    <form
      {...formProps}
      ref={ref}
      onSubmit={handleSubmit}
      onFocus={handleStart}
      onInput={handleStart}
      aria-busy={snapshot.state === 'submitting' || undefined}
      data-conversion={conversion}
      data-track-form={formId}
      data-state={snapshot.state}
    >
      {typeof children === 'function'
        ? children({ ...snapshot, reset: submission.reset } as SubmissionRenderProps<Result>)
        : children}
    </form>
  );
}

/**
 * A `<form>` that fires its conversion only when the submission is confirmed: the default submit is
 * prevented, `onSubmit` runs, and the event fires once it resolves. A failure fires nothing; while a
 * submission is pending, further submits are ignored. The DOM shows `data-conversion`,
 * `data-track-form` and `data-state="idle|submitting|success|error"` for QA and tag managers.
 *
 * @example
 * <TrackedForm
 *   conversion="lead_submitted"
 *   formId="demo-request"
 *   onSubmit={(data) => fetch('/api/leads', { method: 'POST', body: data })}
 *   payload={() => ({ form_id: 'demo-request', plan: 'team' })}
 * >
 *   {({ state }) => <button disabled={state === 'submitting'}>Request a demo</button>}
 * </TrackedForm>
 */
export const TrackedForm = forwardRef(TrackedFormInner) as <E extends RegisteredEvent, Result = unknown>(
  props: TrackedFormProps<E, Result> & { ref?: Ref<HTMLFormElement> },
) => ReactElement;

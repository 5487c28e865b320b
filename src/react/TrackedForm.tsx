'use client';

import {
  forwardRef,
  useRef,
  type FormEvent,
  type FormHTMLAttributes,
  type ReactElement,
  type ReactNode,
  type Ref,
} from 'react';
import type { PayloadInput } from '../core/contract';
import type { RegisteredContract, RegisteredEvent } from './register';
import { trackConfirmed } from './trackConfirmed';
import { useTrackedSubmission, type SubmissionRenderProps } from './useTrackedSubmission';

export type { SubmissionRenderProps } from './useTrackedSubmission';

/**
 * Props of {@link TrackedForm}; other `<form>` props pass through, except `onFocusCapture` and
 * `onInputCapture`, which the form uses for its start event (your `onFocus` and `onInput` still run).
 *
 * @example
 * <TrackedForm conversion="lead_submitted" formId="demo-request" startEvent="form_started" onSubmit={send} />
 */
export interface TrackedFormProps<E extends RegisteredEvent, Result, S extends RegisteredEvent = RegisteredEvent>
  extends Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'children' | 'onFocusCapture' | 'onInputCapture'> {
  /**
   * The event fired once the submission is confirmed.
   *
   * @example
   * conversion="lead_submitted"
   */
  conversion: E;
  /**
   * Identifies the form in the DOM (`data-track-form`) and in the default payload `{ form_id }`.
   *
   * @example
   * formId="demo-request" // <form data-track-form="demo-request">
   */
  formId: string;
  /**
   * Sends the form. Tracked as a success when it resolves, except to a `Response` that is not ok.
   * A rejection tracks nothing and shows the error state.
   *
   * @example
   * onSubmit={(data) => fetch('/api/leads', { method: 'POST', body: data })}
   */
  onSubmit: (formData: FormData, event: FormEvent<HTMLFormElement>) => Result | Promise<Result>;
  /**
   * Builds the payload from the confirmed result. Default: `{ form_id: formId }`.
   *
   * @example
   * payload={(lead, data) => ({ form_id: 'demo-request', lead_id: lead.id, plan: String(data.get('plan')) })}
   */
  payload?: (result: Result, formData: FormData) => PayloadInput<RegisteredContract, E>;
  /**
   * A dedup key from the confirmed result (a lead id), when the contract's `dedupeBy` does not give one.
   *
   * @example
   * dedupeKey={(lead) => lead.id}
   */
  dedupeKey?: (result: Result, formData: FormData) => string | number | undefined;
  /**
   * A supporting event fired once, on the first focus or input (e.g. `form_started`).
   *
   * @example
   * startEvent="form_started"
   */
  startEvent?: S;
  /**
   * The start event's payload. Default: `{ form_id: formId }`.
   *
   * @example
   * startPayload={{ form_id: 'demo-request' }}
   */
  startPayload?: PayloadInput<RegisteredContract, S>;
  /**
   * Called after a confirmed success.
   *
   * @example
   * onSuccess={() => router.push('/thanks')}
   */
  onSuccess?: (result: Result) => void;
  /**
   * Called after a failure.
   *
   * @example
   * onFailure={(error) => toast.error(String(error))}
   */
  onFailure?: (error: unknown) => void;
  /** The form content, or a function of the submission state. */
  /**
   * The form content, or a function of the submission state.
   *
   * @example
   * {({ state }) => <button disabled={state === 'submitting'}>Send</button>}
   */
  children?: ReactNode | ((props: SubmissionRenderProps<Result>) => ReactNode);
}

function TrackedFormInner<E extends RegisteredEvent, Result>(
  props: TrackedFormProps<E, Result>,
  ref: Ref<HTMLFormElement>,
) {
  const { formId } = props;
  const [run, elementProps, renderProps, latest, tracker] = useTrackedSubmission<Result, [FormData], TrackedFormProps<E, Result>>('TrackedForm', props, () => ({
    form_id: formId,
  }));
  const { formId: _f, onSubmit: _s, startEvent, startPayload: _sp, children, ...formProps } = elementProps;
  const started = useRef(false);

  // Capture phase: the first focus or input anywhere in the form, before the app's own handlers.
  const handleStart = () => {
    if (!startEvent || started.current) return;
    started.current = true;
    trackConfirmed(tracker, startEvent, () => [latest.current.startPayload ?? { form_id: formId }]);
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    // A form rendered through a portal inside this one (a modal, a coupon dialog) bubbles its submit
    // here through the React tree: it is not this form's submission, so it is left alone.
    if (event.target !== event.currentTarget) return;
    event.preventDefault();
    // The submitter's name and value are part of the data (browsers without the argument ignore it).
    const formData = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    void run(() => latest.current.onSubmit(formData, event), formData);
  };

  return (
    <form {...formProps} ref={ref} onSubmit={handleSubmit} onFocusCapture={handleStart} onInputCapture={handleStart} data-track-form={formId}>
      {typeof children === 'function' ? children(renderProps) : children}
    </form>
  );
}

/**
 * A `<form>` that fires its conversion only when the submission is confirmed: the default submit is
 * prevented, `onSubmit` runs, and the event fires once it resolves. A failure fires nothing; while a
 * submission is pending, further submits are ignored. Only the form's own submit counts: a form
 * rendered through a portal inside it (a dialog of a UI kit) submits on its own. The DOM shows `data-conversion`,
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
export const TrackedForm = forwardRef(TrackedFormInner) as <
  E extends RegisteredEvent,
  Result = unknown,
  S extends RegisteredEvent = RegisteredEvent,
>(
  props: TrackedFormProps<E, Result, S> & { ref?: Ref<HTMLFormElement> },
) => ReactElement;

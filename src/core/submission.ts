/** The lifecycle of a tracked form or checkout, shown in the DOM as `data-state`. */
export type SubmitState = 'idle' | 'submitting' | 'success' | 'error';

/** The state of a submission, with the confirmed result or the error. Immutable. */
export interface SubmissionSnapshot<Result = unknown> {
  readonly state: SubmitState;
  readonly result?: Result;
  readonly error?: unknown;
}

/** Whether a value is a fetch `Response` (of any realm or polyfill) whose status is not 2xx. */
export function isFailedResponse(value: unknown): value is Response {
  // Casts rather than a typed copy of `value`, which the bundle would carry as a second variable.
  return (
    (value as Partial<Response> | null)?.ok === false &&
    typeof (value as Response).status === 'number' &&
    typeof (value as Response).headers === 'object'
  );
}

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
  const response = value as Partial<Response> | null | undefined;
  return response?.ok === false && typeof response.status === 'number' && typeof response.headers === 'object';
}

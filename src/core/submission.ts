import { ResponseError } from './errors';

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
  const response = value as Partial<Response> | null;
  return (
    typeof response === 'object' && response !== null &&
    typeof response.ok === 'boolean' && typeof response.status === 'number' && !response.ok &&
    typeof response.headers === 'object'
  );
}

/**
 * A submission: one operation at a time, whose success is confirmed before `onConfirmed` runs.
 * The framework-agnostic heart of `<TrackedForm>` and `<TrackedCheckout>`.
 */
export interface Submission<Result> {
  getSnapshot(): SubmissionSnapshot<Result>;
  subscribe(listener: () => void): () => void;
  /**
   * Runs `operation` unless one is pending (then it returns `false` at once and runs nothing). A
   * rejection, or a `Response` that is not ok, ends in `error`; otherwise `onConfirmed` runs with the
   * result, then the state becomes `success`. Resolves to the final snapshot, or `null` when the call
   * was ignored because another one is pending.
   */
  run(
    operation: () => Result | Promise<Result>,
    onConfirmed: (result: Result) => void,
  ): Promise<SubmissionSnapshot<Result> | null>;
  reset(): void;
}

const IDLE: SubmissionSnapshot<never> = Object.freeze({ state: 'idle' });

export function createSubmission<Result>(): Submission<Result> {
  let snapshot: SubmissionSnapshot<Result> = IDLE;
  const listeners = new Set<() => void>();
  const publish = (next: SubmissionSnapshot<Result>) => {
    snapshot = Object.freeze(next);
    for (const listener of listeners) listener();
  };
  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async run(operation, onConfirmed) {
      if (snapshot.state === 'submitting') return null;
      publish({ state: 'submitting' });
      let result: Result;
      try {
        result = await operation();
        if (isFailedResponse(result)) throw new ResponseError(result);
      } catch (error) {
        publish({ state: 'error', error });
        return snapshot;
      }
      onConfirmed(result);
      publish({ state: 'success', result });
      return snapshot;
    },
    reset: () => publish(IDLE),
  };
}

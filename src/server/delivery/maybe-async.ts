/** A value now, or later: what dedup stores and destinations may return. */
export type MaybePromise<T> = T | Promise<T>;

// (No export is named `then`: a module namespace with one is a thenable, and `import()` would call it.)
// The memory store answers synchronously: awaiting its answers cost a promise and a microtask per
// store call, three per event and destination. These helpers stay synchronous until something is not.
/**
 * Whether `value` is a promise or any thenable (a store's client may bring its own promise library).
 * What the helpers below return for one is always a native promise, so their callers can tell a later
 * answer from a present one with this same check.
 */
export const isPromise = <T>(value: MaybePromise<T> | void): value is Promise<T> => typeof (value as { then?: unknown } | null)?.then === 'function';

/** `next(value)`, now when `value` is not a promise, else once it resolves. */
export const andThen = <T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> =>
  isPromise(value) ? Promise.resolve(value).then(next) : next(value);

/**
 * Calls `run`, then `next` with its result; a synchronous throw or a rejection of `run` goes to
 * `failed` instead (an error of `next` is not caught).
 */
export function settle<T, R>(run: () => MaybePromise<T>, next: (value: T) => MaybePromise<R>, failed: (error: unknown) => MaybePromise<R>): MaybePromise<R> {
  let result: MaybePromise<T>;
  try {
    result = run();
  } catch (error) {
    return failed(error);
  }
  return isPromise(result) ? Promise.resolve(result).then(next, failed) : next(result);
}

/** Every value: now when none is a promise, else as one promise. */
export const all = <T>(values: readonly MaybePromise<T>[]): MaybePromise<T[]> =>
  values.some(isPromise) ? Promise.all(values) : (values as T[]);

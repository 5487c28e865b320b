import type { TrackResult } from '../core/tracker';
import type { TrackOptions } from '../core/validation';
import type { RegisteredTracker } from './register';

/**
 * Tracks a confirmed success whose payload comes from the app's own callbacks. A callback that throws
 * becomes a record and an `onError` call: the submit or checkout it follows has already succeeded.
 */
export function trackConfirmed(
  tracker: RegisteredTracker,
  event: string,
  build: () => readonly [payload: unknown, options?: TrackOptions | undefined],
): TrackResult | null {
  let built: readonly [unknown, (TrackOptions | undefined)?];
  try {
    built = build();
  } catch (cause) {
    tracker.reportError(event, cause);
    return null;
  }
  return (tracker.track as (event: string, ...built: readonly [unknown, TrackOptions?]) => TrackResult)(event, ...built);
}

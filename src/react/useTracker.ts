'use client';


import { useTrackerFor } from './ConversionProvider';
import type { RegisteredTracker } from './register';

/**
 * The tracker of the nearest `<ConversionProvider>`. Stable: reading it never re-renders.
 *
 * @example
 * const tracker = useTracker();
 * const onPay = () => tracker.handoff('purchase_completed', order);
 */
export function useTracker(): RegisteredTracker {
  return useTrackerFor('useTracker');
}

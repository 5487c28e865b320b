'use client';

import { createContext, useContext, type ReactElement, type ReactNode } from 'react';
import type { RegisteredTracker } from './register';

const TrackerContext = createContext<RegisteredTracker | null>(null);

/** Props of {@link ConversionProvider}. */
export interface ConversionProviderProps {
  /**
   * The tracker from `createTracker`. Create it once, outside render.
   *
   * @example
   * tracker={tracker}
   */
  tracker: RegisteredTracker;
  /**
   * Your app.
   *
   * @example
   * <App />
   */
  children?: ReactNode;
}

/**
 * Makes the tracker available to hooks and components. The context holds only the tracker, which
 * never changes, so the provider never re-renders its consumers.
 *
 * @example
 * const tracker = createTracker({ contract, destinations });
 * <ConversionProvider tracker={tracker}><App /></ConversionProvider>
 */
export function ConversionProvider({ tracker, children }: ConversionProviderProps): ReactElement {
  return <TrackerContext.Provider value={tracker}>{children}</TrackerContext.Provider>;
}

/** The tracker of the nearest provider; `caller` names the hook or component in the error. */
export function useTrackerFor(caller: string): RegisteredTracker {
  const tracker = useContext(TrackerContext);
  if (!tracker) throw new Error(`[conversion-kit] ${caller} must be used inside <ConversionProvider>`);
  return tracker;
}

'use client';

import { createContext, useContext, type ReactElement, type ReactNode } from 'react';
import { ALL_PENDING } from '../core/consent';
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

const noop = () => {};
const none = { first: null, last: null };
const nothing = () => ({ status: 'invalid', eventId: '', issues: [] });
const noRecords: never[] = [];
/** What components get without a provider in production: a tracker that does nothing, with stable snapshots. */
const inert = {
  contract: { events: {} },
  track: nothing,
  handoff: nothing,
  completeHandoff: () => null,
  reportError: noop,
  getCampaign: () => none,
  captureCampaign: noop,
  getConsent: () => ALL_PENDING,
  setConsent: noop,
  subscribe: () => noop,
  getRecords: () => noRecords,
  subscribeState: () => noop,
  flush: async () => {},
} as unknown as RegisteredTracker;
let reported = false;

/**
 * The tracker of the nearest provider; `caller` names the hook or component in the error. Without a
 * provider, development throws that error; production never breaks the page for tracking: it says
 * so once (`console.error`) and hands out a tracker that knows no events, so nothing fires and the
 * children render as usual.
 */
export function useTrackerFor(caller: string): RegisteredTracker {
  const tracker = useContext(TrackerContext);
  if (tracker) return tracker;
  const message = `[conversion-kit] ${caller} must be used inside <ConversionProvider>`;
  if (typeof process !== 'undefined') {
    if (process.env.NODE_ENV !== 'production') throw new Error(message);
  }
  if (!reported) console.error(`${message}; nothing is tracked`);
  reported = true;
  return inert;
}

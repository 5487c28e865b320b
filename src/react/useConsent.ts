'use client';


import { useSyncExternalStore } from 'react';
import { ALL_PENDING, type ConsentState, type ConsentUpdate } from '../core/consent';
import { useTrackerFor } from './ConversionProvider';

// The server cannot know the visitor's decision: server rendering and hydration see every category
// pending, and the real state follows right after hydration, so nothing mismatches.
const serverConsent = () => ALL_PENDING;

/** What {@link useConsent} returns. */
export interface UseConsentResult {
  /** The current state of each category. */
  consent: ConsentState;
  /** Records the visitor's decision: releases or drops held events. Stable. */
  setConsent: (update: ConsentUpdate) => void;
}

/**
 * Reads and sets consent, for a consent banner.
 *
 * @example
 * const { consent, setConsent } = useConsent();
 * if (consent.ads === 'pending') return <button onClick={() => setConsent({ analytics: 'granted', ads: 'granted' })}>Accept</button>;
 */
export function useConsent(): UseConsentResult {
  const tracker = useTrackerFor('useConsent');
  const consent = useSyncExternalStore(tracker.subscribeState, tracker.getConsent, serverConsent);
  return { consent, setConsent: tracker.setConsent };
}

'use client';


import { useSyncExternalStore } from 'react';
import type { CampaignContext } from '../core/campaign';
import { useTrackerFor } from './ConversionProvider';

const SERVER_CAMPAIGN: CampaignContext = { first: null, last: null };
const serverCampaign = () => SERVER_CAMPAIGN;

/**
 * The campaign context (first and last touch). Re-renders only when it changes. Server rendering and
 * hydration see no touch, so stored campaign data never causes a hydration mismatch.
 *
 * @example
 * const { last } = useCampaign();
 * return last?.utm_campaign ? <p>Welcome, {last.utm_campaign} visitor</p> : null;
 */
export function useCampaign(): CampaignContext {
  const tracker = useTrackerFor('useCampaign');
  return useSyncExternalStore(tracker.subscribeState, tracker.getCampaign, serverCampaign);
}

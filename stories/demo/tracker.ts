import type { ConsentCategory, ConsentValue, Destination, KeyValueStorage } from 'conversion-kit';
import { createTestTracker, type TestTracker } from 'conversion-kit/testing';
import { contract } from '../../test/fixtures/contract';
import { standInBeacon } from './standInBeacon';

/** The tracker of one demo page load: a real tracker that also records what it sends, for `play`. */
export type DemoTracker = TestTracker<typeof contract>;

/**
 * Where the demos send events, besides the recorder the `play` functions assert on.
 *
 * LEAD, after merging the destinations branch: replace the stand-in with the real destination,
 * `return [beacon({ url: '/api/collect' })];` (import { beacon } from 'conversion-kit/destinations'),
 * and delete ./standInBeacon.ts. Nothing else in the stories changes.
 */
export function demoDestinations(): Destination[] {
  return [standInBeacon({ url: '/api/collect' })];
}

export interface DemoTrackerOptions {
  /** The page's URL: its campaign parameters are captured as on a real landing. */
  url: string;
  referrer?: string;
  /** Shared by every page load of one visit, as localStorage is. */
  storage: KeyValueStorage;
  consent?: Partial<Record<ConsentCategory, ConsentValue>>;
  destinations?: readonly Destination[];
}

/** A new tracker, as a real page load creates one. */
export function createDemoTracker(options: DemoTrackerOptions): DemoTracker {
  return createTestTracker({
    contract,
    storage: options.storage,
    campaign: { url: options.url, referrer: options.referrer ?? '' },
    consent: options.consent,
    destinations: options.destinations ?? demoDestinations(),
  });
}

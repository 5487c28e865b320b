import { vi } from 'vitest';
import { createTracker, memoryStorage, type Destination, type TrackerOptions, type TrackingRecord } from 'conversion-kit/core';
import { contract } from '../fixtures/contract';

export const LANDING = 'https://shop.example/landing?utm_source=google&utm_medium=cpc&utm_campaign=spring&fbclid=AbC-123_x';
export const order = (id: string, value = 129) => ({ order_id: id, value, currency: 'EUR' });

/** A real tracker with the given destinations, its records and onError calls. */
export function trackerWith(destinations: Destination[], options: Partial<TrackerOptions<typeof contract>> = {}) {
  const onError = vi.fn();
  const records: TrackingRecord[] = [];
  const tracker = createTracker({
    contract,
    storage: memoryStorage(),
    campaign: { url: LANDING, referrer: 'https://www.google.com/' },
    destinations,
    onError,
    ...options,
  });
  tracker.subscribe((record) => records.push(record));
  const outcomes = () => records.filter((r) => 'destination' in r).map((r) => `${r.type}:${(r as { destination: string }).destination}:${r.event}`);
  return { tracker, onError, records, outcomes };
}

/** Lets pending promise callbacks (records of async sends) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

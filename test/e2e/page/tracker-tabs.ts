// The page of the two-tab tracker test, bundled from the sources: a real tracker with an in-page
// destination (GTM's dataLayer) and a first-party one whose receiver dedups by eventId, as the beacon's
// collector does.
import { createTracker, type Destination, type TrackingRecord } from 'conversion-kit/core';
import { dataLayer } from 'conversion-kit/destinations';
import { contract } from '../../fixtures/contract';

const collected: string[] = [];
const firstParty: Destination = { name: 'first-party', receiverDedupes: true, send: (envelope) => void collected.push(envelope.eventId) };
const tracker = createTracker({ contract, destinations: [dataLayer(), firstParty] });
const records: TrackingRecord[] = [];
tracker.subscribe((record) => records.push(record));

type Layer = { event?: string; order_id?: string }[];

/** Waits (busily, so no timer delay) until `at`, tracks the order, then says what left the page. */
async function trackAt(at: number, orderId: string) {
  while (Date.now() < at);
  const { status, eventId } = tracker.track('purchase_completed', { order_id: orderId, value: 42, currency: 'EUR' });
  await new Promise((done) => setTimeout(done, 300));
  const layer = ((window as unknown as { dataLayer: Layer }).dataLayer ?? []).filter((entry) => entry.order_id === orderId);
  const mine = records.filter((record) => record.event === 'purchase_completed' && 'envelope' in record && record.envelope.payload.order_id === orderId);
  return {
    status,
    pushed: layer.length,
    firstParty: collected.filter((id) => id === eventId).length,
    dropped: mine.flatMap((record) => (record.type === 'dropped' ? [`${record.destination}:${record.reason}`] : [])),
  };
}

Object.assign(window, { trackAt });
document.body.dataset.state = 'ready';

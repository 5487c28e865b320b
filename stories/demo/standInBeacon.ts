import type { Destination, Envelope } from 'conversion-kit';

/**
 * STAND-IN, to be deleted once `beacon` from 'conversion-kit/destinations' is merged: `demoDestinations()`
 * in ./tracker.ts then returns `[beacon({ url: '/api/collect' })]` instead.
 *
 * Sends each envelope at once, in the batch format of the brief (`{ "v": 1, "events": [envelope] }`),
 * with `navigator.sendBeacon` and a `text/plain` Blob (CORS-safelisted: no preflight), so it still
 * leaves when the visitor navigates away right after converting. No batching, no fetch fallback,
 * no identity cookies: only what the demos and the end-to-end test need.
 */
export function standInBeacon({ url }: { url: string }): Destination {
  return {
    name: 'beacon',
    send(envelope: Envelope) {
      const body = new Blob([JSON.stringify({ v: 1, events: [envelope] })], { type: 'text/plain;charset=UTF-8' });
      if (!navigator.sendBeacon(url, body)) throw new Error('the browser refused to queue the beacon');
    },
  };
}

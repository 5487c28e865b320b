'use client';
// The browser's tracker: created once, on the client. Nothing here touches `window` before the first
// event, so server rendering of the client components that import it is safe.
import { createTracker } from 'conversion-kit';
import { beacon, dataLayer } from 'conversion-kit/destinations';
import { contract } from './contract';

export const tracker = createTracker({
  contract,
  destinations: [dataLayer(), beacon({ url: '/api/collect' })],
});

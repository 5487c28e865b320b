/**
 * The page of bench/track-vs-segment-browser.ts, bundled for Chromium: stubs the network, runs the
 * comparison of bench/track-compare.ts and leaves the times on `window.trackTimes`.
 */
import { stubNetwork } from './track-stub';

const { rounds, block } = JSON.parse(document.body.dataset.options!) as { rounds: number; block: number };
// Before Segment loads, as a network that answers at once: nothing leaves 127.0.0.1.
const network = stubNetwork();
window.fetch = network.fetch;
const { compareTrack } = await import('./track-compare');
const times = await compareTrack(rounds, block);
Object.assign(window, { trackTimes: { ...times, requests: network.requests() } });

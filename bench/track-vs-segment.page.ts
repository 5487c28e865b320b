/**
 * The page of bench/track-vs-segment-browser.ts, bundled for Chromium: stubs the network, runs the
 * comparison of bench/track-compare.ts and leaves the times on `window.trackTimes`.
 */
import { stubAnswer } from './track-stub';

const { rounds, block } = JSON.parse(document.body.dataset.options!) as { rounds: number; block: number };
let requests = 0;
// Before Segment loads, as a network that answers at once: nothing leaves 127.0.0.1.
window.fetch = async () => {
  requests++;
  return stubAnswer();
};
const { compareTrack } = await import('./track-compare');
const times = await compareTrack(rounds, block);
Object.assign(window, { trackTimes: { ...times, requests } });

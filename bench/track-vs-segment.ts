/**
 * `track()` of a purchase, side by side with Segment analytics-next's `track()` in the same run (Node +
 * jsdom, network stubbed: every fetch answers 200 at once); the paths are in bench/track-compare.ts.
 * The figures are medians of ROUNDS rounds (default 25) of BLOCK purchases (default 200), and the
 * ratio is what the goal (10x) is about. jsdom's cookies and localStorage are JavaScript, slower than
 * a browser's: `npm run bench:segment:browser` runs the same comparison in Chromium.
 */
import { JSDOM } from 'jsdom';
import { loadavg } from 'node:os';
import { reportTrack } from './track-report';
import { stubNetwork } from './track-stub';

const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 25));
const BLOCK = Number(process.env.BLOCK ?? 200);

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://shop.example/checkout/thanks' });
const page = dom.window as unknown as Record<string, unknown>;
for (const name of ['window', 'document', 'localStorage', 'sessionStorage', 'location', 'navigator', 'history', 'screen', 'HTMLElement', 'Element', 'Node']) {
  Object.defineProperty(globalThis, name, { value: page[name], configurable: true, writable: true });
}
for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
  Object.defineProperty(globalThis, name, { value: (page[name] as Function).bind(dom.window), configurable: true, writable: true });
}
const network = stubNetwork();
globalThis.fetch = network.fetch;
(page as { fetch: unknown }).fetch = network.fetch;
// Imported after the globals exist, as on a page.
const { compareTrack } = await import('./track-compare');

const times = await compareTrack(ROUNDS, BLOCK);
reportTrack(`track() of a purchase vs Segment analytics-next track(), jsdom, same run (${ROUNDS} interleaved rounds of ${BLOCK}; load average ${loadavg()[0]!.toFixed(1)})`, times, BLOCK, network.requests());
// Segment keeps timers alive; the figures are out.
process.exit(0);

/**
 * `track()` of a purchase, side by side with Segment analytics-next's `track()` in the same run (Node +
 * jsdom, network stubbed: every fetch answers 200 at once). conversion-kit's path is the one that
 * matters: contract validation, dedup by `order_id` in a ledger already at its full size (500 keys,
 * jsdom's localStorage), the `beacon` destination persisting its queue, and a flush to the
 * collector. Segment's: `analytics.track('Order Completed', props)` through its plugins to its
 * Segment.io destination. Each round times a block of purchases for both, in alternating order; the
 * figures are medians of ROUNDS rounds (default 25), and the ratio is what the goal (10x) is about.
 */
import { JSDOM } from 'jsdom';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 25));
const BLOCK = Number(process.env.BLOCK ?? 200);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://shop.example/checkout/thanks' });
const page = dom.window as unknown as Record<string, unknown>;
for (const name of ['window', 'document', 'localStorage', 'sessionStorage', 'location', 'navigator', 'history', 'screen', 'HTMLElement', 'Element', 'Node']) {
  Object.defineProperty(globalThis, name, { value: page[name], configurable: true, writable: true });
}
for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
  Object.defineProperty(globalThis, name, { value: (page[name] as Function).bind(dom.window), configurable: true, writable: true });
}
let requests = 0;
const answer = async () => {
  requests++;
  return new Response(JSON.stringify({ accepted: 1, duplicates: 0, skipped: 0, rejected: [], failed: [], pending: [], notes: [] }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
};
globalThis.fetch = answer as typeof fetch;
(page as { fetch: unknown }).fetch = answer;

// Imported after the globals exist, as on a page.
const { AnalyticsBrowser } = await import('@segment/analytics-next');
const { createTracker } = await import('../src/core/index');
const { beacon } = await import('../src/destinations/index');
const { contract } = await import('../test/fixtures/contract');

const [analytics] = await AnalyticsBrowser.load(
  { writeKey: 'bench', cdnSettings: { integrations: { 'Segment.io': { apiKey: 'bench' } } } as never },
  { disableClientPersistence: true },
);

const tracker = createTracker({ contract, destinations: [beacon({ url: 'https://shop.example/api/collect' })] });
let order = 0;
const purchase = () => tracker.track('purchase_completed', { order_id: `B-${order++}`, value: 129, currency: 'EUR' });
// The ledger at its full size: 500 orders already counted.
for (let i = 0; i < 500; i++) purchase();
await tracker.flush();

async function kit(): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < BLOCK; i++) {
    if (purchase().status !== 'sent') throw new Error('a new order was not sent');
  }
  await tracker.flush();
  return performance.now() - started;
}

let segmentOrder = 0;
async function segment(): Promise<number> {
  const started = performance.now();
  const sends = [];
  for (let i = 0; i < BLOCK; i++) {
    sends.push(analytics.track('Order Completed', { order_id: `S-${segmentOrder++}`, revenue: 129, currency: 'EUR' }));
  }
  await Promise.all(sends);
  return performance.now() - started;
}

/**
 * Lets the event loop turn, as it does on a page between a user's actions: the timers either side left
 * (jsdom schedules one per localStorage write, holding the old and new values, to tell other windows)
 * run here, outside both timings. Without it they pile up over the rounds, each keeping its strings,
 * and whichever side next waits on a timer runs them all.
 */
const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

// Warm-up: JIT, Segment's lazy plugins.
for (let i = 0; i < 3; i++) {
  await kit();
  await segment();
}
const kitMs: number[] = [];
const segmentMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  await turn();
  if (round % 2 === 0) {
    kitMs.push(await kit());
    await turn();
    segmentMs.push(await segment());
  } else {
    segmentMs.push(await segment());
    await turn();
    kitMs.push(await kit());
  }
}
const perSecond = (ms: number) => Math.round((BLOCK / ms) * 1000);
const ratio = median(segmentMs) / median(kitMs);
console.log(`track() of a purchase vs Segment analytics-next track(), same run (${ROUNDS} interleaved rounds of ${BLOCK}; load average ${loadavg()[0]!.toFixed(1)})`);
console.table([
  { library: 'conversion-kit (validate, dedup by order_id at 500 keys, beacon, flush)', 'events/s': perSecond(median(kitMs)) },
  { library: '@segment/analytics-next (track to its Segment.io destination)', 'events/s': perSecond(median(segmentMs)) },
]);
console.log(`ratio: ${ratio.toFixed(1)}x (goal >= 10x) ${ratio >= 10 ? 'met' : 'NOT met'}; ${requests} stubbed requests`);
// Segment keeps timers alive; the figures are out.
process.exit(0);

/**
 * The side-by-side of `track()` shared by the jsdom bench (bench/track-vs-segment.ts) and the
 * Chromium one (bench/track-vs-segment-browser.ts): the same two paths, the same rounds. Import it
 * once the page's globals exist and `fetch` is stubbed, as a page loads its scripts.
 *
 * conversion-kit's path is the one that matters: contract validation, dedup by `order_id` in a ledger
 * already at its full size (500 keys), the `beacon` destination persisting its queue, and a flush to
 * the collector. Segment's: `analytics.track('Order Completed', props)` through its plugins to its
 * Segment.io destination. Each round times a block of purchases for both, in alternating order.
 */
import { AnalyticsBrowser } from '@segment/analytics-next';
import { createTracker } from '../src/core/index';
import { beacon } from '../src/destinations/index';
import { contract } from '../test/fixtures/contract';

/** The milliseconds each round's block took, per side. */
export interface TrackTimes {
  readonly kitMs: number[];
  readonly segmentMs: number[];
}

/** Runs `rounds` interleaved rounds of `block` purchases per side, after three rounds of warm-up. */
export async function compareTrack(rounds: number, block: number): Promise<TrackTimes> {
  const [analytics] = await AnalyticsBrowser.load(
    { writeKey: 'bench', cdnSettings: { integrations: { 'Segment.io': { apiKey: 'bench' } } } as never },
    { disableClientPersistence: true },
  );
  const tracker = createTracker({ contract, destinations: [beacon({ url: `${location.origin}/api/collect` })] });
  let order = 0;
  const purchase = () => tracker.track('purchase_completed', { order_id: `B-${order++}`, value: 129, currency: 'EUR' });
  // The ledger at its full size: 500 orders already counted.
  for (let i = 0; i < 500; i++) purchase();
  await tracker.flush();

  const kit = async () => {
    const started = performance.now();
    for (let i = 0; i < block; i++) {
      if (purchase().status !== 'sent') throw new Error('a new order was not sent');
    }
    await tracker.flush();
    return performance.now() - started;
  };
  let segmentOrder = 0;
  const segment = async () => {
    const started = performance.now();
    const sends = [];
    for (let i = 0; i < block; i++) {
      sends.push(analytics.track('Order Completed', { order_id: `S-${segmentOrder++}`, revenue: 129, currency: 'EUR' }));
    }
    await Promise.all(sends);
    return performance.now() - started;
  };
  /**
   * Lets the event loop turn, as it does on a page between a user's actions: the timers either side
   * left (jsdom schedules one per localStorage write, holding the old and new values, to tell other
   * windows) run here, outside both timings. Without it they pile up over the rounds, each keeping its
   * strings, and whichever side next waits on a timer runs them all.
   */
  const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

  // Warm-up: JIT, Segment's lazy plugins.
  for (let i = 0; i < 3; i++) {
    await kit();
    await segment();
  }
  const times: TrackTimes = { kitMs: [], segmentMs: [] };
  for (let round = 0; round < rounds; round++) {
    await turn();
    if (round % 2 === 0) {
      times.kitMs.push(await kit());
      await turn();
      times.segmentMs.push(await segment());
    } else {
      times.segmentMs.push(await segment());
      await turn();
      times.kitMs.push(await kit());
    }
  }
  return times;
}

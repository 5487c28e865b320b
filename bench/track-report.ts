import type { TrackTimes } from './track-compare';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Prints the medians of a side-by-side of `track()` and their ratio, the figure the goal (10x) is about. */
export function reportTrack(title: string, { kitMs, segmentMs }: TrackTimes, block: number, requests: number): void {
  const perSecond = (ms: number) => Math.round((block / ms) * 1000);
  const ratio = median(segmentMs) / median(kitMs);
  console.log(title);
  console.table([
    { library: 'conversion-kit (validate, dedup by order_id at 500 keys, beacon, flush)', 'events/s': perSecond(median(kitMs)) },
    { library: '@segment/analytics-next (track to its Segment.io destination)', 'events/s': perSecond(median(segmentMs)) },
  ]);
  console.log(`ratio: ${ratio.toFixed(1)}x (goal >= 10x) ${ratio >= 10 ? 'met' : 'NOT met'}; ${requests} stubbed requests`);
}

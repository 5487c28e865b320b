import type { EventCount } from '../core/describe-records';
import type { TrackingRecord } from '../core/records';

type Count = { -readonly [K in keyof EventCount]: EventCount[K] };

/**
 * The debugger's counts per event, kept as records arrive rather than recomputed from the records
 * the tracker keeps (its last 200): exact for the page's lifetime, in memory proportional to the
 * events and the calls still held for consent. Same columns as `countDecisions`.
 */
export interface DecisionCounter {
  /** Counts the records it has not seen yet (by `seq`): calling it twice with a record counts it once. */
  add(records: readonly TrackingRecord[]): void;
  /** The counts, in the order events first appeared: a cached, immutable snapshot. */
  counts(): readonly EventCount[];
  /** Starts again from zero (the debugger's "Clear the list"). */
  clear(): void;
}

export function createDecisionCounter(): DecisionCounter {
  let seen = 0;
  let counts = new Map<string, Count>();
  // Calls held for consent, by event id, with how many destinations still wait for them.
  let held = new Map<string, { count: Count; waiting: number }>();
  let snapshot: readonly EventCount[] | undefined;

  const countOf = (event: string, conversion: boolean) => {
    let count = counts.get(event);
    if (!count) counts.set(event, (count = { event, conversion, counted: 0, held: 0, dropped: 0, duplicates: 0, rejected: 0 }));
    count.conversion ||= conversion;
    return count;
  };

  return {
    add(records) {
      for (const record of records) {
        if (record.seq <= seen) continue;
        seen = record.seq;
        snapshot = undefined;
        const { type, event, eventId } = record;
        const conversion = 'envelope' in record && record.envelope.conversion;
        if (type === 'sent') countOf(event, conversion).counted += 1;
        else if (type === 'duplicate') countOf(event, conversion).duplicates += 1;
        else if (type === 'invalid') countOf(event, false).rejected += 1;
        else if (type === 'queued') {
          const count = countOf(event, conversion);
          count.held += 1;
          held.set(eventId, { count, waiting: record.destinations.length });
        } else {
          // A held call is counted once a destination got (or tried) it, dropped once every
          // destination it waited for gave it up.
          const entry = held.get(eventId);
          if (!entry || (type === 'dropped' && --entry.waiting > 0)) continue;
          held.delete(eventId);
          entry.count.held -= 1;
          entry.count[type === 'dropped' ? 'dropped' : 'counted'] += 1;
        }
      }
    },
    counts: () => (snapshot ??= [...counts.values()].map((count) => ({ ...count }))),
    clear() {
      counts = new Map();
      held = new Map();
      snapshot = undefined;
    },
  };
}

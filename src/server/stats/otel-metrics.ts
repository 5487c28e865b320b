import type { StatsUpdate } from './stats-store';

// The few parts of @opentelemetry/api used here, written out so that the package's types never
// depend on it: it is an optional peer dependency.
type Attributes = Record<string, string | boolean>;
interface Counter {
  add(value: number, attributes?: Attributes): void;
}
interface Meter {
  createCounter(name: string, options?: { description?: string; unit?: string }): Counter;
}
interface MeterProvider {
  getMeter(name: string, version?: string): Meter;
}
interface OpenTelemetryApi {
  metrics: { getMeterProvider(): MeterProvider };
}

/**
 * The counters as OpenTelemetry instruments (documented in docs/stats.md): events by outcome,
 * deliveries by destination and outcome, match keys by destination, events seen from both sides.
 */
interface Instruments {
  readonly events: Counter;
  readonly deliveries: Counter;
  readonly matchKeys: Counter;
  readonly seenBoth: Counter;
}

/** The outcomes of `conversion_kit.events`: the collector's answer for each envelope. */
const EVENT_OUTCOMES = new Set(['accepted', 'duplicate', 'pending', 'skipped', 'failed']);

function instrumentsOf(provider: MeterProvider): Instruments {
  const meter = provider.getMeter('conversion-kit');
  return {
    events: meter.createCounter('conversion_kit.events', {
      description: 'Events the collector or the server tracker answered, by event, release, source and outcome (rejected with its reason)',
      unit: '{event}',
    }),
    deliveries: meter.createCounter('conversion_kit.deliveries', {
      description: 'Deliveries to a server destination, by destination, event, source and outcome',
      unit: '{event}',
    }),
    matchKeys: meter.createCounter('conversion_kit.match_keys', {
      description: 'Delivered events that carried a match key, by destination, event, source and key',
      unit: '{event}',
    }),
    seenBoth: meter.createCounter('conversion_kit.seen_both', {
      description: 'Conversions reported by this source after the other source reported them, by event, release, source and whether a destination had it already',
      unit: '{event}',
    }),
  };
}

/** Records one request's counters on the instruments. */
function record(instruments: Instruments, updates: readonly StatsUpdate[]): void {
  for (const { event, release, source, counts } of updates) {
    for (const name in counts) {
      const value = counts[name]!;
      if (EVENT_OUTCOMES.has(name)) {
        instruments.events.add(value, { event, release, source, outcome: name });
      } else if (name.startsWith('rejected:')) {
        instruments.events.add(value, { event, release, source, outcome: 'rejected', reason: name.slice(9) });
      } else if (name.startsWith('dest:')) {
        const keyAt = name.indexOf(':key:');
        if (keyAt > 0) {
          instruments.matchKeys.add(value, { destination: name.slice(5, keyAt), event, source, key: name.slice(keyAt + 5) });
        } else {
          const outcomeAt = name.lastIndexOf(':');
          instruments.deliveries.add(value, { destination: name.slice(5, outcomeAt), event, source, outcome: name.slice(outcomeAt + 1) });
        }
      } else if (name === 'seen_both') {
        const deduplicated = counts.seen_both_deduplicated ?? 0;
        if (value > deduplicated) instruments.seenBoth.add(value - deduplicated, { event, release, source, deduplicated: false });
        if (deduplicated > 0) instruments.seenBoth.add(deduplicated, { event, release, source, deduplicated: true });
      }
      // `received` is the sum of the outcomes, `rejected` of its reasons; `issue:` names are free
      // text, too many distinct values for metric attributes: they stay in the stats store.
    }
  }
}

/** How many requests' updates wait for the API to load, at most. */
const MAX_QUEUED = 1000;

/**
 * A recorder of stats updates as OpenTelemetry metrics. `@opentelemetry/api` is loaded once, lazily:
 * without it nothing more happens. The global meter provider is looked up at each record, so an SDK
 * registered after the collector was created is used too; while none is (the API's no-op provider),
 * nothing is recorded, not even attributes built. Updates that arrive while the API loads are
 * recorded once it has, up to a thousand requests' worth. Never throws.
 */
export function openTelemetryRecorder(load: () => Promise<unknown> = loadApi): (updates: readonly StatsUpdate[]) => void {
  let api: OpenTelemetryApi | null | undefined;
  let provider: MeterProvider | undefined;
  let instruments: Instruments | null = null;
  // Called in a then: a runtime whose import() throws at once (a bundler's module runner) gets a rejection too.
  const loading = Promise.resolve().then(load).then(
    (loaded) => {
      const metrics = (loaded as Partial<OpenTelemetryApi> | undefined)?.metrics;
      api = typeof metrics?.getMeterProvider === 'function' ? (loaded as OpenTelemetryApi) : null;
    },
    () => {
      api = null;
    },
  );
  const safely = (updates: readonly StatsUpdate[]) => {
    if (!api) return;
    try {
      const current = api.metrics.getMeterProvider();
      if (current !== provider) {
        provider = current;
        // The API's stand-in until an SDK registers: nothing to record.
        instruments = (current as { constructor?: { name?: string } }).constructor?.name === 'NoopMeterProvider' ? null : instrumentsOf(current);
      }
      if (instruments) record(instruments, updates);
    } catch {
      // A metrics SDK that throws must not reach tracking.
    }
  };
  // Bounded: a process that only runs microtasks (calls in a tight loop) never lets the import finish.
  let queued = 0;
  return (updates) => {
    if (api !== undefined) return safely(updates);
    if (queued >= MAX_QUEUED) return;
    queued++;
    void loading.then(() => safely(updates));
  };
}

/** Imports @opentelemetry/api where it is installed; bundlers are told to leave the import alone. */
function loadApi(): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ '@opentelemetry/api');
}

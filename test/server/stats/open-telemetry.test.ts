import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { eventIdFor, randomEventId } from 'conversion-kit/core';
import { createCollector, createServerTracker, memoryDedupeStore, type ServerDestination } from 'conversion-kit/server';
import { contract } from '../../fixtures/contract';
import { batchOf, ORDER, purchaseEnvelope } from '../envelopes';

// A real SDK, registered globally as an app would, with the in-memory exporter of its tests.
const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
const provider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(provider);
afterAll(async () => {
  await provider.shutdown();
  metrics.disable();
});

/** Every data point of `name` exported so far, as its attributes and value. */
async function points(name: string) {
  exporter.reset();
  await provider.forceFlush();
  return exporter
    .getMetrics()
    .flatMap((resource) => resource.scopeMetrics)
    .flatMap((scope) => scope.metrics)
    .filter((metric) => metric.descriptor.name === name)
    .flatMap((metric) => metric.dataPoints.map((point) => ({ ...point.attributes, value: point.value as number })));
}

describe('the counters as OpenTelemetry metrics', () => {
  it('records events by outcome, deliveries by destination, match keys and seen_both, with documented attributes', async () => {
    const failing: ServerDestination = { name: 'meta', consent: 'ads', send: () => Promise.reject(Object.assign(new Error('400'), { retryable: false })) };
    const ga4: ServerDestination = { name: 'ga4', consent: 'analytics', send() {} };
    const store = memoryDedupeStore();
    const collector = createCollector({ contract, store, destinations: [ga4, failing], consent: () => undefined, onError: () => {} });
    const server = createServerTracker({ contract, store, destinations: [ga4], release: 'api-1' });
    const order = { eventId: eventIdFor('purchase_completed', 'O-1'), dedupeKey: 'O-1', payload: { ...ORDER, order_id: 'O-1' }, release: 'web-1' };
    await server.track('purchase_completed', { ...ORDER, order_id: 'O-1' }, { userData: { email: 'ada@example.com' } });
    const body = batchOf(purchaseEnvelope(order), purchaseEnvelope({ event: 'lead_submitted', eventId: randomEventId(), dedupeKey: null, payload: { form_id: '' } as never, release: 'web-1' }));
    await collector(new Request('https://shop.example/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));

    await vi.waitFor(async () => expect(await points('conversion_kit.seen_both')).toHaveLength(1), { timeout: 3000, interval: 20 });
    const events = await points('conversion_kit.events');
    expect(events).toEqual(
      expect.arrayContaining([
        { event: 'purchase_completed', release: 'api-1', source: 'server', outcome: 'accepted', value: 1 },
        { event: 'purchase_completed', release: 'web-1', source: 'client', outcome: 'failed', value: 1 },
        { event: 'lead_submitted', release: 'web-1', source: 'client', outcome: 'rejected', reason: 'invalid_payload', value: 1 },
      ]),
    );
    expect(events).toHaveLength(3);
    expect(await points('conversion_kit.deliveries')).toEqual(
      expect.arrayContaining([
        { destination: 'ga4', event: 'purchase_completed', source: 'server', outcome: 'delivered', value: 1 },
        { destination: 'ga4', event: 'purchase_completed', source: 'client', outcome: 'duplicate', value: 1 },
        { destination: 'meta', event: 'purchase_completed', source: 'client', outcome: 'failed', value: 1 },
      ]),
    );
    expect(await points('conversion_kit.match_keys')).toContainEqual({ destination: 'ga4', event: 'purchase_completed', source: 'server', key: 'em', value: 1 });
    expect(await points('conversion_kit.seen_both')).toEqual([{ event: 'purchase_completed', release: 'web-1', source: 'client', deduplicated: true, value: 1 }]);
  });

  it('records nothing with openTelemetry: false', async () => {
    const before = (await points('conversion_kit.events')).reduce((sum, point) => sum + point.value, 0);
    const collector = createCollector({ contract, store: memoryDedupeStore(), consent: () => undefined, openTelemetry: false });
    await collector(new Request('https://shop.example/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(purchaseEnvelope({ eventId: eventIdFor('purchase_completed', 'X'), dedupeKey: 'X', payload: { ...ORDER, order_id: 'X' } })) }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await points('conversion_kit.events')).reduce((sum, point) => sum + point.value, 0)).toBe(before);
  });
});

describe('an SDK registered after the collector was created', () => {
  it('is used from then on; before it, nothing is recorded', async () => {
    metrics.disable(); // no SDK
    const collector = createCollector({ contract, store: memoryDedupeStore(), consent: () => undefined, destinations: [{ name: 'ga4', consent: 'none', send() {} }] });
    const post = (order: string) =>
      collector(new Request('https://shop.example/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(purchaseEnvelope({ eventId: eventIdFor('purchase_completed', order), dedupeKey: order, payload: { ...ORDER, order_id: order }, release: 'late' })) }));
    await post('L-1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const lateExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const lateProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: lateExporter, exportIntervalMillis: 60_000 })] });
    expect(metrics.setGlobalMeterProvider(lateProvider)).toBe(true);
    try {
      await post('L-2');
      await vi.waitFor(async () => {
        await lateProvider.forceFlush();
        const accepted = lateExporter.getMetrics().flatMap((r) => r.scopeMetrics).flatMap((m) => m.metrics).filter((m) => m.descriptor.name === 'conversion_kit.events').flatMap((m) => m.dataPoints as { attributes: Record<string, unknown>; value: unknown }[]);
        expect(accepted.map((point) => [point.attributes.release, point.value])).toEqual([['late', 1]]);
      }, { timeout: 3000, interval: 20 });
    } finally {
      await lateProvider.shutdown();
      metrics.disable();
    }
  });
});

describe('without @opentelemetry/api', () => {
  it('records nothing and never throws, when the import fails or the API is not what it expects', async () => {
    const { openTelemetryRecorder } = await import('../../../src/server/stats/otel-metrics');
    const update = { hour: 0, event: 'purchase_completed', release: '', source: 'client' as const, counts: { accepted: 1 } };
    const throwsAtOnce = (): Promise<unknown> => {
      throw new TypeError("Cannot read properties of undefined (reading 'wrapDynamicImport')");
    };
    for (const load of [throwsAtOnce, () => Promise.reject(new Error("Cannot find package '@opentelemetry/api'")), () => Promise.resolve({}), () => Promise.resolve({ metrics: { getMeterProvider: () => ({ getMeter: () => ({ createCounter: () => ({ add: () => { throw new Error('sdk bug'); } }) }) }) } }), () => Promise.resolve({ metrics: { getMeterProvider: () => ({ getMeter: () => { throw new Error('no meter'); } }) } })]) {
      let record: (updates: readonly (typeof update)[]) => void = () => {};
      expect(() => (record = openTelemetryRecorder(load))).not.toThrow();
      expect(() => record([update])).not.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(() => record([update])).not.toThrow();
    }
  });
});

describe('while @opentelemetry/api loads', () => {
  it('keeps at most a thousand requests of updates waiting, then records them once it has loaded', async () => {
    const { openTelemetryRecorder } = await import('../../../src/server/stats/otel-metrics');
    let loaded: ((api: unknown) => void) | undefined;
    const added: number[] = [];
    const counter = { add: (value: number) => void added.push(value) };
    const provider = { getMeter: () => ({ createCounter: () => counter }) };
    const record = openTelemetryRecorder(() => new Promise((resolve) => (loaded = resolve)));
    const update = { hour: 0, event: 'purchase_completed', release: '', source: 'client' as const, counts: { accepted: 1 } };
    // A process calling the collector in a tight loop: the import cannot finish meanwhile.
    for (let i = 0; i < 5000; i++) record([update]);
    await vi.waitFor(() => expect(loaded).toBeTypeOf('function'));
    loaded!({ metrics: { getMeterProvider: () => provider } });
    await vi.waitFor(() => expect(added).toHaveLength(1000));
    record([update]);
    expect(added).toHaveLength(1001);
  });
});

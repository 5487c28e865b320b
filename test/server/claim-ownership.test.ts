import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createCollector,
  createServerTracker,
  ga4MeasurementProtocol,
  redisDedupeStore,
  type ServerDestination,
  type ServerTrackResult,
} from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { ORDER } from './envelopes';
import { startPlatform, type Platform } from './platform';

const connect = () => createClient({ url: inject('redisUrl') }).connect();
let clients: Awaited<ReturnType<typeof connect>>[];
let platform: Platform;
beforeAll(async () => {
  clients = await Promise.all([connect(), connect()]);
  platform = await startPlatform();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await platform.close();
});

const LEASE = { leaseMs: 300, dedupeWindowMs: 60_000 };
const statuses = (results: ServerTrackResult[]) => results.flatMap((result) => result.destinations.map((d) => d.status));

/** Two server instances, each with its own Redis connection, sharing one ledger. */
function instances(destination: (instance: number) => ServerDestination) {
  const prefix = `owner:${process.pid}:${Date.now()}:${Math.random()}:`;
  return clients.map((client, i) =>
    createServerTracker({ contract, store: redisDedupeStore(client, { prefix }), destinations: [destination(i)], ...LEASE }),
  );
}

describe('a delivery that outlasts its lease (two instances, one real Redis)', () => {
  it('is cut off before the lease ends, so only the instance that reports later counts it delivered', async () => {
    platform.answer = (request) => ({ status: 200, delayMs: request.query.instance === '0' ? 1000 : 0 });
    // A destination without its own time limit: it posts with the signal the forwarder hands it.
    const [first, second] = instances((i) => ({
      name: 'warehouse',
      consent: 'none',
      async send(envelope, { signal }) {
        const response = await fetch(`${platform.url}/load?instance=${i}`, { method: 'POST', body: JSON.stringify(envelope), signal });
        if (!response.ok) throw new Error(`warehouse answered ${response.status}`);
      },
    }));
    const slow = first!.track('purchase_completed', ORDER);
    await new Promise((resolve) => setTimeout(resolve, LEASE.leaseMs + 100)); // the first lease is over
    const later = await second!.track('purchase_completed', ORDER);
    expect(statuses([await slow, later]).sort()).toEqual(['delivered', 'failed']);
  });

  it('tells the caller the cut-off delivery failed and is worth reporting again', async () => {
    const [only] = instances(() => ({ name: 'stuck', consent: 'none', send: (_envelope, { signal }) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))) }));
    const result = await only!.track('purchase_completed', ORDER);
    expect(result.destinations).toEqual([
      { destination: 'stuck', status: 'failed', retryable: true, reason: expect.stringContaining('did not finish within the dedup lease') },
    ]);
  });

  it('is cut off even when the destination ignores the signal, and the event is free again', async () => {
    const [stuck, survivor] = instances((i) => ({
      name: 'crm',
      consent: 'none',
      send: () => (i === 0 ? new Promise<void>(() => {}) : undefined),
    }));
    expect((await stuck!.track('purchase_completed', ORDER)).status).toBe('failed');
    expect((await survivor!.track('purchase_completed', ORDER)).status).toBe('sent');
  });
});

describe('retry policies that cannot finish within the lease', () => {
  const slowGa4 = () => ga4MeasurementProtocol({ measurementId: 'G-1', apiSecret: 's', endpoint: platform.url, timeoutMs: 5000, retries: 2 });

  it('are refused when the collector is created, naming the numbers and the fix', () => {
    const store = redisDedupeStore(clients[0]!);
    expect(() => createCollector({ contract, store, destinations: [slowGa4()], leaseMs: 10_000, consent: () => undefined })).toThrow(
      /ga4-measurement-protocol may take up to 35000 ms .* leaseMs 10000 .*raise leaseMs, or lower timeoutMs, retries or maxRetryAfterMs/,
    );
  });

  it('are refused when the server tracker is created', () => {
    expect(() => createServerTracker({ contract, store: redisDedupeStore(clients[0]!), destinations: [slowGa4()], leaseMs: 10_000 })).toThrow(
      'ga4-measurement-protocol may take up to 35000 ms',
    );
  });

  it('are accepted when the claim lasts the whole window (no lease to outlast)', () => {
    const store = redisDedupeStore(clients[0]!);
    expect(() => createServerTracker({ contract, store, destinations: [slowGa4()], leaseMs: 60_000, dedupeWindowMs: 60_000 })).not.toThrow();
  });
});

import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { eventIdFor, randomEventId } from 'conversion-kit/core';
import {
  createCollector,
  HOUR_MS,
  hourOf,
  redisDedupeStore,
  redisStatsStore,
  type RedisCommands,
  type ServerDestination,
  type StatsRow,
} from 'conversion-kit/server';
import { contract } from '../../fixtures/contract';
import { batchOf, ORDER, purchaseEnvelope } from '../envelopes';

const connect = () => createClient({ url: inject('redisUrl') }).connect();
type Client = Awaited<ReturnType<typeof connect>>;
let clients: Client[];
let run = 0;
const prefix = () => `stats:${process.pid}:${Date.now()}:${run++}:`;
const T0 = Date.parse('2026-12-04T16:00:00Z');
const waitFor = (check: () => unknown) => vi.waitFor(check, { timeout: 3000, interval: 10 });

beforeAll(async () => {
  clients = await Promise.all([connect(), connect()]);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
});

/** The client's `eval`, counted. */
function counted(client: Client): RedisCommands & { calls: number } {
  const commands = { calls: 0, eval: (script: string, options: { keys: string[]; arguments: string[] }) => (commands.calls++, client.eval(script, options)) };
  return commands;
}

const row = (hour: number, counts: Record<string, number>, extra: object = {}) => ({ hour, event: 'purchase_completed', release: 'v1', source: 'client' as const, counts, ...extra });
const sortRows = (rows: readonly StatsRow[]) => [...rows].sort((a, b) => a.hour - b.hour || a.release.localeCompare(b.release) || a.source.localeCompare(b.source));

describe('redisStatsStore', () => {
  it('sums counts per hour, event, release and source, keeps the last note, and reads an hour range', async () => {
    const stats = redisStatsStore(clients[0]!, { prefix: prefix() });
    await stats.add([row(T0, { received: 2, accepted: 1 }, { notes: { 'last_error:ga4': 'answered 500' } }), row(T0, { received: 1 }, { release: 'v2', event: '' })]);
    await stats.add([row(T0, { received: 1, 'dest:ga4:delivered': 1 }, { notes: { 'last_error:ga4': 'answered 503' } }), row(T0, { received: 4 }, { source: 'server' })]);
    await stats.add([row(T0 - 3 * HOUR_MS, { received: 9 })]);
    const rows = sortRows(await stats.read({ from: T0 - HOUR_MS, to: T0 }));
    expect(rows).toEqual([
      { hour: T0, event: 'purchase_completed', release: 'v1', source: 'client', counts: { received: 3, accepted: 1, 'dest:ga4:delivered': 1 }, notes: { 'last_error:ga4': 'answered 503' } },
      { hour: T0, event: 'purchase_completed', release: 'v1', source: 'server', counts: { received: 4 }, notes: {} },
      { hour: T0, event: '', release: 'v2', source: 'client', counts: { received: 1 }, notes: {} },
    ]);
    expect(await stats.read({ from: T0 - 3 * HOUR_MS, to: T0 - 3 * HOUR_MS })).toHaveLength(1);
  });

  it('writes all the rows of one add in one eval, and sets the retention TTL on every key', async () => {
    const commands = counted(clients[0]!);
    const keyPrefix = prefix();
    const stats = redisStatsStore(commands, { prefix: keyPrefix, ttlMs: 10 * 24 * HOUR_MS });
    await stats.add([row(T0, { received: 1 }), row(T0, { received: 1 }, { release: 'v2' }), row(T0, { received: 1 }, { event: 'lead_submitted' })]);
    expect(commands.calls).toBe(1);
    const keys = await clients[0]!.keys(`${keyPrefix}*`);
    expect(keys).toHaveLength(4); // the hour's index and three rows
    for (const key of keys) {
      const ttl = await clients[0]!.pTTL(key);
      expect(ttl).toBeGreaterThan(10 * 24 * HOUR_MS - 60_000);
      expect(ttl).toBeLessThanOrEqual(10 * 24 * HOUR_MS);
    }
  });

  it('merges the adds that arrive while a call is under way into one call', async () => {
    const commands = counted(clients[0]!);
    const stats = redisStatsStore(commands, { prefix: prefix() });
    await Promise.all(Array.from({ length: 30 }, (_, i) => stats.add([row(T0, { received: 1 }), row(T0, { received: 1 }, { release: `v${i % 3}`, source: 'server' })])));
    expect(commands.calls).toBeLessThanOrEqual(2);
    const rows = await stats.read({ from: T0, to: T0 });
    expect(rows.find((r) => r.source === 'client')?.counts).toEqual({ received: 30 });
    expect(rows.filter((r) => r.source === 'server').map((r) => r.counts.received)).toEqual([10, 10, 10]);
  });

  it('keeps at most 20 distinct issue counters per row, like the memory store', async () => {
    const stats = redisStatsStore(clients[0]!, { prefix: prefix() });
    for (let i = 0; i < 25; i++) await stats.add([row(T0, { rejected: 1, [`issue:purchase_completed.f${i}: bad`]: 1 })]);
    await stats.add([row(T0, { 'issue:purchase_completed.f0: bad': 1 })]);
    const [found] = await stats.read({ from: T0, to: T0 });
    const issues = Object.entries(found!.counts).filter(([name]) => name.startsWith('issue:'));
    expect(issues).toHaveLength(20);
    expect(found!.counts['issue:purchase_completed.f0: bad']).toBe(2);
    expect(found!.counts.rejected).toBe(25);
  });

  it('fails add within timeoutMs when Redis does not answer', async () => {
    const stats = redisStatsStore({ eval: () => new Promise(() => {}) }, { timeoutMs: 50 });
    await expect(stats.add([row(T0, { received: 1 })])).rejects.toThrow(/Redis did not answer the stats script within 50 ms/);
  });
});

describe('two collectors sharing one Redis stats store', () => {
  it('merge their counts, and each request is one eval on the stats client', async () => {
    const keyPrefix = prefix();
    const noop: ServerDestination = { name: 'noop', consent: 'none', send() {} };
    const commands = clients.map(counted);
    const collectors = clients.map((client, i) =>
      createCollector({
        contract,
        store: redisDedupeStore(client, { prefix: `${keyPrefix}dedupe:` }),
        destinations: [noop],
        consent: () => undefined,
        stats: redisStatsStore(commands[i]!, { prefix: keyPrefix }),
      }),
    );
    const post = (i: number, ...events: unknown[]) =>
      collectors[i]!(new Request('https://shop.example/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(...events) })).then((r) => r.json());
    const order = (id: string) => purchaseEnvelope({ eventId: eventIdFor('purchase_completed', id), dedupeKey: id, payload: { ...ORDER, order_id: id }, release: 'v3' });
    const lead = (form_id: string) => purchaseEnvelope({ event: 'lead_submitted', eventId: randomEventId(), dedupeKey: null, payload: { form_id } as never, release: 'v3' });

    await Promise.all([post(0, order('M-1'), lead('a')), post(1, order('M-1'), lead('')), post(1, order('M-2'))]);
    await post(0, lead('b'), lead('c'));
    const now = Date.now();
    const read = () => redisStatsStore(clients[0]!, { prefix: keyPrefix }).read({ from: hourOf(now) - HOUR_MS, to: Date.now() });
    await waitFor(async () => expect((await read()).reduce((total, r) => total + (r.counts.received ?? 0), 0)).toBe(7));
    // At most one call per request (concurrent requests of one collector may share one).
    expect(commands[0]!.calls + commands[1]!.calls).toBeLessThanOrEqual(4);
    expect(commands[0]!.calls).toBeGreaterThanOrEqual(1);
    expect(commands[1]!.calls).toBeGreaterThanOrEqual(1);
    const rows = await read();
    const purchases = rows.filter((r) => r.event === 'purchase_completed');
    const leads = rows.filter((r) => r.event === 'lead_submitted');
    const sum = (list: StatsRow[], name: string) => list.reduce((total, r) => total + (r.counts[name] ?? 0), 0);
    // Rows of the same hour, event, release and source from both collectors are one row.
    expect(purchases.length).toBeGreaterThanOrEqual(1);
    expect(purchases.length).toBeLessThanOrEqual(2); // two when the requests straddled an hour
    expect(sum(purchases, 'received')).toBe(3);
    expect(sum(purchases, 'accepted') + sum(purchases, 'duplicate') + sum(purchases, 'pending')).toBe(3);
    expect(sum(purchases, 'accepted')).toBeGreaterThanOrEqual(2);
    expect(sum(leads, 'received')).toBe(4);
    expect(sum(leads, 'accepted')).toBe(3);
    expect(sum(leads, 'rejected:invalid_payload')).toBe(1);
  });
});

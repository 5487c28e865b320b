import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracker, memoryStorage, type Envelope } from 'conversion-kit/core';
import { beacon } from 'conversion-kit/destinations';
import { createCollector, createServerTracker, memoryDedupeStore, memoryStatsStore, toNodeHandler } from 'conversion-kit/server';
import { contract } from '../../fixtures/contract';
import { batchOf, ORDER, purchaseEnvelope } from '../envelopes';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('release', () => {
  it('travels from the browser tracker through the beacon to the collector, its destinations and its counts', async () => {
    const received: Envelope[] = [];
    const stats = memoryStatsStore();
    const collector = createCollector({ contract, store: memoryDedupeStore(), stats, consent: () => undefined, allowedOrigins: '*', destinations: [{ name: 'ga4', consent: 'none', send: (envelope) => void received.push(envelope) }] });
    server = createServer(toNodeHandler(collector));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`;
    const tracker = createTracker({ contract, storage: memoryStorage(), campaign: false, release: '2026.12.04+9f3c2a1', destinations: [beacon({ url, storage: memoryStorage(), flushIntervalMs: 5 })] });
    tracker.track('purchase_completed', ORDER);
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 5000 });
    expect(received[0]!.release).toBe('2026.12.04+9f3c2a1');
    await vi.waitFor(async () => expect((await stats.read({ from: 0, to: Date.now() }))[0]).toMatchObject({ release: '2026.12.04+9f3c2a1', counts: { accepted: 1 } }));
  });

  it('is left out of the envelope when the tracker has none', () => {
    const envelopes: Envelope[] = [];
    const tracker = createTracker({ contract, storage: memoryStorage(), campaign: false, destinations: [{ name: 'spy', send: (envelope) => void envelopes.push(envelope) }] });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(envelopes).toHaveLength(1);
    expect('release' in envelopes[0]!).toBe(false);
  });

  it.each([['too long', 'v'.repeat(65)], ['a space', 'v1 hotfix'], ['a colon', 'web:1'], ['a number', 42], ['empty', '']])(
    'rejects an envelope whose release is %s, naming the field',
    async (_, release) => {
      const collector = createCollector({ contract, store: memoryDedupeStore(), consent: () => undefined, stats: false });
      const response = await collector(new Request('https://shop.example/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf({ ...purchaseEnvelope(), release }) }));
      const body = await response.json();
      expect(response.status).toBe(400);
      expect(body.rejected[0].errors).toEqual([expect.stringMatching(/^purchase_completed\.release: expected a build id or version of 1 to 64 characters of A-Z a-z 0-9 \. _ \+ -, received /)]);
    },
  );

  it('is sent by the server tracker', async () => {
    const received: Envelope[] = [];
    const serverTracker = createServerTracker({ contract, store: memoryDedupeStore(), stats: false, release: 'api-7', destinations: [{ name: 'crm', consent: 'none', send: (envelope) => void received.push(envelope) }] });
    await serverTracker.track('lead_submitted', { form_id: 'demo' });
    expect(received[0]!.release).toBe('api-7');
  });
});

describe('release names posted by anyone', () => {
  it('counts at most 20 distinct releases an hour; later ones count together as (other), so forged names cannot grow the stats', async () => {
    const stats = memoryStatsStore();
    const collector = createCollector({ contract, store: memoryDedupeStore(), stats, openTelemetry: false });
    const forged = Array.from({ length: 30 }, (_, i) => ({ ...purchaseEnvelope(), release: `forged-${i}` }));
    const response = await collector(new Request('https://shop.example/api/collect', { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(...forged) }));
    expect(response.status).toBe(200);
    await vi.waitFor(async () => expect((await stats.read({ from: 0, to: Date.now() })).length).toBeGreaterThan(0));
    const rows = await stats.read({ from: 0, to: Date.now() });
    const releases = new Set(rows.map((row) => row.release));
    expect(releases.size).toBe(21);
    expect(releases.has('(other)')).toBe(true);
    expect(rows.reduce((sum, row) => sum + (row.counts.received ?? 0), 0)).toBe(30);
  });
});

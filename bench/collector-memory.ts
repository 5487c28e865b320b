/**
 * Collector memory under many distinct events: the heap must level off at what `maxKeys` allows,
 * whatever the number of events, with dedup leases on (the default). Sends EVENTS (default 1,000,000)
 * distinct purchases through the collector in-process (memory store, `maxKeys` 100 000, a no-op
 * destination) and prints the live heap after a full GC at checkpoints, and the bytes per kept key.
 * Exits 1 when the heap still grows past the store's bound (more than 15 % between the half-way
 * checkpoint and the end), or a kept claim costs more than 300 bytes, so `npm run bench` fails on a
 * leak. Needs `node --expose-gc`.
 */
import { eventIdFor } from 'conversion-kit/core';
import { createCollector, memoryDedupeStore, type ServerDestination } from 'conversion-kit/server';
import { contract } from '../test/fixtures/contract';

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const MAX_KEYS = 100_000;
const BATCH = 50;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const noop: ServerDestination = { name: 'noop', consent: 'none', send() {} };
const collector = createCollector({ contract, store: memoryDedupeStore({ maxKeys: MAX_KEYS }), destinations: [noop], consent: () => undefined });

const envelope = (order: string) => ({
  event: 'purchase_completed',
  eventId: eventIdFor('purchase_completed', order),
  dedupeKey: order,
  timestamp: Date.now(),
  payload: { order_id: order, value: 129, currency: 'EUR' },
  source: 'client',
});

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const baseline = heap();
const checkpoints = [EVENTS / 10, EVENTS / 4, EVENTS / 2, EVENTS].map(Math.round);
const rows: { events: number; heapMB: number; perKeptKey: number }[] = [];
let sent = 0;
for (const checkpoint of checkpoints) {
  while (sent < checkpoint) {
    const events = Array.from({ length: Math.min(BATCH, checkpoint - sent) }, (_, i) => envelope(`M-${sent + i}`));
    sent += events.length;
    const response = await collector(
      new Request('http://127.0.0.1/collect', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ v: 1, events }) }),
    );
    const answer = await response.json();
    if (answer.accepted !== events.length) throw new Error(`unexpected answer ${JSON.stringify(answer).slice(0, 200)}`);
  }
  const used = heap() - baseline;
  rows.push({ events: sent, heapMB: +(used / 2 ** 20).toFixed(1), perKeptKey: Math.round(used / Math.min(sent, MAX_KEYS)) });
}
console.log(`collector memory, memory store maxKeys ${MAX_KEYS}, leases on (live heap after GC, above the start):`);
console.table(rows);
const half = rows[2]!.heapMB;
const end = rows[3]!.heapMB;
const growth = (end - half) / half;
console.log(`growth from ${rows[2]!.events} to ${rows[3]!.events} events: ${(growth * 100).toFixed(1)} % (budget 15 %)`);
const perKey = rows[3]!.perKeptKey;
console.log(`heap per kept claim at the end: ${perKey} B (budget 300 B; key, expiry and the map's own slots)`);
if (growth > 0.15 || perKey > 300) {
  console.error(growth > 0.15 ? 'the collector heap still grows past the dedup store bound: a leak' : 'a kept claim costs more than 300 B');
  process.exit(1);
}

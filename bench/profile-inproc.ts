// Temporary: the collector's own CPU per event, in process, vs JSON.parse of the same body.
import { createCollector, memoryDedupeStore, type ServerDestination } from 'conversion-kit/server';
import { INCOMING } from '../src/server/collector/incoming';
import { contract } from '../test/fixtures/contract';
import { purchaseEnvelope } from './envelope';
const batch = Number(process.argv[2] ?? 50);
const noop: ServerDestination = { name: 'noop', consent: 'none', send() {} };
const collector = createCollector({ contract, store: memoryDedupeStore({ maxKeys: 2_000_000 }), destinations: [noop], consent: () => undefined, dedupeWindowMs: 600_000 }) as any;
const handle = collector[INCOMING];
let n = 0;
const make = () => JSON.stringify({ v: 1, events: Array.from({ length: batch }, () => purchaseEnvelope(`Q${n++}`)) });
const headers = new Headers({ 'content-type': 'application/json', 'user-agent': 'x' });
const incoming = (body: string) => ({ method: 'POST', url: 'http://x/collect', headers, connection: {}, readBody: async () => ({ ok: true, value: body }), request: () => new Request('http://x/collect', { method: 'POST', headers }) });
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const kit: number[] = [], ref: number[] = [];
const all = Array.from({ length: 7 }, () => Array.from({ length: Math.ceil(20000 / batch) }, make));
for (let round = 0; round < 7; round++) {
  const bodies = all[round]!;
  let t = performance.now();
  for (const body of bodies) JSON.parse(body);
  ref.push((bodies.length * batch) / ((performance.now() - t) / 1000));
  t = performance.now();
  for (const body of bodies) { const a = await handle(incoming(body)); if (a.status !== 200) throw new Error(a.body); }
  kit.push((bodies.length * batch) / ((performance.now() - t) / 1000));
}
console.log(`batch ${batch}: collector ${Math.round(median(kit))} ev/s, JSON.parse ${Math.round(median(ref))} ev/s, ratio ${(median(kit) / median(ref)).toFixed(3)}`);

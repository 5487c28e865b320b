// Temporary: loads one collector port for profiling.
import autocannon from 'autocannon';
import { purchaseEnvelope } from './envelope';
const [port, batch = '50', seconds = '8'] = process.argv.slice(2);
let n = 0;
const bodies = Array.from({ length: 3000 }, () => JSON.stringify({ v: 1, events: Array.from({ length: Number(batch) }, () => purchaseEnvelope(`P${process.pid}-${n++}`)) }));
let next = 0;
const result = await autocannon({ url: `http://127.0.0.1:${port}/collect`, connections: 10, duration: Number(seconds), requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (r) => ({ ...r, body: bodies[next++ % bodies.length]! }) }] });
console.log('events/s', (result.requests.total / Number(seconds)) * Number(batch), 'non2xx', result.non2xx);

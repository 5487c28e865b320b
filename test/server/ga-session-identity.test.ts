import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventIdFor, type Envelope } from 'conversion-kit/core';
import { createCollector, memoryDedupeStore, type ServerDestination } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { batchOf, purchaseEnvelope } from './envelopes';
import { serveHandler } from './platform';

// The collector keeps the GA4 session the beacon read from the `_ga_<container id>` cookie (digits),
// so GA4 MP can send it as session_id.
const forwarded: Envelope[] = [];
const recorder: ServerDestination = { name: 'recorder', consent: 'none', send: (envelope) => void forwarded.push(envelope) };
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  server = await serveHandler(createCollector({ contract, store: memoryDedupeStore(), destinations: [recorder], allowedOrigins: '*' }));
});
afterAll(() => server.close());

const post = (identity: Record<string, unknown>, orderId: string) =>
  fetch(`${server.url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: batchOf(purchaseEnvelope({ eventId: eventIdFor('purchase_completed', orderId), dedupeKey: orderId, payload: { order_id: orderId, value: 1, currency: 'EUR' }, identity: identity as Envelope['identity'] })),
  });

describe('collector and the GA4 session in identity', () => {
  it('forwards ga_session_id and ga_session_number with the envelope', async () => {
    const answer = await post({ ga_client_id: '468604437.1611708469', ga_session_id: '1746825440', ga_session_number: '14' }, 'S-1');
    expect(answer.status).toBe(200);
    expect(forwarded.at(-1)!.identity).toEqual({ ga_client_id: '468604437.1611708469', ga_session_id: '1746825440', ga_session_number: '14' });
  });

  it('refuses a session id that is not digits, naming the field', async () => {
    const answer = await post({ ga_session_id: 'abc' }, 'S-2');
    expect(JSON.stringify(await answer.json())).toContain('identity.ga_session_id: expected a string of at most 20 digits');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventIdFor, randomEventId, type Envelope } from 'conversion-kit/core';
import { createCollector, memoryDedupeStore, type ServerDestination } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { batchOf, purchaseEnvelope } from './envelopes';
import { serveHandler } from './platform';

const forwarded: Envelope[] = [];
const recorder: ServerDestination = { name: 'recorder', consent: 'none', send: (envelope) => void forwarded.push(envelope) };
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  const collector = createCollector({
    contract,
    store: memoryDedupeStore(),
    destinations: [recorder],
    allowedOrigins: ['https://shop.example'],
    maxBodyBytes: 2048,
    maxEvents: 5,
  });
  server = await serveHandler(collector);
});
afterAll(() => server.close());

const JSON_TYPE = { 'content-type': 'application/json' };
const good = () => purchaseEnvelope();
const withEnvelope = (changes: Record<string, unknown>) => batchOf({ ...good(), ...changes });

interface Case {
  name: string;
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  status: number;
  code: string;
  says: string;
}

const cases: Case[] = [
  { name: 'GET instead of POST', method: 'GET', status: 405, code: 'method_not_allowed', says: 'send the batch with POST' },
  { name: 'PUT instead of POST', method: 'PUT', headers: JSON_TYPE, body: batchOf(good()), status: 405, code: 'method_not_allowed', says: 'PUT is not accepted' },
  { name: 'DELETE', method: 'DELETE', status: 405, code: 'method_not_allowed', says: 'DELETE is not accepted' },
  { name: 'no content type', body: new TextEncoder().encode(batchOf(good())), status: 415, code: 'unsupported_media_type', says: 'content-type is missing' },
  { name: 'form-encoded body', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'v=1', status: 415, code: 'unsupported_media_type', says: 'application/x-www-form-urlencoded' },
  { name: 'multipart body', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--', status: 415, code: 'unsupported_media_type', says: 'multipart/form-data' },
  { name: 'JSON in UTF-16', headers: { 'content-type': 'application/json; charset=utf-16' }, body: batchOf(good()), status: 415, code: 'unsupported_media_type', says: 'charset is "utf-16"' },
  { name: 'body over the limit, declared', headers: JSON_TYPE, body: ' '.repeat(3000), status: 413, code: 'payload_too_large', says: 'limit of 2048 bytes' },
  {
    name: 'endless upload without a length (refused while reading)',
    headers: JSON_TYPE,
    body: new ReadableStream({ pull: (c) => { c.enqueue(new Uint8Array(1500).fill(32)); } }),
    status: 413,
    code: 'payload_too_large',
    says: 'limit of 2048 bytes',
  },
  { name: 'invalid UTF-8', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), status: 400, code: 'invalid_encoding', says: 'not valid UTF-8' },
  { name: 'empty body', headers: JSON_TYPE, body: '', status: 400, code: 'invalid_json', says: 'the body is empty' },
  { name: 'truncated JSON', headers: JSON_TYPE, body: '{"v":1,"events":[', status: 400, code: 'invalid_json', says: 'not valid JSON' },
  { name: 'a JSON array', headers: JSON_TYPE, body: '[]', status: 400, code: 'invalid_batch', says: 'the body is an array' },
  { name: 'JSON null', headers: JSON_TYPE, body: 'null', status: 400, code: 'invalid_batch', says: 'the body is null' },
  { name: 'a JSON string', headers: { 'content-type': 'text/plain' }, body: '"hello"', status: 400, code: 'invalid_batch', says: 'the body is a string' },
  { name: 'no version', headers: JSON_TYPE, body: JSON.stringify({ events: [good()] }), status: 400, code: 'unsupported_version', says: 'batch version is missing' },
  { name: 'unknown version 2', headers: JSON_TYPE, body: JSON.stringify({ v: 2, events: [good()] }), status: 400, code: 'unsupported_version', says: 'batch version 2' },
  { name: 'version as a string', headers: JSON_TYPE, body: JSON.stringify({ v: '1', events: [good()] }), status: 400, code: 'unsupported_version', says: 'batch version "1"' },
  { name: 'no events', headers: JSON_TYPE, body: JSON.stringify({ v: 1 }), status: 400, code: 'invalid_batch', says: '"events" is missing' },
  { name: 'events not an array', headers: JSON_TYPE, body: JSON.stringify({ v: 1, events: { 0: good() } }), status: 400, code: 'invalid_batch', says: 'expected an array' },
  { name: 'empty batch', headers: JSON_TYPE, body: JSON.stringify({ v: 1, events: [] }), status: 400, code: 'empty_batch', says: '"events" is empty' },
  { name: 'too many events', headers: JSON_TYPE, body: batchOf(...Array.from({ length: 6 }, () => ({}))), status: 400, code: 'too_many_events', says: 'the limit is 5' },
  { name: 'an envelope that is a number', headers: JSON_TYPE, body: batchOf(42), status: 400, code: 'invalid_events', says: 'expected an envelope object, received 42' },
  { name: 'an envelope that is null', headers: JSON_TYPE, body: batchOf(null), status: 400, code: 'invalid_events', says: 'expected an envelope object' },
  { name: 'unknown event', headers: JSON_TYPE, body: withEnvelope({ event: 'order_refunded', dedupeKey: null, eventId: randomEventId() }), status: 400, code: 'invalid_events', says: '"order_refunded" is not an event of the contract' },
  { name: 'event named after a prototype member', headers: JSON_TYPE, body: withEnvelope({ event: 'constructor', dedupeKey: null, eventId: randomEventId() }), status: 400, code: 'invalid_events', says: '"constructor" is not an event of the contract' },
  { name: 'payload field of the wrong type', headers: JSON_TYPE, body: withEnvelope({ payload: { order_id: 'A-1001', value: '129', currency: 'EUR' } }), status: 400, code: 'invalid_events', says: 'purchase_completed.value:' },
  { name: 'payload missing a required field', headers: JSON_TYPE, body: withEnvelope({ payload: { order_id: 'A-1001', value: 129 } }), status: 400, code: 'invalid_events', says: 'purchase_completed.currency:' },
  { name: 'payload that is not an object', headers: JSON_TYPE, body: withEnvelope({ payload: 'A-1001' }), status: 400, code: 'invalid_events', says: 'purchase_completed: Invalid input: expected object' },
  { name: 'eventId missing', headers: JSON_TYPE, body: withEnvelope({ eventId: undefined }), status: 400, code: 'invalid_events', says: 'purchase_completed.eventId: expected a UUID, received undefined' },
  { name: 'eventId that is not a UUID', headers: JSON_TYPE, body: withEnvelope({ event: 'lead_submitted', dedupeKey: null, eventId: 'lead-42', payload: { form_id: 'demo' } }), status: 400, code: 'invalid_events', says: 'lead_submitted.eventId: expected a UUID, received "lead-42"' },
  { name: 'eventId that is not eventIdFor(event, dedupeKey)', headers: JSON_TYPE, body: withEnvelope({ eventId: randomEventId() }), status: 400, code: 'invalid_events', says: `purchase_completed.eventId: expected ${eventIdFor('purchase_completed', 'A-1001')}, received` },
  { name: 'dedupeKey of the wrong type', headers: JSON_TYPE, body: withEnvelope({ dedupeKey: { id: 1 } }), status: 400, code: 'invalid_events', says: 'purchase_completed.dedupeKey: expected a string or null' },
  { name: 'timestamp as a date string', headers: JSON_TYPE, body: withEnvelope({ timestamp: '2026-01-01' }), status: 400, code: 'invalid_events', says: 'purchase_completed.timestamp: expected epoch milliseconds' },
  { name: 'unknown source', headers: JSON_TYPE, body: withEnvelope({ source: 'admin' }), status: 400, code: 'invalid_events', says: 'purchase_completed.source' },
  { name: 'campaign of the wrong shape', headers: JSON_TYPE, body: withEnvelope({ campaign: { first: 'google', last: null } }), status: 400, code: 'invalid_events', says: 'purchase_completed.campaign.first' },
  { name: 'identity of the wrong type', headers: JSON_TYPE, body: withEnvelope({ identity: { fbp: 42 } }), status: 400, code: 'invalid_events', says: 'purchase_completed.identity.fbp' },
  { name: 'cross-origin call from an origin not allowed', headers: { ...JSON_TYPE, origin: 'https://evil.example' }, body: batchOf(good()), status: 403, code: 'origin_not_allowed', says: 'https://evil.example' },
];

describe('the collector refuses malformed requests with a 4xx naming the problem', () => {
  it.each(cases)('$name: $status $code', async ({ method = 'POST', headers, body, status, code, says }) => {
    const response = await fetch(server.url, { method, headers, body, duplex: 'half' } as RequestInit);
    const answer = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(status);
    expect(answer.error.code).toBe(code);
    expect(answer.error.message).toContain(says);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(forwarded).toEqual([]);
  });

  it('still accepts a good batch afterwards: nothing above claimed the order', async () => {
    const response = await fetch(server.url, { method: 'POST', headers: JSON_TYPE, body: batchOf(good()) });
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, skipped: 0, rejected: [], failed: [], pending: [], notes: [] });
    expect(forwarded).toHaveLength(1);
  });
});

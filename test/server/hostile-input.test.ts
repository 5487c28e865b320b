import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector, memoryDedupeStore } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { batchOf, purchaseEnvelope } from './envelopes';
import { serveHandler } from './platform';
import { recording } from './recording';

// Hostile bodies over real HTTP: each must get a 4xx JSON answer, never a 500 or a broken pipe.

const ga4 = recording('ga4');
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  const collector = createCollector({ contract, store: memoryDedupeStore(), destinations: [ga4], consent: () => undefined, bodyTimeoutMs: 500 });
  server = await serveHandler(collector);
});
afterAll(() => server.close());

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('deeply nested values', () => {
  const envelopeWith = (field: string, value: string) => {
    const json = JSON.stringify(purchaseEnvelope());
    const replaced = json.replace(new RegExp(`"${field}":("[^"]*"|[0-9]+|null)`), `"${field}":${value}`);
    expect(replaced).not.toBe(json);
    return replaced;
  };

  it.each([
    ['the envelope', () => `{"v":1,"events":[${deep(5000)}]}`],
    ['eventId', () => `{"v":1,"events":[${envelopeWith('eventId', deep(5000))}]}`],
    ['dedupeKey', () => `{"v":1,"events":[${envelopeWith('dedupeKey', deep(5000))}]}`],
    ['timestamp', () => `{"v":1,"events":[${envelopeWith('timestamp', deep(5000))}]}`],
    ['identity.fbp', () => `{"v":1,"events":[${envelopeWith('fbp', deep(5000))}]}`],
    ['source', () => `{"v":1,"events":[${envelopeWith('source', deep(5000))}]}`],
  ])('a 5,000-deep array in %s gets a 400 that quotes it safely', async (_, body) => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
    expect(response.status).toBe(400);
    const answer = await response.json();
    expect(JSON.stringify(answer).length).toBeLessThan(2000);
  });
});

describe('uploads too large or too slow', () => {
  /** Writes `total` bytes chunked as fast as the socket takes them; resolves with the answer or the socket error. */
  const upload = (total: number) =>
    new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
      const url = new URL(server.url);
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', (error) => resolve({ error: error.message }));
      });
      req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let written = 0;
      const pump = () => {
        // Ignores back-pressure, as a hostile or careless client would.
        while (written < total) {
          written += chunk.length;
          req.write(chunk);
        }
        req.end();
      };
      req.write('{"v":1,"events":[');
      pump();
    });

  it('a fast chunked writer always reads the 413 (20 trials)', async () => {
    const results = [];
    for (let trial = 0; trial < 20; trial++) results.push(await upload(8 * 1024 * 1024));
    const statuses = results.map((result) => ('status' in result ? result.status : result.error));
    expect(statuses).toEqual(Array(20).fill(413));
    const first = results[0] as { body: string };
    expect(JSON.parse(first.body).error.code).toBe('payload_too_large');
  });

  it('a body that trickles in is cut off with 408 at bodyTimeoutMs', async () => {
    const url = new URL(server.url);
    const socket = connect(Number(url.port), url.hostname);
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (data) => (text += data));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
      socket.write('POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"v":1,');
      // One byte every 100 ms: under any per-chunk idle timeout, but never finishing.
      const drip = setInterval(() => socket.writable && socket.write(' '), 100);
      socket.on('close', () => clearInterval(drip));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toMatch(/body_timeout/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a non-positive bodyTimeoutMs at creation', () => {
    expect(() => createCollector({ contract, store: memoryDedupeStore(), bodyTimeoutMs: 0 })).toThrow(/bodyTimeoutMs/);
  });
});

describe('the collector still works after the attacks', () => {
  it('accepts a real purchase', async () => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(purchaseEnvelope()) });
    expect(await response.json()).toMatchObject({ accepted: 1 });
  });
});

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createCollector, memoryDedupeStore, toNodeHandler, type FetchHandler } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { batchOf, purchaseEnvelope } from './envelopes';
import { serveHandler } from './platform';
import { recording } from './recording';

let server: { url: string; close(): Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const readAll = (response: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    response.on('data', (chunk) => (text += chunk));
    response.on('end', () => resolve(text));
  });

describe('toNodeHandler', () => {
  it('serves the collector on node:http', async () => {
    server = await serveHandler(createCollector({ contract, store: memoryDedupeStore() }));
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: batchOf(purchaseEnvelope()) });
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, skipped: 0, rejected: [], failed: [], pending: [], notes: [] });
  });

  it('refuses an oversized upload as soon as it passes the limit, before the client finished sending', async () => {
    server = await serveHandler(createCollector({ contract, store: memoryDedupeStore(), maxBodyBytes: 1024 }));
    const { port } = new URL(server.url);
    // Chunked upload, no Content-Length; the request is never ended by the client.
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-type': 'application/json' } });
    request.on('error', () => {}); // the server closes the connection after answering
    const answered = new Promise<IncomingMessage>((resolve) => request.once('response', resolve));
    request.write(Buffer.alloc(3000, 0x20));
    const response = await answered;
    expect(response.statusCode).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(JSON.parse(await readAll(response)).error.code).toBe('payload_too_large');
    request.destroy();
  });

  it('hands the socket address to the handler as connection.remoteAddress', async () => {
    const echo: FetchHandler = async (_request, connection) => new Response(connection?.remoteAddress ?? 'none');
    server = await serveHandler(echo);
    expect(await (await fetch(server.url)).text()).toBe('127.0.0.1');
  });

  it('passes method, path, query and headers through', async () => {
    const echo: FetchHandler = async (request) =>
      Response.json({ method: request.method, url: request.url, type: request.headers.get('content-type'), body: await request.text() });
    server = await serveHandler(echo);
    const response = await fetch(`${server.url}/api/collect?x=1`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(await response.json()).toEqual({ method: 'POST', url: `${server.url}/api/collect?x=1`, type: 'text/plain', body: 'hi' });
  });

  it('keeps serving after a client aborts in the middle of its body', async () => {
    server = await serveHandler(createCollector({ contract, store: memoryDedupeStore() }));
    const { port } = new URL(server.url);
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '500' } });
    request.on('error', () => {});
    request.write('{"v":1,');
    await new Promise((resolve) => setTimeout(resolve, 30));
    request.destroy();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(purchaseEnvelope()) });
    expect(response.status).toBe(200);
  });

  it('answers 500 only when the handler itself throws (a bug, never bad input)', async () => {
    server = await serveHandler(async () => {
      throw new Error('bug');
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('internal_error');
  });
});

describe('toNodeHandler: what the collector\'s callbacks get', () => {
  it('hands consent a Fetch Request with the method, URL and headers, and decides by the cookie in it', async () => {
    const meta = recording('meta', 'ads');
    const seen: Record<string, unknown>[] = [];
    server = await serveHandler(
      createCollector({
        contract,
        store: memoryDedupeStore(),
        destinations: [meta],
        consent: (request) => {
          const copy = request.clone();
          seen.push({
            isRequest: request instanceof Request,
            method: request.method,
            url: request.url,
            cookie: request.headers.get('cookie'),
            body: request.body,
            signal: request.signal instanceof AbortSignal,
            copy: [copy.method, copy.url, copy.headers.get('cookie')],
          });
          return { ads: /cmp_ads=1/.test(request.headers.get('cookie') ?? '') ? 'granted' : 'denied' };
        },
      }),
    );
    const post = (cookie: string) =>
      fetch(`${server!.url}/collect?site=1`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: batchOf(purchaseEnvelope()) });
    expect((await (await post('cmp_ads=1; other=x')).json()).accepted).toBe(1);
    expect((await (await post('cmp_ads=0')).json()).skipped).toBe(1);
    expect(meta.received).toHaveLength(1);
    expect(seen[0]).toEqual({
      isRequest: true,
      method: 'POST',
      url: `${server.url}/collect?site=1`,
      cookie: 'cmp_ads=1; other=x',
      body: null,
      signal: true,
      copy: ['POST', `${server.url}/collect?site=1`, 'cmp_ads=1; other=x'],
    });
  });

  it('hands clientInfo.ipAddress the same request: a header read there reaches the destination', async () => {
    const meta = recording('meta', 'ads');
    server = await serveHandler(
      createCollector({
        contract,
        store: memoryDedupeStore(),
        destinations: [meta],
        consent: () => ({ ads: 'granted' }),
        clientInfo: { ipAddress: (request) => request.headers.get('x-forwarded-for')?.split(',')[0] },
      }),
    );
    await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7, 10.0.0.1' }, body: batchOf(purchaseEnvelope()) });
    expect(meta.received[0]?.context.client?.ipAddress).toBe('203.0.113.7');
  });
});

describe('toNodeHandler behind a body parser', () => {
  it('answers instead of hanging when the body was already consumed', async () => {
    const collector = toNodeHandler(createCollector({ contract, store: memoryDedupeStore() }));
    const { createServer } = await import('node:http');
    const consumedFirst = createServer((req, res) => {
      req.resume(); // what a body parser does
      req.on('end', () => collector(req, res));
    });
    await new Promise<void>((resolve) => consumedFirst.listen(0, '127.0.0.1', resolve));
    const { port } = consumedFirst.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(purchaseEnvelope()) });
    consumedFirst.closeAllConnections();
    consumedFirst.close();
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'mount toNodeHandler before express.json() or any body parser',
    );
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler, type FetchHandler } from 'conversion-kit/server';

/** One request a local platform received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingMessage['headers'];
  readonly body: any;
  /** When it arrived, in epoch ms. */
  readonly at: number;
}

/** A programmable answer: status, body, headers, and an optional delay before answering. */
export interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for GA4 MP, Meta CAPI or another collector: it records
 * every request and answers what `answer` says (default 200 `{}`).
 */
export interface Platform {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  answer: (request: ReceivedRequest, index: number) => Answer;
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startPlatform(): Promise<Platform> {
  const requests: ReceivedRequest[] = [];
  const platform: Platform = {
    url: '',
    requests,
    answer: () => ({ status: 200, body: {} }),
    close: () => closeServer(server),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: kept as text.
      }
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        at: Date.now(),
      };
      requests.push(received);
      const { status = 200, body: answer = {}, headers = {}, delayMs = 0 } = platform.answer(received, requests.length - 1);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(answer));
      }, delayMs);
    });
  });
  (platform as { url: string }).url = await listen(server);
  return platform;
}

/** Serves a Fetch handler (the collector) over node:http on 127.0.0.1. */
export async function serveHandler(handler: FetchHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(toNodeHandler(handler));
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}

/** Waits until `check` passes (for deliveries that finish after the call returned). */
export async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

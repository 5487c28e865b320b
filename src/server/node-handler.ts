import type { ConnectionInfo } from './collector';

// What toNodeHandler uses of node:http's IncomingMessage and ServerResponse, declared here so the
// server entry's types need no @types/node (a Next.js or edge app may have none). node:http's,
// Express's and Connect's objects are assignable to them.
interface IncomingMessage {
  method?: string | undefined;
  url?: string | undefined;
  headers: { host?: string | undefined };
  rawHeaders: string[];
  readableEnded: boolean;
  socket: { remoteAddress?: string | undefined };
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  once(event: 'end' | 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
}
interface ServerResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  setHeader(name: string, value: string | string[]): unknown;
  end(body?: Uint8Array): unknown;
}

/**
 * Any Fetch API handler; the collector is one.
 *
 * @example
 * const health: FetchHandler = async () => new Response('ok');
 */
export type FetchHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

/**
 * A node:http request listener (also an Express/Connect handler).
 *
 * @example
 * const listener: NodeHandler = toNodeHandler(collector);
 */
export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void;

const NO_BODY = new Set(['GET', 'HEAD']);
const BODY_CONSUMED =
  'the request body was already read by a body parser; mount toNodeHandler before express.json() or any body parser';

/**
 * Streams the request body: each chunk is read from the socket only when the handler asks for it, so
 * a handler that stops at its byte limit stops the reading there.
 */
function bodyOf(req: IncomingMessage, state: { complete: boolean }): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (req.readableEnded || (req as { body?: unknown }).body !== undefined) {
          // A body parser mounted before us already consumed the stream: say so, rather than let the
          // handler read an empty body (or wait for data that never comes).
          state.complete = true;
          open = false;
          controller.error(new Error(BODY_CONSUMED));
          return;
        }
        req.on('data', (chunk: Uint8Array) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => {
          state.complete = true;
          if (open) controller.close();
          open = false;
        });
        req.once('close', () => {
          if (open) controller.error(new Error('the client closed the connection before the body ended'));
          open = false;
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        open = false;
        req.pause();
      },
    },
    { highWaterMark: 16_384, size: (chunk) => chunk.byteLength },
  );
}

function toRequest(req: IncomingMessage, state: { complete: boolean }): Request {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    url = new URL(req.url?.startsWith('/') ? req.url : '/', 'http://localhost');
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    } catch {
      // A header the Fetch API refuses; the handler never needs it.
    }
  }
  const method = req.method ?? 'GET';
  if (NO_BODY.has(method)) {
    state.complete = true;
    return new Request(url, { method, headers });
  }
  return new Request(url, { method, headers, body: bodyOf(req, state), duplex: 'half' } as RequestInit);
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const state = { complete: false };
  let response: Response;
  try {
    response = await handler(toRequest(req, state), { remoteAddress: req.socket.remoteAddress });
  } catch {
    response = new Response(JSON.stringify({ error: { code: 'internal_error', message: 'the handler failed' } }), {
      status: 500,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  }
  const body = response.body ? new Uint8Array(await response.arrayBuffer()) : undefined;
  if (res.headersSent || res.destroyed) return;
  res.statusCode = response.status;
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') res.setHeader(key, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  // The handler answered before the body ended (over the limit, say): close the connection rather
  // than read the rest of an unwanted upload.
  if (!state.complete) res.setHeader('connection', 'close');
  res.end(body);
}

/**
 * Adapts a Fetch API handler (the collector) to node:http, Express or Connect. The body is streamed
 * to the handler as it arrives, so the collector's `maxBodyBytes` stops the upload once the limit is
 * passed; the answer then closes the connection. A body already read by a body parser mounted earlier
 * is an error naming the fix (the collector answers 400 `unreadable_body`). The socket's address is
 * handed over as `connection.remoteAddress` (used only if you opt in with the collector's
 * `clientInfo.ipAddress`).
 *
 * @example
 * import { createServer } from 'node:http';
 * createServer(toNodeHandler(collector)).listen(8787);
 *
 * @example
 * // Express: `all` so the CORS preflight (OPTIONS) reaches the collector too; before any body parser
 * app.all('/collect', toNodeHandler(collector));
 */
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  return (req, res) => {
    serve(handler, req, res).catch(() => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
}

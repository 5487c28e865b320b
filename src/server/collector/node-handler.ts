import type { Answer } from './collector-error';
import { INCOMING, type ConnectionInfo, type Incoming, type IncomingHandler } from './incoming';
import { bodyRefusals, decodeBody, type BatchLimits, type Read } from './read-batch';
import { requestHead } from './request-head';

// What toNodeHandler uses of node:http's IncomingMessage and ServerResponse, declared here so the
// server entry's types need no @types/node (a Next.js or edge app may have none). node:http's,
// Express's and Connect's objects are assignable to them.
interface IncomingMessage {
  method?: string | undefined;
  url?: string | undefined;
  headers: { host?: string | undefined; [name: string]: string | string[] | undefined };
  rawHeaders: string[];
  readableEnded: boolean;
  socket: { remoteAddress?: string | undefined };
  on(event: 'data', listener: (chunk: Uint8Array) => void): this;
  on(event: 'end' | 'close', listener: () => void): this;
  once(event: 'end' | 'close', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Uint8Array) => void): this;
  off(event: 'end' | 'close', listener: () => void): this;
  removeAllListeners(event: 'data'): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(): unknown;
}
interface ServerResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  setHeader(name: string, value: string | string[]): unknown;
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: Uint8Array | string): unknown;
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
  const url = urlOf(req);
  const headers = headersOf(req);
  const method = req.method ?? 'GET';
  if (NO_BODY.has(method)) {
    state.complete = true;
    return new Request(url, { method, headers });
  }
  return new Request(url, { method, headers, body: bodyOf(req, state), duplex: 'half' } as RequestInit);
}

const urlOf = (req: IncomingMessage) => {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    return new URL(req.url?.startsWith('/') ? req.url : '/', 'http://localhost');
  }
};

/**
 * Reads a node:http body straight from the socket, within the limits: a declared Content-Length over
 * `maxBodyBytes` is refused before reading, the reading stops as soon as the body passes it or takes
 * longer than `bodyTimeoutMs`, then strict UTF-8 decoding.
 */
function readNodeBody(req: IncomingMessage, state: { complete: boolean }, { maxBodyBytes, bodyTimeoutMs }: BatchLimits): Promise<Read<string>> {
  if (req.readableEnded || (req as { body?: unknown }).body !== undefined) {
    state.complete = true;
    return Promise.resolve(bodyRefusals.unreadable(BODY_CONSUMED));
  }
  if (Number(req.headers['content-length'] ?? NaN) > maxBodyBytes) return Promise.resolve(bodyRefusals.tooLarge(maxBodyBytes));
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const done = (result: Read<string>) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      if (!state.complete) req.pause();
      resolve(result);
    };
    const onData = (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (size > maxBodyBytes) done(bodyRefusals.tooLarge(maxBodyBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      state.complete = true;
      done(decodeBody(chunks, size));
    };
    const onClose = () => done(bodyRefusals.unreadable('the client closed the connection before the body ended'));
    const timer = setTimeout(() => done(bodyRefusals.timedOut(bodyTimeoutMs)), bodyTimeoutMs);
    req.on('data', onData).on('end', onEnd).on('close', onClose);
  });
}

/** The collector's view of a node:http request: headers read in place, a Fetch `Request` only if a callback asks. */
function incomingOf(req: IncomingMessage, state: { complete: boolean }): Incoming {
  let request: Request | undefined;
  return {
    method: req.method ?? 'GET',
    get url() {
      return urlOf(req).href;
    },
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    connection: { remoteAddress: req.socket.remoteAddress },
    readBody: (limits) => readNodeBody(req, state, limits),
    // The body is the collector's alone: callbacks get the head of the request, read as far as they read it.
    request: () => (request ??= requestHead({ method: req.method ?? 'GET', url: () => urlOf(req).href, headers: () => headersOf(req) })),
  };
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    } catch {
      // A header the Fetch API refuses; the handler never needs it.
    }
  }
  return headers;
}

/**
 * The handler answered before the body ended (over the limit, say): the connection closes rather
 * than read the rest of an unwanted upload. Until the answer is out, what still arrives is read and
 * dropped (for at most a second): closing a socket with unread data resets it, and the client may
 * then lose the answer (EPIPE instead of a readable 413).
 */
function dropRest(req: IncomingMessage, state: { complete: boolean }): void {
  if (state.complete) return;
  req.removeAllListeners('data');
  req.resume();
  const timer = setTimeout(() => req.destroy(), 1000) as { unref?: () => void };
  timer.unref?.();
}

/** Writes an answer; an upload the answer cut short is read and dropped, then the connection closes. */
function write(req: IncomingMessage, res: ServerResponse, state: { complete: boolean }, answer: Answer): void {
  if (res.headersSent || res.destroyed) return;
  const headers = state.complete ? answer.headers : { ...answer.headers, connection: 'close' };
  dropRest(req, state);
  res.writeHead(answer.status, headers);
  res.end(answer.body ?? undefined);
}

async function serveIncoming(handle: IncomingHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const state = { complete: NO_BODY.has(req.method ?? 'GET') };
  write(req, res, state, await handle(incomingOf(req, state)));
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
  if (!state.complete) res.setHeader('connection', 'close');
  dropRest(req, state);
  res.end(body);
}

/**
 * Adapts a Fetch API handler (the collector) to node:http, Express or Connect. The body is streamed
 * to the handler as it arrives, so the collector's `maxBodyBytes` stops the upload once the limit is
 * passed; the answer then closes the connection. A collector is served without Fetch objects per
 * request (it reads the node:http request directly; `consent` and `clientInfo` callbacks still get a
 * Fetch `Request` with the method, URL and headers and without the body, built only as far as they
 * read it: use it to read, not as the input of `fetch()` or `new Request()`, which need one of their
 * own, `new Request(request.url, { headers: request.headers })`). A body already read by a body parser mounted earlier
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
  const handle = (handler as { [INCOMING]?: IncomingHandler })[INCOMING];
  return (req, res) => {
    (handle ? serveIncoming(handle, req, res) : serve(handler, req, res)).catch(() => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
}

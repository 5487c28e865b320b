import type { Answer } from './collector-error';
import type { RequestHead } from './cors';
import { readBody, type BatchLimits, type Read } from './read-batch';

/**
 * What the socket knows and a Fetch `Request` does not. `toNodeHandler` fills it in; other hosts can
 * pass it as the handler's second argument.
 *
 * @example
 * collector(request, { remoteAddress: '203.0.113.7' })
 */
export interface ConnectionInfo {
  readonly remoteAddress?: string;
}

/**
 * A request as the collector reads it, whatever the host: a Fetch `Request` (Next.js, Hono, Bun,
 * Deno) or, through `toNodeHandler`, a node:http request read directly (no Fetch objects per request).
 */
export interface Incoming extends RequestHead {
  readonly method: string;
  readonly connection: ConnectionInfo;
  /** The whole body as text, within the limits. */
  readBody(limits: BatchLimits): Promise<Read<string>>;
  /** The request as a Fetch `Request` for the app's callbacks (`consent`, `clientInfo`): built once, on first use. */
  request(): Request;
}

/** Handles one incoming request; what the collector is, beneath its Fetch and node:http faces. */
export type IncomingHandler = (incoming: Incoming) => Promise<Answer>;

/** Where a collector keeps its host-neutral handler, for `toNodeHandler`. */
export const INCOMING = Symbol.for('conversion-kit.incoming');

/** The collector's view of a Fetch `Request`. */
export function fromRequest(request: Request, connection: ConnectionInfo): Incoming {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    connection,
    readBody: (limits) => readBody(request, limits),
    request: () => request,
  };
}

/** An answer as a Fetch `Response`. */
export const toResponse = (answer: Answer): Response => new Response(answer.body, { status: answer.status, headers: answer.headers });

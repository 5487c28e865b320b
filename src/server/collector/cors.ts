import { collectorError, jsonAnswer, type Answer } from './collector-error';

/** What CORS reads of a request: its headers and URL (a Fetch `Request` has both). */
export interface RequestHead {
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/**
 * The origins whose pages may call the collector from a browser: a list of origins
 * (`'https://shop.example'`), `'*'` for any, or a function. Same-origin calls are always allowed.
 *
 * @example
 * allowedOrigins: ['https://shop.example', 'https://www.shop.example']
 */
export type AllowedOrigins = readonly string[] | '*' | ((origin: string) => boolean);

/** Answers whether a browser origin may call the collector, and builds the CORS answers. */
export interface CorsPolicy {
  /** Whether a request from `origin` is allowed: listed, or the collector's own origin. */
  allows(request: RequestHead, origin: string): boolean;
  /** The headers an allowed cross-origin request gets. */
  headers(request: RequestHead): Record<string, string>;
  /** The answer to an OPTIONS request. */
  preflight(request: RequestHead): Answer;
}

const normalise = (origin: string) => origin.trim().toLowerCase().replace(/\/+$/, '');

function checkOrigins(origins: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const origin of origins) {
    const clean = normalise(String(origin));
    let parsed: string | undefined;
    try {
      parsed = new URL(clean).origin;
    } catch {
      parsed = undefined;
    }
    if (parsed !== clean) {
      throw new TypeError(
        `[conversion-kit] allowedOrigins: "${origin}" is not an origin; write scheme and host only, like "https://shop.example"`,
      );
    }
    set.add(clean);
  }
  return set;
}

/** The host the request was addressed to, as the browser wrote it (through proxies when they say so). */
function requestHosts(request: RequestHead): string[] {
  const hosts = [request.headers.get('x-forwarded-host')?.split(',')[0], request.headers.get('host')];
  try {
    hosts.push(new URL(request.url).host);
  } catch {
    // A relative or odd URL: the headers decide.
  }
  return hosts.filter((host): host is string => !!host).map((host) => host.trim().toLowerCase());
}

function sameOrigin(request: RequestHead, origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return requestHosts(request).includes(host);
}

export function corsPolicy(allowed: AllowedOrigins | undefined): CorsPolicy {
  const listed = allowed === '*' || typeof allowed === 'function' ? undefined : checkOrigins(allowed ?? []);
  const listedAllows = (origin: string): boolean => {
    if (allowed === '*') return true;
    if (typeof allowed === 'function') {
      try {
        return allowed(origin) === true;
      } catch {
        return false;
      }
    }
    return listed!.has(normalise(origin));
  };
  const allowsCrossOrigin = (origin: string | null): origin is string => origin !== null && listedAllows(origin);

  return {
    allows: (request, origin) => listedAllows(origin) || sameOrigin(request, origin),
    headers(request): Record<string, string> {
      const origin = request.headers.get('origin');
      if (!allowsCrossOrigin(origin)) return { vary: 'Origin' };
      return { 'access-control-allow-origin': origin, vary: 'Origin' };
    },
    preflight(request) {
      const origin = request.headers.get('origin');
      if (origin === null) return { status: 204, headers: { allow: 'POST, OPTIONS' }, body: null };
      if (!allowsCrossOrigin(origin)) {
        const error = collectorError(403, 'origin_not_allowed', `origin ${origin} may not call this collector; add it to allowedOrigins`);
        return jsonAnswer({ error: { code: error.code, message: error.message } }, error.status, { vary: 'Origin' });
      }
      return {
        status: 204,
        body: null,
        headers: {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'POST, OPTIONS',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '7200',
          vary: 'Origin',
        },
      };
    },
  };
}
